package dev.aims.core;

import dev.aims.core.policy.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A decision that needs a human, as handed to the {@link ApprovalGate}.
 *
 * @param proposedOutput what the model proposed (not yet redacted: the gate applies its own rules
 *     before showing or storing it)
 * @param requester who made the governed call (service or user id), when the call said
 */
public record ReviewRequest(
    UUID decisionId,
    AiSystem system,
    String useCase,
    @Nullable ModelRef model,
    @Nullable Object input,
    Object proposedOutput,
    Map<String, Object> features,
    List<Reason> reasons,
    @Nullable String requester,
    Instant requestedAt) {

  public ReviewRequest {
    reasons = List.copyOf(reasons);
  }
}
