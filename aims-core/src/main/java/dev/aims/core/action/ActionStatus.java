package dev.aims.core.action;

/** Where a proposed tool call stands. */
public enum ActionStatus {
  /** The boundaries allowed it: run it now. */
  ALLOWED,
  /** The boundaries denied it, or AIMS refused it (stop switch, no reviewer, log down): it must not run. */
  DENIED,
  /** A human must decide; the call must not run yet. */
  AWAITING_APPROVAL,
  /** A reviewer approved exactly these arguments: it may run once, before its execution deadline. */
  APPROVED,
  /** A reviewer rejected it: it must not run. */
  REJECTED,
  /** Nobody decided before the review deadline, or the review was cancelled: it must not run. */
  EXPIRED;

  /** Whether the call may run (once). */
  public boolean mayRun() {
    return this == ALLOWED || this == APPROVED;
  }
}
