package dev.aims.core.monitor;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How fresh this instance's view of the fleet is.
 *
 * @param stale whether the last fleet round failed (the store could not be reached): the fleet
 *     figures are those of the last round that succeeded
 * @param lastSuccess when a round last succeeded, null before the first
 * @param instances the instances whose summaries entered the last fleet figures
 * @param failures fleet rounds and label claims that failed, since start
 * @param mismatched summaries left out because their bins or groups differ from this instance's
 *     (another reference or configuration), in the last round
 * @param notShared pending decisions never written to the store because {@code maxPendingLabels}
 *     were already waiting for a round (the store unreachable): their labels are taken only on this
 *     instance, since start
 */
public record FleetStatus(boolean stale, @Nullable Instant lastSuccess, List<String> instances, long failures,
    long mismatched, long notShared) {
  public FleetStatus {
    instances = List.copyOf(instances);
  }
}
