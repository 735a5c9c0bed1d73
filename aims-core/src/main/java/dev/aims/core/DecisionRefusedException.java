package dev.aims.core;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * AIMS refused to act on a decision for a governance reason that is not a policy verdict: the
 * system is stopped, no approval gate can take a REVIEW, or the decision log cannot be written
 * for a system that requires it.
 */
public class DecisionRefusedException extends AimsException {
  /** Why the decision was refused. */
  public enum Cause {
    SYSTEM_STOPPED,
    NO_REVIEW_POSSIBLE,
    LOG_UNAVAILABLE,
    /** The approval gate shut down while the decision waited for review (the instance is stopping). */
    SHUTDOWN
  }

  private final Cause refusal;

  public DecisionRefusedException(
      Cause refusal, String message, @Nullable UUID decisionId, @Nullable Throwable cause) {
    super(message, decisionId, cause);
    this.refusal = refusal;
  }

  public Cause refusal() {
    return refusal;
  }
}
