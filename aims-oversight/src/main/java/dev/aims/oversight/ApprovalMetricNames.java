package dev.aims.oversight;

import dev.aims.core.AimsMetricNames;

/**
 * The meters aims-oversight publishes, beside core's {@code aims.approval.wait} (a timer per
 * resolution) and {@code aims.approvals.waiting} (calls of this instance waiting for a review).
 * Tags are bounded: system ids and enum names, never reviewer ids.
 */
public final class ApprovalMetricNames {
  /**
   * Gauge: requests PENDING in the approval store, per system. For a shared PostgreSQL store this
   * is the queue all instances see (take the max across instances, not the sum). Tag system.
   */
  public static final String APPROVALS_PENDING = AimsMetricNames.APPROVALS_PENDING;
  /** Counter of refused reviewer actions and authorisations; tags system, reason. */
  /**
   * Gauge of PENDING requests whose deadline has passed but that the expiry sweep has not ended yet;
   * tag system. Above zero for longer than the sweep period means the sweep is not keeping up.
   */
  public static final String APPROVALS_OVERDUE = "aims.approvals.overdue";
  public static final String APPROVALS_REFUSED = "aims.approval.refused";
  /** Counter of approvals decided faster than the rubber-stamp floor; tag system. */
  public static final String RUBBER_STAMPS = "aims.approval.rubber.stamp";

  public static final String TAG_SYSTEM = "system";
  public static final String TAG_REASON = "reason";

  private ApprovalMetricNames() {}
}
