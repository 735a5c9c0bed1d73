package dev.aims.core;

/** What a governed call does when its decision cannot be written to the decision log. */
public enum LogFailurePolicy {
  /** Refuse to act: the call throws {@link DecisionRefusedException}. The default for HIGH-risk systems. */
  REFUSE,
  /** Carry on, count the failure in {@code aims.log.failures} and log it. The default for lower tiers. */
  CONTINUE
}
