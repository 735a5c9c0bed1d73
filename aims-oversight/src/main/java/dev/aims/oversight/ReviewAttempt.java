package dev.aims.oversight;

import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One reviewer action on a request, accepted or refused, as the store keeps it (the votes table of
 * the PostgreSQL store). Refused attempts are evidence too: who tried what, and why it was refused.
 *
 * @param tier the request's tier when the attempt was made
 * @param role the role the tier required
 * @param refusal null when the attempt was accepted
 */
public record ReviewAttempt(
    UUID requestId,
    String reviewer,
    ReviewAction action,
    int tier,
    String role,
    Instant at,
    @Nullable String rationale,
    @Nullable Refusal refusal) {

  public ReviewAttempt {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(reviewer, "reviewer");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(at, "at");
  }

  public boolean accepted() {
    return refusal == null;
  }
}
