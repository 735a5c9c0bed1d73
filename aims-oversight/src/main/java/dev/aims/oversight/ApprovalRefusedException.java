package dev.aims.oversight;

import dev.aims.core.AimsException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A reviewer action, an authorisation or an operator action that AIMS refused. Refused reviewer
 * actions on a known request are recorded in the store ({@link ApprovalService#attempts(UUID)})
 * and counted in {@code aims.approval.refused}; none of them changes the request.
 */
public class ApprovalRefusedException extends AimsException {
  /** Why. The lower-case name is the {@code reason} tag of {@code aims.approval.refused}. */
  public enum Refusal {
    /** No authenticated reviewer in the context. */
    NOT_AUTHENTICATED,
    /** No request with that id (never existed, or resolved and no longer retained). */
    UNKNOWN_REQUEST,
    /** The request already ended (approved, rejected, expired or cancelled) by someone else's action. */
    ALREADY_DECIDED,
    /** The tier's deadline passed: it escalates or expires, it is not approved late. */
    DEADLINE_PASSED,
    /** The requester of a request cannot review it. */
    SELF_REVIEW,
    /** The reviewer lacks the role the request's current tier requires (or the admin role). */
    MISSING_ROLE,
    /** No rationale, or one with fewer letters and digits than the configured minimum ({@link RationalePolicy}). */
    RATIONALE_REQUIRED,
    /** A rationale longer than the configured maximum ({@link RationalePolicy#maxBytes()}, default 4 KiB). */
    RATIONALE_TOO_LONG,
    /** The reviewer made too many refused attempts in the current window ({@link RationalePolicy}); try later. */
    RATE_LIMITED,
    /** The action the reviewer saw, or the one about to run, is not the one the request is bound to. */
    DIGEST_MISMATCH,
    /** Override is for requests that need a single approver. */
    OVERRIDE_NOT_ALLOWED,
    /** Escalation asked for at the last tier of the chain. */
    NO_HIGHER_TIER,
    /** The same reviewer's vote at this tier was already counted; recorded, not thrown. */
    DUPLICATE,
    /** The request is not approved, so there is nothing to run. */
    NOT_APPROVED,
    /** The approval was already used: an approval runs its action once. */
    ALREADY_CONSUMED,
    /** The system's policy changed since the request was made; the approval no longer applies. */
    POLICY_CHANGED,
    /** A stop press on a system that is already stopped: nothing is pressed or recorded. */
    ALREADY_STOPPED,
    /** A resume of a system that is not stopped (on this instance): nothing is released or recorded. */
    NOT_STOPPED;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Refusal refusal;

  public ApprovalRefusedException(Refusal refusal, String message, @Nullable UUID requestId) {
    super(message, requestId, null);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
