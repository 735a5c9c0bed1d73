package dev.aims.core;

/** What the decision boundaries say about a decision. DENY beats REVIEW beats ALLOW. */
public enum Verdict {
  ALLOW,
  REVIEW,
  DENY;

  /** The stricter of the two. */
  public Verdict and(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
