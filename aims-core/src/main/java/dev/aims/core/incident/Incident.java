package dev.aims.core.incident;

import dev.aims.core.Actor;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One incident as it stands (an immutable snapshot; {@link Incidents} returns a new one per step).
 *
 * @param openedBy who opened it; null when a trigger did
 * @param trigger what opened it automatically ({@code stop-switch}, {@code drift:<feature>}, ...); null from code
 * @param category null until classified serious
 * @param deadline when the report to the authority is due; null unless serious
 */
public record Incident(UUID id, String system, IncidentKind kind, String summary, Instant openedAt,
    @Nullable Actor openedBy, @Nullable String trigger, List<UUID> decisions, @Nullable Boolean serious,
    @Nullable ReportCategory category, @Nullable Instant deadline, @Nullable Instant reportedAt,
    @Nullable String reportReference, @Nullable Instant closedAt, @Nullable String correctiveAction) {
  public Incident {
    decisions = List.copyOf(decisions);
  }

  public boolean isOpen() {
    return closedAt == null;
  }

  /** Serious, not reported, and past its deadline at {@code now}. */
  public boolean overdue(Instant now) {
    return deadline != null && reportedAt == null && now.isAfter(deadline);
  }
}
