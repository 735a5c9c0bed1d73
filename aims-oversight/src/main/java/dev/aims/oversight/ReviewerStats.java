package dev.aims.oversight;

import java.time.Duration;
import java.util.Objects;

/**
 * Automation-bias signals for one reviewer, as seen by this instance since it started: how often
 * they approve, how long they take, and how many approvals came faster than the rubber-stamp floor.
 * Per-reviewer values are not meter tags (tags never hold user ids); they are read here.
 *
 * <p>Times to decision run from the moment the request reached the reviewer's tier to the
 * reviewer's action.
 *
 * @param rubberStamps approvals (and overrides) decided faster than the configured floor after the
 *     request reached the reviewer's tier
 * @param medianTimeToDecision the median over a uniform random sample of at most
 *     {@value #MEDIAN_SAMPLE} of the reviewer's decisions (exact up to that many; beyond, an
 *     estimate that stays uniform over all of them); zero before the first
 */
public record ReviewerStats(
    String reviewer,
    long approvals,
    long overrides,
    long rejections,
    long escalations,
    long rubberStamps,
    Duration meanTimeToDecision,
    Duration medianTimeToDecision,
    Duration maxTimeToDecision) {

  /** Decisions per reviewer kept for the median: memory stays fixed however many there are. */
  public static final int MEDIAN_SAMPLE = 128;

  public ReviewerStats {
    Objects.requireNonNull(reviewer, "reviewer");
    Objects.requireNonNull(meanTimeToDecision, "meanTimeToDecision");
    Objects.requireNonNull(medianTimeToDecision, "medianTimeToDecision");
    Objects.requireNonNull(maxTimeToDecision, "maxTimeToDecision");
  }

  /** Stats without a median (it is zero), as before the median was kept. */
  public ReviewerStats(String reviewer, long approvals, long overrides, long rejections, long escalations,
      long rubberStamps, Duration meanTimeToDecision, Duration maxTimeToDecision) {
    this(reviewer, approvals, overrides, rejections, escalations, rubberStamps, meanTimeToDecision, Duration.ZERO,
        maxTimeToDecision);
  }

  /** Approvals and overrides over all approve/override/reject decisions; 0 when there were none. */
  public double approvalRatio() {
    long decided = approvals + overrides + rejections;
    return decided == 0 ? 0 : (double) (approvals + overrides) / decided;
  }
}
