package dev.aims.oversight;

import org.jspecify.annotations.Nullable;

/**
 * Who is acting right now, from the caller's authenticated context (for example the Spring
 * Security context of the current request). Reviewer actions and the stop switch ask it; identity
 * and roles are never taken from method arguments or request bodies. Implementations are
 * thread-safe and answer for the calling thread.
 */
@FunctionalInterface
public interface ReviewerContext {

  /** The authenticated reviewer of the calling thread, or null if nobody is authenticated. */
  @Nullable Reviewer current();

  /** Nobody is ever authenticated: every reviewer action is refused. */
  static ReviewerContext none() {
    return () -> null;
  }
}
