package dev.aims.core;

/**
 * The Micrometer meter and tag names AIMS publishes (docs/architecture.md, "Metrics"). Prometheus renders the
 * dots as underscores and adds unit suffixes ({@code aims_decisions_total},
 * {@code aims_decision_duration_seconds}). Tag values are bounded: system ids from the register,
 * enum names, never user ids or prompts.
 */
public final class AimsMetricNames {
  /** Counter; tags {@link #TAG_SYSTEM}, {@link #TAG_VERDICT}, {@link #TAG_OUTCOME}. */
  public static final String DECISIONS = "aims.decisions";
  /** Timer of the whole governed call, review wait included; tags system, outcome. */
  public static final String DECISION_DURATION = "aims.decision.duration";
  /** Timer of the model call alone; tags system, outcome ({@code success} or {@code failure}). */
  public static final String MODEL_DURATION = "aims.model.duration";
  /**
   * Gauge of approval requests awaiting a decision; tag system. Published by the approval gate
   * (aims-oversight: its store's count, shared by all instances), not by core.
   */
  public static final String APPROVALS_PENDING = "aims.approvals.pending";
  /** Gauge of governed calls this instance has waiting for a review right now; tag system. */
  public static final String APPROVALS_WAITING = "aims.approvals.waiting";
  /** Gauge, 1 while the system's stop switch is engaged in this instance, else 0; tag system. */
  public static final String SYSTEM_STOPPED = "aims.system.stopped";
  /** Timer of the wait for a human review; tags system, {@link #TAG_RESOLUTION}. */
  public static final String APPROVAL_WAIT = "aims.approval.wait";
  /** Gauge; tags system, feature, statistic, scope. */
  public static final String DRIFT_SCORE = "aims.drift.score";
  /** Gauge 0/1; tags system, feature, statistic, scope. */
  public static final String DRIFT_ALARM = "aims.drift.alarm";
  /** Gauge; tags system, metric, attribute, group, scope. */
  public static final String FAIRNESS_RATIO = "aims.fairness.ratio";
  /** Gauge; tags system, metric, attribute, group, scope. */
  public static final String FAIRNESS_DIFFERENCE = "aims.fairness.difference";
  /**
   * Counter of late labels given to {@code Aims.feedback}; tag {@link #TAG_RESULT}
   * ({@code recorded}, {@code duplicate}, {@code unknown}). No system tag: an unknown decision has none.
   */
  public static final String FEEDBACK = "aims.feedback";
  /** Counter of events a governed call handed to the decision log; tag system. */
  public static final String LOG_APPENDS = "aims.log.appends";
  /** Counter of events the decision log did not accept; tag system. */
  public static final String LOG_FAILURES = "aims.log.failures";
  /** Gauge of events accepted but not yet durable; published by the durable log. */
  public static final String LOG_LAG = "aims.log.lag";

  /**
   * Gauge 0/1 per system, 1 when its register card's last review is older than its review cadence
   * (0 when the card gives no last review); tag system.
   */
  public static final String REGISTER_REVIEW_OVERDUE = "aims.register.review.overdue";
  /** Gauge of AI incidents open (not closed) in this instance's {@code Incidents}; no tags. */
  public static final String INCIDENTS_OPEN = "aims.incidents.open";
  /** Gauge of serious incidents not reported to the authority by their deadline; no tags. */
  public static final String INCIDENTS_OVERDUE = "aims.incidents.overdue";

  /** Counter: governed tool calls proposed, by system, tool and verdict (allowed, denied, awaiting_approval). */
  public static final String TOOL_CALLS = "aims.tool.calls";
  /** Timer: governed tool executions, by system, tool and outcome (executed, failed, refused). */
  public static final String TOOL_EXECUTIONS = "aims.tool.executions";
  /** A configured tool's name, or {@code unknown} for any other name a model gives. */
  public static final String TAG_TOOL = "tool";
  public static final String TAG_SYSTEM = "system";
  public static final String TAG_VERDICT = "verdict";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_RESOLUTION = "resolution";
  public static final String TAG_FEATURE = "feature";
  public static final String TAG_STATISTIC = "statistic";
  public static final String TAG_METRIC = "metric";
  public static final String TAG_ATTRIBUTE = "attribute";
  public static final String TAG_GROUP = "group";
  public static final String TAG_RESULT = "result";
  /**
   * Tag of the drift and fairness gauges: {@link #SCOPE_INSTANCE} for this instance's window,
   * {@link #SCOPE_FLEET} for the figures over every instance's summaries (fleet monitoring).
   */
  public static final String TAG_SCOPE = "scope";
  public static final String SCOPE_INSTANCE = "instance";
  public static final String SCOPE_FLEET = "fleet";
  /** Gauge, tag system: 1 while the last fleet round failed (the fleet figures are not current), else 0. */
  public static final String MONITOR_FLEET_STALE = "aims.monitor.fleet.stale";
  /** Counter, tag system: fleet rounds and label claims that failed (the store unreachable). */
  public static final String MONITOR_FLEET_FAILURES = "aims.monitor.fleet.failures";
  /** Gauge, tag system: instances whose summaries entered the last fleet figures. */
  public static final String MONITOR_FLEET_INSTANCES = "aims.monitor.fleet.instances";

  private AimsMetricNames() {}
}
