package dev.aims.oversight;

import dev.aims.core.Actor;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the lifecycle, as pure functions from the stored state to the next one. Every store
 * runs them inside its own atomic section (a per-key compute in memory, a row lock and a
 * conditional UPDATE in PostgreSQL), so the rules are written once and the stores only make the
 * write conditional.
 */
final class Lifecycle {
  enum Kind {
    /** Nothing changed (a refusal, or nothing to do). */
    NONE,
    COUNTED,
    DECIDED,
    ESCALATED,
    DUPLICATE
  }

  /**
   * The result of one rule.
   *
   * @param after the state to write, or null to write nothing
   * @param attempt the attempt to record, or null
   * @param actor who caused the step (a reviewer, an operator), null for the clock
   */
  record Step(
      StoredRequest before,
      @Nullable StoredRequest after,
      @Nullable ReviewAttempt attempt,
      @Nullable Refusal refusal,
      @Nullable String message,
      Kind kind,
      @Nullable Actor actor) {

    StoredRequest current() {
      return after != null ? after : before;
    }

    boolean ended() {
      return after != null && !before.request().status().terminal() && after.request().status().terminal();
    }
  }

  private Lifecycle() {}

  static Step vote(StoredRequest cur, Vote v, Instant now, RationalePolicy rationale) {
    ApprovalRequest r = cur.request();
    String who = v.reviewer().id();
    String role = r.requiredRole();
    if (r.status().terminal()) {
      if (sameAsDecision(r, v)) {
        return new Step(cur, null, attempt(r, v, now, Refusal.DUPLICATE), null, null, Kind.DUPLICATE, null);
      }
      return refuse(cur, v, now, Refusal.ALREADY_DECIDED, "request " + r.id() + " was already decided: "
          + r.status() + (r.decidedBy() != null ? " by " + r.decidedBy().id() : "") + " at " + r.decidedAt());
    }
    if (v.reviewer().is(r.requester())) {
      return refuse(cur, v, now, Refusal.SELF_REVIEW, "reviewer '" + who + "' made request " + r.id()
          + " and cannot review it (separation of duties); another reviewer with role " + role + " must act");
    }
    if (!v.reviewer().hasRole(role)) {
      return refuse(cur, v, now, Refusal.MISSING_ROLE, "reviewer '" + who + "' lacks role " + role
          + " that request " + r.id() + " needs at tier " + r.tier());
    }
    String why = v.rationale();
    Refusal bad = rationale.check(why);
    if (bad == Refusal.RATIONALE_REQUIRED) {
      return refuse(cur, v, now, bad, v.action().name().toLowerCase(java.util.Locale.ROOT) + " of request " + r.id()
          + " needs a rationale of at least " + rationale.minVisible() + " letters or digits (it has "
          + RationalePolicy.visibleCharacters(why) + "; spaces, control and format characters do not count)");
    }
    if (bad == Refusal.RATIONALE_TOO_LONG) {
      return refuse(cur, v, now, bad, "the rationale for request " + r.id() + " is longer than "
          + rationale.maxBytes() + " bytes; give the reasons in brief and link documents instead of pasting them");
    }
    if (!now.isBefore(r.deadline())) {
      return refuse(cur, v, now, Refusal.DEADLINE_PASSED, "the deadline of request " + r.id() + " at tier "
          + r.tier() + " passed at " + r.deadline() + "; it escalates or expires, it is never approved late");
    }
    Actor actor = v.reviewer().as(role);
    switch (v.action()) {
      case APPROVE, OVERRIDE -> {
        String expected = v.expectedDigest();
        if (expected != null && !expected.equals(r.actionDigest())) {
          return refuse(cur, v, now, Refusal.DIGEST_MISMATCH, "the approval names action digest " + expected
              + " but request " + r.id() + " is bound to " + r.actionDigest()
              + "; an approval applies only to the action it was given for");
        }
        if (v.action() == ReviewAction.APPROVE && Reviewer.containsIdentity(r.approvedBy(), who)) {
          return new Step(cur, null, attempt(r, v, now, Refusal.DUPLICATE), null, null, Kind.DUPLICATE, actor);
        }
        if (v.action() == ReviewAction.OVERRIDE) {
          if (r.approvalsRequired() > 1) {
            return refuse(cur, v, now, Refusal.OVERRIDE_NOT_ALLOWED, "request " + r.id() + " needs "
                + r.approvalsRequired() + " approvers; an override is one person's decision and is allowed only"
                + " for requests that need one. Reject it and let the caller ask again instead");
          }
          ApprovalRequest next = r.withApproval(who).ended(ApprovalStatus.APPROVED, actor, why, now,
              v.overrideRedacted());
          return accepted(cur, cur.with(next, v.overrideJson(), v.overrideDigest()), v, now, Kind.DECIDED, actor);
        }
        ApprovalRequest next = r.withApproval(who);
        if (next.approvedBy().size() >= r.approvalsRequired()) {
          next = next.ended(ApprovalStatus.APPROVED, actor, why, now, null);
          return accepted(cur, cur.with(next, null, r.actionDigest()), v, now, Kind.DECIDED, actor);
        }
        return accepted(cur, cur.with(next, null, null), v, now, Kind.COUNTED, actor);
      }
      case REJECT -> {
        ApprovalRequest next = r.ended(ApprovalStatus.REJECTED, actor, why, now, null);
        return accepted(cur, cur.with(next, null, null), v, now, Kind.DECIDED, actor);
      }
      case ESCALATE -> {
        if (!r.policy().hasTierAfter(r.tier())) {
          return refuse(cur, v, now, Refusal.NO_HIGHER_TIER, "request " + r.id() + " is at the last tier ("
              + role + ") of its chain; approve or reject it, or let it expire");
        }
        return accepted(cur, cur.with(r.escalatedAt(now), null, null), v, now, Kind.ESCALATED, actor);
      }
    }
    throw new AssertionError(v.action());
  }

