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
 */
public record FleetConfig(FleetStore store, String instance, Duration staleAfter) {
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(1);
  /** The longest instance name a store must keep. */
  public static final int MAX_INSTANCE_LENGTH = 200;

  public FleetConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (instance.isBlank() || instance.length() > MAX_INSTANCE_LENGTH) {
      throw new IllegalArgumentException("fleet instance name must be 1 to " + MAX_INSTANCE_LENGTH
          + " characters, not blank, but was '" + instance + "'");
    }
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("fleet staleAfter must be positive but was " + staleAfter);
    }
  }

  public static FleetConfig of(FleetStore store, String instance) {
    return new FleetConfig(store, instance, DEFAULT_STALE_AFTER);
  }

  public FleetConfig staleAfter(Duration staleAfter) {
    return new FleetConfig(store, instance, staleAfter);
  }
}
