package dev.aims.core.event;

import dev.aims.core.policy.BoundaryRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** {@code policy.changed}: the decision boundaries in force for one AI system, with their versions. */
public record PolicyEvent(
    String type, Instant ts, String system, String policyVersion, List<BoundaryRef> boundaries)
    implements AimsEvent {

  public PolicyEvent(Instant ts, String system, String policyVersion, List<BoundaryRef> boundaries) {
    this(EventTypes.POLICY_CHANGED, ts, system, policyVersion, boundaries);
  }

  public PolicyEvent {
    EventTypes.require(type, java.util.Set.of(EventTypes.POLICY_CHANGED));
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(policyVersion, "policyVersion");
    boundaries = List.copyOf(boundaries);
  }
}
