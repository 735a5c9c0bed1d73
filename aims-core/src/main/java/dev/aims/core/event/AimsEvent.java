package dev.aims.core.event;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One event for the decision log (docs/decision-log.md, "Event types and their fields"). The log adds the envelope ({@code v},
 * {@code seq}, {@code stream}, {@code prev}, {@code hash}); an event carries its {@code type},
 * {@code ts} and the fields of its kind.
 *
 * <p>Implementations are immutable records; Jackson writes their components in snake_case.
 */
public interface AimsEvent {

  /** One of the {@link EventTypes} names. */
  String type();

  Instant ts();

  /** The AI system the event is about; selects the redaction rules. Null for log-level events. */
  @Nullable String system();

  /**
   * Application values (model input and output) that are turned into JSON separately, so that one
   * that cannot be serialised or is too large is replaced by a marker instead of failing the event.
   * Keys are the JSON field names. Components returned here must be {@code @JsonIgnore}d.
   */
  default Map<String, Object> payloads() {
    return Map.of();
  }
}
