package dev.aims.core.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * Fleet-wide monitoring: the store the instances share and this instance's name in it. Each
 * evaluation (at most once per {@link MonitorConfig#evaluationInterval()}) publishes the instance's
 * window summaries and computes the fleet figures from every instance's summaries published within
 * {@code staleAfter}; pending labels go to the store so a label reaching any instance is joined.
 *
 * @param instance this instance's name in the store, unique in the fleet (e.g. the pod name)
 * @param staleAfter an instance whose summaries are older is left out of the fleet figures
 *     (default 1 minute; it must exceed the evaluation interval)
 * @param alarms which figure drives the drift alarms, their events and drift-triggered review
 *     (default {@link AlarmScope#INSTANCE})
 */
public record FleetConfig(FleetStore store, String instance, Duration staleAfter, AlarmScope alarms) {
  /** Which figure a feature's drift alarm follows when fleet monitoring is on. */
  public enum AlarmScope {
    /** This instance's own window, as without fleet monitoring. */
    INSTANCE,
    /**
     * The fleet figure, where the feature has one (a fixed reference, after the first fleet round);
     * else this instance's. While the fleet figures are stale the alarm is on if the last fleet
     * figure or this instance's figure says so: an unreachable store never clears an alarm.
     */
    FLEET
  }

  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(1);
  /** The longest instance name a store must keep. */
  public static final int MAX_INSTANCE_LENGTH = 200;

  public FleetConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(alarms, "alarms");
    if (instance.isBlank() || instance.length() > MAX_INSTANCE_LENGTH) {
      throw new IllegalArgumentException("fleet instance name must be 1 to " + MAX_INSTANCE_LENGTH
          + " characters, not blank, but was '" + instance + "'");
    }
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("fleet staleAfter must be positive but was " + staleAfter);
    }
  }

  public static FleetConfig of(FleetStore store, String instance) {
    return new FleetConfig(store, instance, DEFAULT_STALE_AFTER, AlarmScope.INSTANCE);
  }

  public FleetConfig staleAfter(Duration staleAfter) {
    return new FleetConfig(store, instance, staleAfter, alarms);
  }

  public FleetConfig alarmsOn(AlarmScope alarms) {
    return new FleetConfig(store, instance, staleAfter, alarms);
  }
}
