package dev.aims.oversight;

import java.util.Objects;

/**
 * What a reviewer action did. Refusals are thrown as {@link ApprovalRefusedException}; a result
 * means the action was accepted, or was a harmless repeat.
 *
 * @param request the request after the action
 */
public record ReviewResult(ApprovalRequest request, Effect effect) {
  public enum Effect {
    /** This action ended the request (the one terminal transition). */
    DECIDED,
    /** The approval was counted; the request needs more approvers. */
    COUNTED,
    /** The request moved to the next tier. */
    ESCALATED,
    /** A repeat of an action this reviewer already took: nothing changed (recorded as a duplicate). */
    DUPLICATE
  }

  public ReviewResult {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(effect, "effect");
  }
}
