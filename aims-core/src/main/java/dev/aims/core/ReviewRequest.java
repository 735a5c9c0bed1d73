package dev.aims.core;

import dev.aims.core.policy.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A decision that needs a human, as handed to the {@link ApprovalGate}.
 *
 * @param proposedOutput what the model proposed (not yet redacted: the gate applies its own rules
 *     before showing or storing it)
 * @param requester who made the governed call (service or user id), when the call said
 * @param policyVersion the version of the system's decision policy the call ran under (the one
 *     whose boundaries returned REVIEW), so a gate can tell later whether the approval still applies
 * @param action the action the decision would take, as given with {@link DecisionCall#action}
 *     (e.g. {@code {amount, account}}), or null when the call gave none; a gate binds the approval
 *     to it (or, without one, to the proposed output)
 * @param idempotencyKey the caller's key for this call ({@link DecisionCall#idempotencyKey}), or
 *     null: a retry with the same key should find the request the first attempt made
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
    Instant requestedAt,
    String policyVersion,
    @Nullable Object action,
    @Nullable String idempotencyKey) {

  /** A request without an idempotency key (the form before the key existed). */
  public ReviewRequest(UUID decisionId, AiSystem system, String useCase, @Nullable ModelRef model,
      @Nullable Object input, Object proposedOutput, Map<String, Object> features, List<Reason> reasons,
      @Nullable String requester, Instant requestedAt, String policyVersion, @Nullable Object action) {
    this(decisionId, system, useCase, model, input, proposedOutput, features, reasons, requester, requestedAt,
        policyVersion, action, null);
  }

  public ReviewRequest {
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(policyVersion, "policyVersion");
  }

  /** What an approval binds: the {@link #action} when the call gave one, else the proposed output. */
  public Object actionOrOutput() {
    return action != null ? action : proposedOutput;
  }
}
