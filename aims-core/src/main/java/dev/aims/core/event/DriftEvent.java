package dev.aims.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * {@code drift.alarm.raised} or {@code drift.alarm.cleared}: a feature's drift alarm changed state.
 *
 * @param statistic the statistic the alarm looks at ({@code ks}, {@code wasserstein}, ...)
 * @param value what was compared with the threshold: the p-value for KS and chi-square, else the score
 * @param threshold the alarm threshold
 * @param referenceCount values in the reference
 * @param currentCount values in the current window
 * @param reviewOnDrift whether the system's decisions go to REVIEW while one of its alarms is on
 */
public record DriftEvent(
    String type,
    Instant ts,
    String system,
    String feature,
    String statistic,
    double value,
    double threshold,
    long referenceCount,
    long currentCount,
    boolean reviewOnDrift)
    implements AimsEvent {

  private static final Set<String> TYPES = Set.of(EventTypes.DRIFT_ALARM_RAISED, EventTypes.DRIFT_ALARM_CLEARED);

  public DriftEvent {
    EventTypes.require(type, TYPES);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(statistic, "statistic");
  }
}
