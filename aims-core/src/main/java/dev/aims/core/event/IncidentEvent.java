package dev.aims.core.event;

import dev.aims.core.Actor;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A step of an AI incident ({@link EventTypes#INCIDENT}): {@code incident_id}, {@code system},
 * {@code kind}, {@code actor} (who took the step; absent when a trigger opened it) and the step's
 * {@code details} (e.g. {@code summary}, {@code trigger}, {@code decision_ids}, {@code serious},
 * {@code category}, {@code deadline}, {@code reference}, {@code corrective_action}).
 */
public record IncidentEvent(String type, Instant ts, UUID incidentId, String system, String kind,
    @Nullable Actor actor, Map<String, Object> details) implements AimsEvent {
  public IncidentEvent {
    EventTypes.require(type, EventTypes.INCIDENT);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(kind, "kind");
    details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }
}
