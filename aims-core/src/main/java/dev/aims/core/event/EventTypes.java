package dev.aims.core.event;

import java.util.Set;

/** The event {@code type} names of the decision log contract (schema version {@value #SCHEMA_VERSION}). */
public final class EventTypes {
  public static final int SCHEMA_VERSION = 2;

  public static final String DECISION_PROPOSED = "decision.proposed";
  public static final String DECISION_FINAL = "decision.final";
  public static final String DECISION_OVERRIDDEN = "decision.overridden";
  public static final String APPROVAL_REQUESTED = "approval.requested";
  public static final String APPROVAL_GRANTED = "approval.granted";
  public static final String APPROVAL_REJECTED = "approval.rejected";
  public static final String APPROVAL_EXPIRED = "approval.expired";
  public static final String APPROVAL_ESCALATED = "approval.escalated";
  /** A reviewer's approval that counted towards the k a request needs, without deciding it yet. */
  public static final String APPROVAL_COUNTED = "approval.counted";
  /** A request withdrawn, e.g. by the stop switch (actor: who pressed it) or settled elsewhere (no actor). */
  public static final String APPROVAL_CANCELLED = "approval.cancelled";
  public static final String OUTCOME_RECORDED = "outcome.recorded";
  public static final String SYSTEM_STOPPED = "system.stopped";
  public static final String SYSTEM_RESUMED = "system.resumed";
  public static final String REGISTER_CHANGED = "register.changed";
  public static final String POLICY_CHANGED = "policy.changed";
  public static final String DRIFT_ALARM_RAISED = "drift.alarm.raised";
  public static final String DRIFT_ALARM_CLEARED = "drift.alarm.cleared";
  /** An AI incident was opened, classified, linked to decisions, reported to the authority or closed. */
  public static final String INCIDENT_OPENED = "incident.opened";
  public static final String INCIDENT_CLASSIFIED = "incident.classified";
  public static final String INCIDENT_LINKED = "incident.linked";
  public static final String INCIDENT_REPORTED = "incident.reported";
  public static final String INCIDENT_CLOSED = "incident.closed";
  /** A governed tool call claimed its one execution and is about to run. */
  public static final String ACTION_STARTED = "action.started";
  /** A governed tool call ran and returned a result. */
  public static final String ACTION_EXECUTED = "action.executed";
  /** A governed tool call ran and threw. */
  public static final String ACTION_FAILED = "action.failed";
  /** A governed tool call was asked to run and did not: already run, past its deadline, stopped, arguments changed. */
  public static final String ACTION_REFUSED = "action.refused";
  public static final String LOG_CHECKPOINT = "log.checkpoint";
  public static final String LOG_RECOVERED = "log.recovered";

  public static final Set<String> ALL =
      Set.of(
          DECISION_PROPOSED, DECISION_FINAL, DECISION_OVERRIDDEN, APPROVAL_REQUESTED,
          APPROVAL_GRANTED, APPROVAL_REJECTED, APPROVAL_EXPIRED, APPROVAL_ESCALATED,
          APPROVAL_COUNTED, APPROVAL_CANCELLED, OUTCOME_RECORDED, SYSTEM_STOPPED, SYSTEM_RESUMED, REGISTER_CHANGED, POLICY_CHANGED,
          DRIFT_ALARM_RAISED, DRIFT_ALARM_CLEARED, ACTION_STARTED, ACTION_EXECUTED, ACTION_FAILED,
          ACTION_REFUSED, LOG_CHECKPOINT, LOG_RECOVERED, INCIDENT_OPENED, INCIDENT_CLASSIFIED, INCIDENT_LINKED,
          INCIDENT_REPORTED, INCIDENT_CLOSED);

  /** The incident step types. */
  public static final Set<String> INCIDENT =
      Set.of(INCIDENT_OPENED, INCIDENT_CLASSIFIED, INCIDENT_LINKED, INCIDENT_REPORTED, INCIDENT_CLOSED);

  private EventTypes() {}

  static String require(String type, Set<String> allowed) {
    if (!allowed.contains(type)) {
      throw new IllegalArgumentException("event type '" + type + "' is not one of " + allowed);
    }
    return type;
  }
}
