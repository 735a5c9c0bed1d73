package dev.aims.oversight;

/**
 * Where an approval request is in its lifecycle. A request starts PENDING and ends in exactly one
 * of the other states, decided by one conditional write. Escalation is a step, not a state: an
 * escalated request stays PENDING at a higher {@linkplain ApprovalRequest#tier() tier}.
 */
public enum ApprovalStatus {
  PENDING,
  /** Enough distinct reviewers with the required role approved (or one overrode the output). */
  APPROVED,
  /** A reviewer with the required role rejected it. */
  REJECTED,
  /** The deadline of the last tier passed. Expiry is a denial: nothing is approved by a timeout. */
  EXPIRED,
  /** Withdrawn, by the stop switch. */
  CANCELLED;

  public boolean terminal() {
    return this != PENDING;
  }
}
