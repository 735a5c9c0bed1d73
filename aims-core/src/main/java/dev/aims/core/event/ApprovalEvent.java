package dev.aims.core.event;

import dev.aims.core.Actor;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code approval.requested}, {@code .granted}, {@code .rejected}, {@code .expired} or
 * {@code .escalated}: a step in the human review of one decision.
 *
 * @param details further facts of the step (deadline, required role, tier); bounded, no personal data
 */
public record ApprovalEvent(
    String type,
    Instant ts,
    UUID decisionId,
    String system,
    String useCase,
    @Nullable Actor actor,
    @Nullable String rationale,
    Map<String, Object> details)
    implements AimsEvent {

  private static final Set<String> TYPES =
      Set.of(
          EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED, EventTypes.APPROVAL_REJECTED,
          EventTypes.APPROVAL_EXPIRED, EventTypes.APPROVAL_ESCALATED,
          EventTypes.APPROVAL_COUNTED, EventTypes.APPROVAL_CANCELLED);

  public ApprovalEvent {
    EventTypes.require(type, TYPES);
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(useCase, "useCase");
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
