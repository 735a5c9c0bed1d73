package dev.aims.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Takes decisions whose verdict is REVIEW to a human and reports how the review ended. The stage
 * must complete: with an outcome, or exceptionally if the review cannot take place (AIMS then
 * refuses the decision; it never allows it).
 *
 * <p>AIMS records {@code approval.requested} before calling {@link #submit} and the terminal
 * {@code approval.*} event when the stage completes; a gate records intermediate steps
 * (escalations) itself. The default gate, {@link #refuseAll()}, refuses every review.
 */
@FunctionalInterface
public interface ApprovalGate {

  CompletionStage<ReviewOutcome> submit(ReviewRequest request);

  /** The default: no human can be asked, so REVIEW verdicts are refused with an explanation. */
  static ApprovalGate refuseAll() {
    return request ->
        CompletableFuture.failedFuture(
            new DecisionRefusedException(
                DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE,
                "decision " + request.decisionId() + " of system '" + request.system().id()
                    + "' needs human review (" + request.reasons() + ") but no approval gate is"
                    + " configured; add dev.aims:aims-oversight or set Aims.builder().approvalGate(...)."
                    + " REVIEW is never allowed without a reviewer.",
                request.decisionId(),
                null));
  }
}
