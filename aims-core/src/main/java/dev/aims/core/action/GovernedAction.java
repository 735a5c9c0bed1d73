package dev.aims.core.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.PendingDecision;
import dev.aims.core.Resolution;
import dev.aims.core.event.ActionEvent;
import dev.aims.core.event.EventTypes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One proposed tool call and its way to (at most one) execution. Get it from
 * {@link ActionGovernor#propose}; wait with {@link #await} (blocking, with a deadline) or
 * {@link #whenDecided} (deferred); run it with {@link #execute}. Thread-safe.
 */
public final class GovernedAction {
  private final ActionGovernor governor;
  private final ToolCall call;
  private final String toolTag;
  private final ToolProposal proposal;
  private final UUID decisionId;
  private final CompletableFuture<ActionStatus> decided = new CompletableFuture<>();
  private volatile ActionStatus status;
  private volatile List<String> reasons;
  private volatile @Nullable Instant decidedAt;

  GovernedAction(ActionGovernor governor, ToolCall call, String toolTag, ToolProposal proposal,
      PendingDecision<ToolProposal> pending, List<String> reasons, Instant now) {
    this.governor = governor;
    this.call = call;
    this.toolTag = toolTag;
    this.proposal = proposal;
    this.decisionId = pending.decisionId();
    this.reasons = reasons;
    if (pending.isDone()) {
      this.status = ActionStatus.ALLOWED;
      this.decidedAt = now;
    } else {
      this.status = ActionStatus.AWAITING_APPROVAL;
      this.reasons = List.of(proposal.ruling().message());
    }
    pending.decision().whenComplete(this::reviewEnded);
  }

  private GovernedAction(ActionGovernor governor, ToolCall call, String toolTag, ToolProposal proposal,
      UUID decisionId, List<String> reasons) {
    this.governor = governor;
    this.call = call;
    this.toolTag = toolTag;
    this.proposal = proposal;
    this.decisionId = decisionId;
    this.status = ActionStatus.DENIED;
    this.reasons = List.copyOf(reasons);
    decided.complete(ActionStatus.DENIED);
  }

  static GovernedAction denied(ActionGovernor governor, ToolCall call, String toolTag, ToolProposal proposal,
      UUID decisionId, List<String> reasons) {
    return new GovernedAction(governor, call, toolTag, proposal, decisionId, reasons);
  }

  private void reviewEnded(@Nullable Decision<ToolProposal> d, @Nullable Throwable error) {
    if (decided.isDone()) {
      return;
    }
    if (error == null && d != null) {
      if (d.review() != null && d.review().resolution() == Resolution.OVERRIDDEN) {
        reasons = List.of("the reviewer overrode the call; a tool call runs only exactly as approved, so the changed"
            + " call must be proposed anew");
        status = ActionStatus.REJECTED;
      } else {
        status = d.review() == null ? ActionStatus.ALLOWED : ActionStatus.APPROVED;
        if (d.review() != null) {
          decidedAt = governor.clock.instant();
        }
      }
    } else {
      Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (e instanceof DecisionRejectedException r) {
        status = r.review().resolution() == Resolution.REJECTED ? ActionStatus.REJECTED : ActionStatus.EXPIRED;
        reasons = List.of(r.getMessage());
      } else {
        status = ActionStatus.DENIED;
        reasons = List.of(e instanceof DecisionRefusedException ? e.getMessage() : String.valueOf(e));
      }
    }
    decided.complete(status);
  }

  public UUID decisionId() {
    return decisionId;
  }

  public String tool() {
    return call.tool();
  }

  public ToolCall call() {
    return call;
  }

  /** What is recorded and shown to the reviewer: the redacted arguments and their digest. */
  public ToolProposal proposal() {
    return proposal;
  }

  public String argumentsDigest() {
    return proposal.argumentsDigest();
  }

  public ActionStatus status() {
    return status;
  }

  /** Why it was denied, sent to review, rejected or expired; empty for a plain ALLOW. */
  public List<String> reasons() {
    return reasons;
  }

  /** Completes with the status once nobody needs to decide any more (at once unless AWAITING_APPROVAL). */
  public CompletionStage<ActionStatus> decided() {
    return decided.minimalCompletionStage();
  }

  /**
   * Waits up to {@code timeout} for the review to end and returns the status: AWAITING_APPROVAL if
   * it did not end in time (the request stays open; its own deadline still applies).
   */
  public ActionStatus await(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return decided.get(Math.max(0, timeout.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return status;
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the status stage never fails", e);
    }
  }

  /**
   * Deferred: when the review ends, runs the tool once if it was approved (on the governor's
   * executor) and delivers how it ended; if rejected, expired or denied, delivers that and runs
   * nothing. For an ALLOWED call it runs at once.
   */
  public void whenDecided(ToolExecutor tool, Consumer<ActionResult> onResult) {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(onResult, "onResult");
    decided.thenAcceptAsync(s -> {
      if (!s.mayRun()) {
        onResult.accept(new ActionResult(decisionId, call.tool(), s, false, null,
            new ActionNotAuthorisedException(notRunnable(s), decisionId, s)));
        return;
      }
      try {
        onResult.accept(new ActionResult(decisionId, call.tool(), s, true, execute(tool), null));
      } catch (ActionNotAuthorisedException e) {
        onResult.accept(new ActionResult(decisionId, call.tool(), s, false, null, e));
      } catch (Exception e) {
        onResult.accept(new ActionResult(decisionId, call.tool(), s, true, null, e));
      }
    }, governor.executor);
  }

  /**
   * Runs the tool with the arguments that were proposed (and, if reviewed, approved), once. Throws
   * {@link ActionNotAuthorisedException} when it may not run (see there); the tool's own exception
   * is recorded and rethrown unchanged.
   */
  public String execute(ToolExecutor tool) throws Exception {
    return run(tool);
  }

  /**
   * Like {@link #execute(ToolExecutor)}, for a caller that holds the arguments itself: they must be
   * the proposed ones (as JSON values); otherwise nothing runs, the refusal is recorded, and the
   * changed call needs a new proposal.
   */
  public String execute(String argumentsJson, ToolExecutor tool) throws Exception {
    Objects.requireNonNull(argumentsJson, "argumentsJson");
    JsonNode given;
    try {
      given = ActionGovernor.JSON.readTree(argumentsJson);
    } catch (JsonProcessingException e) {
      given = null;
    }
    JsonNode proposed = null;
    try {
      proposed = ActionGovernor.JSON.readTree(call.argumentsJson());
    } catch (JsonProcessingException e) {
      // invalid arguments were denied at proposal
    }
    if (given == null || !given.equals(proposed)) {
      throw refuse("the arguments differ from the ones " + (status == ActionStatus.APPROVED ? "approved" : "proposed")
          + " (digest " + proposal.argumentsDigest() + "); changed arguments are a new request: propose them anew");
    }
    return run(tool);
  }

  private String run(ToolExecutor tool) throws Exception {
    Objects.requireNonNull(tool, "tool");
    ActionStatus s = status;
    if (!s.mayRun()) {
      throw new ActionNotAuthorisedException(notRunnable(s), decisionId, s);
    }
    if (governor.aims.isStopped(call.system())) {
      throw refuse("system '" + call.system() + "' is stopped; actions do not run until it is resumed");
    }
    Instant now = governor.clock.instant();
    Instant deadline = Objects.requireNonNull(decidedAt).plus(governor.executionWindow);
    if (now.isAfter(deadline)) {
      throw refuse("the execution deadline " + deadline + " (" + governor.executionWindow + " after it was "
          + s.name().toLowerCase(Locale.ROOT) + ") has passed; propose the call anew");
    }
    if (!governor.ledger.claim(decisionId, proposal.argumentsDigest(), now)) {
      throw refuse("it has run already (its one execution was claimed before); an action runs at most once");
    }
    record(EventTypes.ACTION_STARTED, null, null, null);
    Span span = governor.span(call);
    span.setAttribute(ActionGovernor.DECISION_ID, decisionId.toString());
    span.setAttribute(ActionGovernor.VERDICT, s.name().toLowerCase(Locale.ROOT));
    long start = System.nanoTime();
    try (var ignored = span.makeCurrent()) {
      String result = tool.run(call.argumentsJson());
      long nanos = System.nanoTime() - start;
      record(EventTypes.ACTION_EXECUTED, nanos / 1e6, null, result);
      governor.countExecution(call.system(), toolTag, "executed", nanos);
      span.setAttribute(ActionGovernor.OUTCOME, "executed");
      return result;
    } catch (Exception | Error e) {
      long nanos = System.nanoTime() - start;
      record(EventTypes.ACTION_FAILED, nanos / 1e6, e.getClass().getName() + ": " + e.getMessage(), null);
      governor.countExecution(call.system(), toolTag, "failed", nanos);
      span.setAttribute(ActionGovernor.OUTCOME, "failed");
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private ActionNotAuthorisedException refuse(String why) {
    String message = "tool call '" + call.tool() + "' (decision " + decisionId + ") may not run: " + why;
    record(EventTypes.ACTION_REFUSED, null, why, null);
    governor.countExecution(call.system(), toolTag, "refused", 0);
    return new ActionNotAuthorisedException(message, decisionId, status);
  }

  private String notRunnable(ActionStatus s) {
    String why = switch (s) {
      case AWAITING_APPROVAL -> "it is awaiting approval";
      case DENIED -> "it was denied";
      case REJECTED -> "a reviewer rejected it";
      case EXPIRED -> "nobody approved it before its deadline";
      case ALLOWED, APPROVED -> "unreachable";
    };
    return "tool call '" + call.tool() + "' (decision " + decisionId + ") may not run: " + why
        + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
  }

  private void record(String type, @Nullable Double latencyMs, @Nullable String error, @Nullable String result) {
    governor.aims.record(new ActionEvent(type, governor.clock.instant(), call.system(), decisionId,
        call.parentDecisionId(), call.tool(), proposal.argumentsDigest(), latencyMs, error, result));
  }

  @Override
  public String toString() {
    return "GovernedAction[" + call.tool() + ", " + decisionId + ", " + status + "]";
  }
}
