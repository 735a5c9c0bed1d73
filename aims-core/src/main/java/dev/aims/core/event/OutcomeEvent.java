package dev.aims.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code outcome.recorded}: a late label ({@code aims.feedback(decisionId, actualOutcome)}) arrived.
 * The actual outcome is an application value: like model output it is serialised, redacted with
 * the system's rules and capped when encoded. For a decision no monitor knows ({@code status}
 * {@code unknown}) the system is unknown too, so no redaction rules apply and the outcome is left
 * out; only the fact and the id are recorded.
 *
 * @param system the decision's system; null when the decision is unknown or expired
 * @param status {@code recorded}, {@code duplicate} or {@code unknown}
 */
public record OutcomeEvent(
    String type,
    Instant ts,
    UUID decisionId,
    @Nullable String system,
    String status,
    @JsonIgnore @Nullable Object actualOutcome)
    implements AimsEvent {

  private static final Set<String> STATUSES = Set.of("recorded", "duplicate", "unknown");

  public OutcomeEvent(Instant ts, UUID decisionId, @Nullable String system, String status,
      @Nullable Object actualOutcome) {
    this(EventTypes.OUTCOME_RECORDED, ts, decisionId, system, status, actualOutcome);
  }

  public OutcomeEvent {
    EventTypes.require(type, Set.of(EventTypes.OUTCOME_RECORDED));
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(status, "status");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("outcome status '" + status + "' is not one of " + STATUSES);
    }
    if (system == null) {
      actualOutcome = null;
    }
  }

  @Override
  public Map<String, Object> payloads() {
    return actualOutcome == null ? Map.of() : Map.of("actual_outcome", actualOutcome);
  }
}
