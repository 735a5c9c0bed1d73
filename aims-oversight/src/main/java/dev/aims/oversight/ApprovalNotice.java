package dev.aims.oversight;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a {@link Notifier} is told: a request was made, escalated or decided. Carries the request
 * as reviewers see it (output redacted), never the unredacted action.
 *
 * @param id unique per notice; webhook receivers de-duplicate deliveries by it
 */
public record ApprovalNotice(UUID id, Kind kind, ApprovalRequest request, Instant at) {
  public enum Kind {
    REQUESTED,
    ESCALATED,
    DECIDED
  }

  public ApprovalNotice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(at, "at");
  }
}
