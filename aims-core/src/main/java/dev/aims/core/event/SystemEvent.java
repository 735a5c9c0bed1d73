package dev.aims.core.event;

import dev.aims.core.Actor;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** {@code system.stopped} or {@code system.resumed}: the stop switch of one AI system. */
public record SystemEvent(String type, Instant ts, String system, Actor actor, String reason)
    implements AimsEvent {

  private static final Set<String> TYPES = Set.of(EventTypes.SYSTEM_STOPPED, EventTypes.SYSTEM_RESUMED);

  public SystemEvent {
    EventTypes.require(type, TYPES);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
  }
}
