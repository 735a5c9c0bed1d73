package dev.aims.oversight;

import dev.aims.core.Actor;
import dev.aims.core.ModelRef;
import dev.aims.core.Resolution;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.policy.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A decision waiting for (or past) human review, as reviewers and stores see it. Immutable: each
 * step of the lifecycle is a new value.
 *
 * @param id the decision id (UUIDv7); one request per decision
 * @param proposedOutput the model's output as canonical JSON, redacted by the system's rules
 * @param requester who made the governed call; cannot review this request
 * @param policy the review policy in force when the request was made (escalation chain, k)
 * @param policyVersion the system's decision policy version when the request was made, if known
 * @param actionDigest hex SHA-256 of the canonical action ({@link ActionDigest}); approvals are bound to it
 * @param tier the current tier of the escalation chain (0 = first); above 0 the request was escalated
 * @param tierStartedAt when the request reached its current tier
 * @param deadline when the current tier's time is up
 * @param approvedBy distinct reviewers whose approval counted at the current tier
 * @param decidedBy who ended the request (null for EXPIRED)
 * @param overriddenOutput for an override: the reviewer's output, canonical JSON, redacted
 * @param input the governed call's input as canonical JSON, redacted by the system's rules like the
 *     decision log's copy (what reviewers are shown); null for requests stored before it was kept
 */
public record ApprovalRequest(
    UUID id,
    String system,
    String useCase,
    @Nullable ModelRef model,
    String proposedOutput,
    List<Reason> reasons,
    @Nullable String requester,
    ReviewPolicy policy,
    @Nullable String policyVersion,
    String actionDigest,
    Instant requestedAt,
    ApprovalStatus status,
    int tier,
    Instant tierStartedAt,
    Instant deadline,
    List<String> approvedBy,
    @Nullable Actor decidedBy,
    @Nullable String rationale,
    @Nullable Instant decidedAt,
    @Nullable String overriddenOutput,
    @Nullable String input) {

  /** The same new request made {@code by} later (the PostgreSQL store re-times requests to the database's clock). */
  ApprovalRequest shifted(java.time.Duration by) {
    return new ApprovalRequest(id, system, useCase, model, proposedOutput, reasons, requester, policy, policyVersion,
        actionDigest, requestedAt.plus(by), status, tier, tierStartedAt.plus(by), deadline.plus(by), approvedBy,
        decidedBy, rationale, decidedAt == null ? null : decidedAt.plus(by), overriddenOutput, input);
  }

  public ApprovalRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(useCase, "useCase");
    Objects.requireNonNull(proposedOutput, "proposedOutput");
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(actionDigest, "actionDigest");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(status, "status");
    if (tier < 0 || tier >= policy.tiers().size()) {
      throw new IllegalArgumentException("tier " + tier + " is outside the chain of " + policy.tiers().size());
    }
    Objects.requireNonNull(tierStartedAt, "tierStartedAt");
    Objects.requireNonNull(deadline, "deadline");
    approvedBy = List.copyOf(approvedBy);
    if (status.terminal() && decidedAt == null) {
      throw new IllegalArgumentException(status + " needs decidedAt");
    }
    if (overriddenOutput != null && status != ApprovalStatus.APPROVED) {
      throw new IllegalArgumentException("an overridden output goes with APPROVED only");
    }
  }

  /** The role a reviewer must hold to act on the request now. */
  public String requiredRole() {
    return policy.tier(tier).role();
  }

  public int approvalsRequired() {
    return policy.approvalsRequired();
  }

  public boolean escalated() {
    return tier > 0;
  }

  public boolean overridden() {
    return overriddenOutput != null;
  }

  /** How the review ended, in core's terms; null while PENDING. */
  public @Nullable Resolution resolution() {
    return switch (status) {
      case PENDING -> null;
      case APPROVED -> overriddenOutput != null ? Resolution.OVERRIDDEN : Resolution.APPROVED;
      case REJECTED -> Resolution.REJECTED;
      case EXPIRED -> Resolution.EXPIRED;
      case CANCELLED -> Resolution.CANCELLED;
    };
  }

  // ---- lifecycle steps (the store decides whether one may be written) ---------------------------

  ApprovalRequest withApproval(String reviewer) {
    List<String> more = new ArrayList<>(approvedBy);
    more.add(reviewer);
    return new ApprovalRequest(id, system, useCase, model, proposedOutput, reasons, requester, policy,
        policyVersion, actionDigest, requestedAt, status, tier, tierStartedAt, deadline, more, decidedBy,
        rationale, decidedAt, overriddenOutput, input);
  }

  ApprovalRequest ended(ApprovalStatus end, @Nullable Actor by, @Nullable String why, Instant at,
      @Nullable String override) {
    return new ApprovalRequest(id, system, useCase, model, proposedOutput, reasons, requester, policy,
        policyVersion, actionDigest, requestedAt, end, tier, tierStartedAt, deadline, approvedBy, by, why, at,
        override, input);
  }

  ApprovalRequest escalatedAt(Instant now) {
    int next = tier + 1;
    return new ApprovalRequest(id, system, useCase, model, proposedOutput, reasons, requester, policy,
        policyVersion, actionDigest, requestedAt, status, next, now, now.plus(policy.tier(next).deadline()),
        List.of(), decidedBy, rationale, decidedAt, overriddenOutput, input);
  }

  /**
   * The outcome handed back to AIMS core for a request that ended, or null while PENDING. Core
   * writes the terminal {@code approval.*} event (and {@code decision.overridden}) from it.
   */
  @Nullable ReviewOutcome outcome(@Nullable Object overrideValue) {
    Instant at = decidedAt;
    if (at == null) {
      return null;
    }
    Actor by = decidedBy;
    String why = rationale;
    return switch (status) {
      case PENDING -> null;
      case APPROVED -> overriddenOutput != null
          ? new ReviewOutcome(Resolution.OVERRIDDEN, Objects.requireNonNull(by), Objects.requireNonNull(why),
              Objects.requireNonNull(overrideValue, "the override's value"), at, approvedBy)
          : ReviewOutcome.approved(Objects.requireNonNull(by), Objects.requireNonNull(why), at, approvedBy);
      case REJECTED -> ReviewOutcome.rejected(Objects.requireNonNull(by), Objects.requireNonNull(why), at);
      case EXPIRED -> ReviewOutcome.expired(at);
      case CANCELLED -> new ReviewOutcome(Resolution.CANCELLED, by, why, null, at);
    };
  }
}
