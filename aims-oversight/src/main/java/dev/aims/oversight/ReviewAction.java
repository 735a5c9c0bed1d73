package dev.aims.oversight;

/** What a reviewer does with a request. */
public enum ReviewAction {
  /** Counts towards the k approvals the request needs. */
  APPROVE,
  /** Ends the request as REJECTED: one rejection by an authorised reviewer is enough. */
  REJECT,
  /** Approves with a modified output ({@code decision.overridden}); only for requests that need one approver. */
  OVERRIDE,
  /** Hands the request to the next tier of its escalation chain now, without waiting for the deadline. */
  ESCALATE
}
