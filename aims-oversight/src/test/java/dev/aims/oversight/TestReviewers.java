package dev.aims.oversight;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A reviewer context for tests: who is authenticated is set per thread, like a security context. */
final class TestReviewers implements ReviewerContext {
  private final ThreadLocal<@Nullable Reviewer> current = new ThreadLocal<>();

  @Override
  public @Nullable Reviewer current() {
    return current.get();
  }

  <T> T as(Reviewer reviewer, Supplier<T> action) {
    Reviewer before = current.get();
    current.set(reviewer);
    try {
      return action.get();
    } finally {
      current.set(before);
    }
  }

  void as(Reviewer reviewer, Runnable action) {
    as(reviewer, () -> {
      action.run();
      return null;
    });
  }
}
