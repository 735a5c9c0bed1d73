package dev.aims.core;

import java.util.UUID;

/** A human review ended without approval: rejected, expired (expiry is a denial) or cancelled. */
public class DecisionRejectedException extends AimsException {
  private final ReviewOutcome review;

  public DecisionRejectedException(UUID decisionId, String system, ReviewOutcome review) {
    super(
        "decision " + decisionId + " of system '" + system + "' was not approved: " + review.resolution()
            + (review.rationale() != null ? " (" + review.rationale() + ")" : ""),
        decisionId,
        null);
    this.review = review;
  }

  public ReviewOutcome review() {
    return review;
  }
}