  /** The clock's rule: a tier whose deadline passed escalates to the next tier, the last one expires. */
  static Step timeout(StoredRequest cur, Instant now) {
    ApprovalRequest r = cur.request();
    if (r.status().terminal() || now.isBefore(r.deadline())) {
      return new Step(cur, null, null, null, null, Kind.NONE, null);
    }
    if (r.policy().hasTierAfter(r.tier())) {
      // the next tier starts when the previous one ran out, not when a sweep noticed
      return new Step(cur, cur.with(r.escalatedAt(r.deadline()), null, null), null, null, null, Kind.ESCALATED, null);
    }
    ApprovalRequest next = r.ended(ApprovalStatus.EXPIRED, null, null, now, null);
    return new Step(cur, cur.with(next, null, null), null, null, null, Kind.DECIDED, null);
  }

  /** No change. */
  static Step unchanged(StoredRequest cur) {
    return new Step(cur, null, null, null, null, Kind.NONE, null);
  }

  /** The stop switch's rule: a PENDING request is withdrawn. */
  static Step cancel(StoredRequest cur, Actor actor, String reason, Instant now) {
    ApprovalRequest r = cur.request();
    if (r.status().terminal()) {
      return new Step(cur, null, null, null, null, Kind.NONE, actor);
    }
    ApprovalRequest next = r.ended(ApprovalStatus.CANCELLED, actor, reason, now, null);
    return new Step(cur, cur.with(next, null, null), null, null, null, Kind.DECIDED, actor);
  }

  private static boolean sameAsDecision(ApprovalRequest r, Vote v) {
    return switch (v.action()) {
      case APPROVE -> r.status() == ApprovalStatus.APPROVED && !r.overridden()
          && Reviewer.containsIdentity(r.approvedBy(), v.reviewer().id());
      case OVERRIDE -> r.status() == ApprovalStatus.APPROVED && r.overridden() && decidedBy(r, v);
      case REJECT -> r.status() == ApprovalStatus.REJECTED && decidedBy(r, v);
      case ESCALATE -> false;
    };
  }

  private static boolean decidedBy(ApprovalRequest r, Vote v) {
    return r.decidedBy() != null && v.reviewer().is(r.decidedBy().id());
  }

  private static Step refuse(StoredRequest cur, Vote v, Instant now, Refusal refusal, String message) {
    return new Step(cur, null, attempt(cur.request(), v, now, refusal), refusal, message, Kind.NONE, null);
  }

  private static Step accepted(StoredRequest cur, StoredRequest next, Vote v, Instant now, Kind kind, Actor actor) {
    return new Step(cur, next, attempt(cur.request(), v, now, null), null, null, kind, actor);
  }

  private static ReviewAttempt attempt(ApprovalRequest r, Vote v, Instant now, @Nullable Refusal refusal) {
    return new ReviewAttempt(r.id(), v.reviewer().id(), v.action(), r.tier(), r.requiredRole(), now, v.rationale(),
        refusal);
  }
}
