package dev.aims.oversight;

import java.time.Duration;

/**
 * Automation-bias signals for one reviewer, as seen by this instance since it started: how often
 * they approve, how long they take, and how many approvals came faster than the rubber-stamp floor.
 * Per-reviewer values are not meter tags (tags never hold user ids); they are read here.
 *
 * @param rubberStamps approvals (and overrides) decided faster than the configured floor after the
 *     request reached the reviewer's tier
 */
public record ReviewerStats(
    String reviewer,
    long approvals,
    long overrides,
    long rejections,
    long escalations,
    long rubberStamps,
    Duration meanTimeToDecision,
    Duration maxTimeToDecision) {

  /** Approvals and overrides over all approve/override/reject decisions; 0 when there were none. */
  public double approvalRatio() {
    long decided = approvals + overrides + rejections;
    return decided == 0 ? 0 : (double) (approvals + overrides) / decided;
  }
}
