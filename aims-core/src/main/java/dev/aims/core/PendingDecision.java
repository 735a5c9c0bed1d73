package dev.aims.core;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A governed decision that may still be waiting for a reviewer, as {@link DecisionCall#submit}
 * returns it: the decision id at once, the decision when the review ends.
 *
 * <p>{@link #decision()} completes with the {@link Decision} (ALLOWED, APPROVED or OVERRIDDEN), or
 * exceptionally with {@link DecisionRejectedException} (rejected, expired or cancelled by a
 * reviewer or the deadline) or {@link DecisionRefusedException} (the review could not take place,
 * or the log could not be written under {@code onLogFailure=REFUSE}). A decision the boundaries
 * allowed is already complete. Callers cannot complete the stage themselves.
 *
 * @param <O> the output type
 */
public final class PendingDecision<O> {
  private final UUID decisionId;
  private final CompletableFuture<Decision<O>> decision;

  PendingDecision(UUID decisionId, CompletableFuture<Decision<O>> decision) {
    this.decisionId = Objects.requireNonNull(decisionId, "decisionId");
    this.decision = Objects.requireNonNull(decision, "decision");
  }

  /** The decision's id: the one in the log's {@code decision.proposed} and the reviewer's request. */
  public UUID decisionId() {
    return decisionId;
  }

  /** Completes with the decision, or with the named exception when it may not be acted upon. */
  public CompletionStage<Decision<O>> decision() {
    return decision.minimalCompletionStage();
  }

  /** Whether the review (if any) has ended, in whichever way. */
  public boolean isDone() {
    return decision.isDone();
  }

  @Override
  public String toString() {
    return "PendingDecision[" + decisionId + (decision.isDone() ? ", done]" : ", pending]");
  }
}
