package dev.aims.core;

/** How a human review ended. Only APPROVED and OVERRIDDEN let the decision act. */
public enum Resolution {
  APPROVED,
  OVERRIDDEN,
  REJECTED,
  /** The deadline passed. Expiry is a denial: nothing is ever approved by a timeout. */
  EXPIRED,
  /** Withdrawn, e.g. by the stop switch. */
  CANCELLED
}
