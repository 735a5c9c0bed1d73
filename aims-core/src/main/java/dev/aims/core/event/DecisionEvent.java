package dev.aims.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.aims.core.Actor;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.TokenUsage;
import dev.aims.core.Verdict;
import dev.aims.core.policy.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code decision.proposed}, {@code decision.final} or {@code decision.overridden}: one governed
 * decision. {@code input} and {@code output} are the application's values; they are serialised,
 * redacted and size-capped when the event is encoded, not when it is created, so the caller's path
 * stays cheap.
 *
 * @param overriddenOutput for {@code decision.overridden}: the reviewer's replacement output
 * @param protectedAttributes only present when the Aims instance is configured to log them
 * @param error for a failed model call: the exception's class and message
 */
public record DecisionEvent(
    String type,
    Instant ts,
    UUID decisionId,
    String system,
    String useCase,
    @Nullable ModelRef model,
    @Nullable ModelRef responseModel,
    @JsonIgnore @Nullable Object input,
    @JsonIgnore @Nullable Object output,
    @JsonIgnore @Nullable Object overriddenOutput,
    Map<String, Object> features,
    @Nullable Map<String, String> protectedAttributes,
    Verdict verdict,
    @Nullable Outcome outcome,
    List<Reason> reasons,
    @Nullable String policyVersion,
    @Nullable Double latencyMs,
    @Nullable TokenUsage usage,
    @Nullable String traceId,
    @Nullable String spanId,
    @Nullable Actor actor,
    @Nullable String rationale,
    @Nullable String error)
    implements AimsEvent {

  private static final Set<String> TYPES =
      Set.of(EventTypes.DECISION_PROPOSED, EventTypes.DECISION_FINAL, EventTypes.DECISION_OVERRIDDEN);

  public DecisionEvent {
    EventTypes.require(type, TYPES);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(useCase, "useCase");
    Objects.requireNonNull(verdict, "verdict");
    features = features == null ? Map.of() : features;
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  @Override
  public Map<String, Object> payloads() {
    Map<String, Object> payloads = new LinkedHashMap<>(4);
    if (input != null) {
      payloads.put("input", input);
    }
    if (output != null) {
      payloads.put("output", output);
    }
    if (overriddenOutput != null) {
      payloads.put("overridden_output", overriddenOutput);
    }
    return payloads;
  }
}
