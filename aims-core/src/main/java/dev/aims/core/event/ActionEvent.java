package dev.aims.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code action.started}, {@code action.executed}, {@code action.failed} or {@code action.refused}:
 * the execution of a governed tool call whose proposal is decision {@code decisionId}. The result is
 * an application value: redacted with the system's rules and capped like model output when encoded.
 *
 * @param parentDecisionId the conversation turn's decision, when the call named it
 * @param argumentsDigest SHA-256 of the canonical JSON of the redacted arguments (what was approved)
 * @param latencyMs how long the tool ran, for executed and failed
 * @param error the exception class and message, for failed; why, for refused
 */
public record ActionEvent(
    String type,
    Instant ts,
    String system,
    UUID decisionId,
    @Nullable UUID parentDecisionId,
    String tool,
    String argumentsDigest,
    @Nullable Double latencyMs,
    @Nullable String error,
    @JsonIgnore @Nullable Object result)
    implements AimsEvent {

  private static final Set<String> TYPES = Set.of(
      EventTypes.ACTION_STARTED, EventTypes.ACTION_EXECUTED, EventTypes.ACTION_FAILED, EventTypes.ACTION_REFUSED);

  public ActionEvent {
    EventTypes.require(type, TYPES);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(argumentsDigest, "argumentsDigest");
  }

  @Override
  public Map<String, Object> payloads() {
    return result == null ? Map.of() : Map.of("result", result);
  }
}
