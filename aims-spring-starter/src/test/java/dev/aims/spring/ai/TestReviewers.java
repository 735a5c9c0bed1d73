package dev.aims.spring.ai;

import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Who is authenticated, per thread, as a security context would say. */
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
}
