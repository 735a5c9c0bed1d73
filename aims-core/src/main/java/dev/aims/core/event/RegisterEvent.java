package dev.aims.core.event;

import dev.aims.core.AiSystem;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code register.changed}: an AI system was loaded at start, added, updated or removed.
 *
 * @param definition the entry after the change; null when removed
 */
public record RegisterEvent(
    String type, Instant ts, String system, Change change, @Nullable AiSystem definition)
    implements AimsEvent {

  public enum Change {
    LOADED,
    ADDED,
    UPDATED,
    REMOVED
  }

  public RegisterEvent(Instant ts, String system, Change change, @Nullable AiSystem definition) {
    this(EventTypes.REGISTER_CHANGED, ts, system, change, definition);
  }

  public RegisterEvent {
    EventTypes.require(type, java.util.Set.of(EventTypes.REGISTER_CHANGED));
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(change, "change");
  }
}
