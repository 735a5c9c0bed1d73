package dev.aims.oversight;

/**
 * The meters aims-oversight publishes, beside core's {@code aims.approval.wait} (a timer per
 * resolution) and core's {@code aims.approvals.pending} (reviews this instance's callers wait for).
 * Tags are bounded: system ids and enum names, never reviewer ids.
 */
public final class ApprovalMetricNames {
  /**
   * Gauge: requests PENDING in the approval store, per system. For a shared PostgreSQL store this
   * is the queue all instances see (take the max across instances, not the sum). Tag system.
   */
  public static final String APPROVALS_OPEN = "aims.approvals.open";
  /** Counter of refused reviewer actions and authorisations; tags system, reason. */
  public static final String APPROVALS_REFUSED = "aims.approval.refused";
  /** Counter of approvals decided faster than the rubber-stamp floor; tag system. */
  public static final String RUBBER_STAMPS = "aims.approval.rubber.stamp";

  public static final String TAG_SYSTEM = "system";
  public static final String TAG_REASON = "reason";

  private ApprovalMetricNames() {}
}
