package dev.aims.core;

import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionContext;
import dev.aims.core.policy.Reason;
import dev.aims.core.policy.Ruling;
import dev.aims.core.policy.Stage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One governed call in progress: the steps of docs/architecture.md ("The path of one decision"), shared by the synchronous and
 * asynchronous forms. Also the {@link DecisionContext} boundaries read.
 */
final class CallState<I, O> implements DecisionContext {
  private static final Logger LOG = LoggerFactory.getLogger(CallState.class);

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("aims.decision.id");
  static final AttributeKey<String> VERDICT = AttributeKey.stringKey("aims.verdict");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aims.outcome");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("aims.system");
  static final AttributeKey<String> USE_CASE = AttributeKey.stringKey("aims.use_case");
  static final AttributeKey<String> INPUT_CONTENT = AttributeKey.stringKey("aims.input");
  static final AttributeKey<String> OUTPUT_CONTENT = AttributeKey.stringKey("aims.output");

  private final Aims aims;
  private boolean inReview;
  private final SystemRuntime runtime;
  private final AiSystem system;
  private final SystemRuntime.PolicySnapshot policy;
  private final DecisionCall<I> call;
  private final @Nullable ModelRef model;
  private final UUID id;
  private final long startNanos;
  private final Span span;

  private Stage stage = Stage.INPUT;
  private Verdict verdict = Verdict.ALLOW;
  private List<Reason> reasons = List.of();
  private @Nullable ModelResult<O> result;
  private long modelNanos = -1;
  private @Nullable ReviewOutcome review;
  private @Nullable String traceId;
  private @Nullable String spanId;

  CallState(DecisionCall<I> call) {
    this.call = call;
    this.aims = call.aims;
    this.runtime = call.runtime;
    this.system = runtime.definition;
    this.policy = runtime.policy;
    this.model = call.model != null ? call.model : soleModel(system);
    this.startNanos = System.nanoTime();
    this.id = aims.ids.next();
    this.span = startSpan();
  }

  static <O> @Nullable ModelResult<O> wrap(@Nullable O output) {
    return output == null ? null : ModelResult.of(output);
  }

  private static @Nullable ModelRef soleModel(AiSystem system) {
    return system.allowedModels().size() == 1 ? system.allowedModels().iterator().next() : null;
  }

  // ---- the two forms --------------------------------------------------------------------------

  <X extends Exception> Decision<O> run(ModelInvocation<? super I, O, X> invocation) throws X {
    try {
      callModel(invocation);
      if (verdict == Verdict.REVIEW) {
        applyReview(awaitReview(submitReview()));
      }
      return finish();
    } finally {
      span.end();
    }
  }

  /**
   * Like {@link #run} up to the review, then returns at once: for REVIEW the handle completes when
   * the gate's stage does (as in {@link #runAsync}); otherwise it is already complete.
   */
  <X extends Exception> PendingDecision<O> submit(ModelInvocation<? super I, O, X> invocation) throws X {
    boolean reviewEndsSpan = false;
    try {
      callModel(invocation);
      CompletableFuture<Decision<O>> decision = new CompletableFuture<>();
      if (verdict != Verdict.REVIEW) {
        decision.complete(finish());
      } else {
        reviewAsync(decision);
        reviewEndsSpan = true;
      }
      return new PendingDecision<>(id, decision);
    } finally {
      if (!reviewEndsSpan) {
        span.end();
      }
    }
  }

  /** Steps 1–4 on the caller's thread: stop switch, input boundaries, the model, output boundaries. */
  private <X extends Exception> void callModel(ModelInvocation<? super I, O, X> invocation) throws X {
    beforeModel();
    long t0 = System.nanoTime();
    ModelResult<O> r;
    try (Scope ignored = span.makeCurrent()) {
      @SuppressWarnings("unchecked")
      I in = (I) call.input;
      r = invocation.apply(in);
    } catch (Exception e) {
      modelFailed(e, System.nanoTime() - t0);
      throw e;
    }
    afterModel(r, System.nanoTime() - t0);
  }

  CompletionStage<Decision<O>> runAsync(Function<? super I, ? extends CompletionStage<ModelResult<O>>> invocation) {
    CompletableFuture<Decision<O>> decision = new CompletableFuture<>();
    long t0;
    CompletionStage<ModelResult<O>> stage;
    try {
      beforeModel();
      t0 = System.nanoTime();
      try (Scope ignored = span.makeCurrent()) {
        @SuppressWarnings("unchecked")
        I in = (I) call.input;
        stage = invocation.apply(in);
      } catch (RuntimeException e) {
        modelFailed(e, System.nanoTime() - t0);
        throw e;
      }
      if (stage == null) {
        stage = CompletableFuture.completedFuture(null);
      }
    } catch (RuntimeException e) {
      span.end();
      return CompletableFuture.failedFuture(e);
    }
    long started = t0;
    stage.whenComplete((r, error) -> {
      try {
        if (error != null) {
          Throwable cause = unwrap(error);
          modelFailed(cause, System.nanoTime() - started);
          throw new CompletionException(cause);
        }
        afterModel(r, System.nanoTime() - started);
        if (verdict != Verdict.REVIEW) {
          decision.complete(finish());
          span.end();
          return;
        }
        reviewAsync(decision);
      } catch (RuntimeException e) {
        decision.completeExceptionally(unwrap(e));
        span.end();
      }
    });
    return decision;
  }

  /**
   * Step 5 without waiting: submits the review (throwing if that cannot be recorded) and completes
   * {@code decision} when the gate's stage does; from then on the review's completion ends the span.
   */
  private void reviewAsync(CompletableFuture<Decision<O>> decision) {
    submitReview().whenComplete((outcome, reviewError) -> {
      try {
        applyReview(reviewResult(outcome, reviewError));
        decision.complete(finish());
      } catch (RuntimeException e) {
        decision.completeExceptionally(unwrap(e));
      } finally {
        span.end();
      }
    });
  }

  // ---- steps ----------------------------------------------------------------------------------

  /** Stop switch, log health, input boundaries. Throws (after recording) if the call must not go on. */
  private void beforeModel() {
    SystemRuntime.StopState stop = runtime.stopped;
    if (stop != null) {
      refuse(DecisionRefusedException.Cause.SYSTEM_STOPPED,
          "system '" + system.id() + "' is stopped by " + stop.actor().id() + ": " + stop.reason()
              + "; new decisions are refused until it is resumed", null);
    }
    if (system.onLogFailure() == LogFailurePolicy.REFUSE) {
      aims.log.failure().ifPresent(why -> refuse(DecisionRefusedException.Cause.LOG_UNAVAILABLE,
          "the decision log cannot be written (" + why + ") and system '" + system.id()
              + "' refuses to act without it (onLogFailure=REFUSE)", null));
    }
    evaluate(policy.input());
    if (verdict == Verdict.DENY) {
      deny();
    }
  }

  private void modelFailed(Throwable error, long nanos) {
    modelNanos = nanos;
    runtime.metrics.modelCalled(false, nanos);
    span.recordException(error);
    Throwable logFailure = record(decisionEvent(EventTypes.DECISION_FINAL, Outcome.FAILED, null,
        error.getClass().getName() + ": " + error.getMessage()));
    if (logFailure != null) {
      error.addSuppressed(logFailure);
    }
    end(Outcome.FAILED);
  }

  private void afterModel(@Nullable ModelResult<O> r, long nanos) {
    if (r == null) {
      ModelOutputException noOutput = new ModelOutputException(id, "the model of system '" + system.id()
          + "' use case '" + call.useCase + "' returned null; a governed call must return a value (decision "
          + id + " is recorded as failed)");
      modelFailed(noOutput, nanos);
      throw noOutput;
    }
    modelNanos = nanos;
    result = r;
    runtime.metrics.modelCalled(true, nanos);
    stage = Stage.OUTPUT;
    SystemRuntime.StopState stop = runtime.stopped;
    if (stop != null) {
      refuse(DecisionRefusedException.Cause.SYSTEM_STOPPED, "system '" + system.id()
          + "' was stopped during the model call by " + stop.actor().id() + ": " + stop.reason()
          + "; the output is not acted upon", null);
    }
    evaluate(policy.output());
    if (verdict == Verdict.DENY) {
      deny();
    }
  }

  private CompletionStage<ReviewOutcome> submitReview() {
    ModelResult<O> r = requireResult();
    failIfLogFailed(record(decisionEvent(EventTypes.DECISION_PROPOSED, null, null, null)));
    failIfLogFailed(record(approvalEvent(EventTypes.APPROVAL_REQUESTED, null)));
    ReviewRequest request = new ReviewRequest(id, system, call.useCase, model, call.input, r.output(),
        call.features, reasons, call.requester, aims.clock.instant(), policy.policy().version(), call.action,
        call.idempotencyKey);
    runtime.metrics.reviewStarted();
    inReview = true;
    aims.reviews.started();
    try {
      CompletionStage<ReviewOutcome> pending = aims.gate.submit(request);
      if (pending == null) {
        throw new IllegalStateException("approval gate " + aims.gate + " returned null");
      }
      return pending;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ReviewOutcome awaitReview(CompletionStage<ReviewOutcome> pending) {
    try {
      return reviewResult(pending.toCompletableFuture().get(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reviewResult(null, e);
    } catch (ExecutionException e) {
      return reviewResult(null, e.getCause());
    }
  }

  /** The review's outcome, or a recorded refusal if the review could not take place. */
  private ReviewOutcome reviewResult(@Nullable ReviewOutcome outcome, @Nullable Throwable error) {
    if (error == null && outcome != null) {
      return outcome;
    }
    runtime.metrics.reviewEnded(null, 0);
    Throwable cause = error == null ? new IllegalStateException("the approval gate completed with no outcome")
        : unwrap(error);
    String message = cause instanceof DecisionRefusedException ? cause.getMessage()
        : "decision " + id + " of system '" + system.id() + "' needs review but the review could not take place ("
            + cause + "); it is refused, never allowed";
    DecisionRefusedException.Cause why = cause instanceof DecisionRefusedException r
        && r.refusal() == DecisionRefusedException.Cause.SHUTDOWN ? r.refusal()
        : DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE;
    refuse(why, message, cause);
    throw new AssertionError("unreachable");
  }

  private void applyReview(ReviewOutcome outcome) {
    Object replacement = outcome.overriddenOutput();
    Object proposed = requireResult().output();
    if (replacement != null && !proposed.getClass().isInstance(replacement)) {
      runtime.metrics.reviewEnded(null, 0);
      refuse(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE, "the override of decision " + id + " is a "
          + replacement.getClass().getName() + " but the model's output is a " + proposed.getClass().getName()
          + "; an override must have the output's type", null);
    }
    review = outcome;
    runtime.metrics.reviewEnded(outcome.resolution(), Math.max(0, System.nanoTime() - startNanos - modelNanos));
    switch (outcome.resolution()) {
      case APPROVED -> failIfLogFailed(record(approvalEvent(EventTypes.APPROVAL_GRANTED, outcome)));
      case OVERRIDDEN -> {
        failIfLogFailed(record(approvalEvent(EventTypes.APPROVAL_GRANTED, outcome)));
        failIfLogFailed(record(decisionEvent(EventTypes.DECISION_OVERRIDDEN, Outcome.OVERRIDDEN, outcome, null)));
      }
      case REJECTED, EXPIRED, CANCELLED -> {
        Outcome o = switch (outcome.resolution()) {
          case EXPIRED -> Outcome.EXPIRED;
          case CANCELLED -> Outcome.REFUSED;
          default -> Outcome.REJECTED;
        };
        String type = switch (outcome.resolution()) {
          case EXPIRED -> EventTypes.APPROVAL_EXPIRED;
          case CANCELLED -> EventTypes.APPROVAL_CANCELLED;
          default -> EventTypes.APPROVAL_REJECTED;
        };
        Throwable logFailure = record(approvalEvent(type, outcome));
        Throwable finalFailure = record(decisionEvent(EventTypes.DECISION_FINAL, o, outcome, null));
        end(o);
        DecisionRejectedException rejected = new DecisionRejectedException(id, system.id(), outcome);
        addSuppressed(rejected, logFailure);
        addSuppressed(rejected, finalFailure);
        throw rejected;
      }
    }
  }

  private Decision<O> finish() {
    ModelResult<O> r = requireResult();
    Outcome outcome = review == null ? Outcome.ALLOWED
        : review.resolution() == Resolution.OVERRIDDEN ? Outcome.OVERRIDDEN : Outcome.APPROVED;
    failIfLogFailed(record(decisionEvent(EventTypes.DECISION_FINAL, outcome, review, null)));
    end(outcome);
    @SuppressWarnings("unchecked")
    O output = review != null && review.overriddenOutput() != null ? (O) review.overriddenOutput() : r.output();
    return new Decision<>(id, system.id(), call.useCase, verdict, outcome, output, reasons, model,
        r.responseModel(), policy.policy().version(), Duration.ofNanos(System.nanoTime() - startNanos),
        Duration.ofNanos(modelNanos), r.usage(), review);
  }

  // ---- boundaries -----------------------------------------------------------------------------

  private void evaluate(DecisionBoundary[] boundaries) {
    for (DecisionBoundary b : boundaries) {
      Ruling ruling;
      try {
        ruling = b.evaluate(this);
        if (ruling == null) {
          throw new IllegalStateException("returned null");
        }
      } catch (RuntimeException e) {
        LOG.warn("Decision boundary '{}' of system '{}' failed; the decision is denied (fail closed)",
            b.id(), system.id(), e);
        ruling = Ruling.deny("boundary failed: " + e);
      }
      if (ruling.verdict() != Verdict.ALLOW) {
        if (reasons.isEmpty()) {
          reasons = new ArrayList<>(2);
        }
        reasons.add(new Reason(b.id(), b.version(), ruling.verdict(), ruling.message()));
        verdict = verdict.and(ruling.verdict());
      }
    }
  }

  private void deny() {
    Throwable logFailure = record(decisionEvent(EventTypes.DECISION_FINAL, Outcome.DENIED, null, null));
    end(Outcome.DENIED);
    DecisionDeniedException denied = new DecisionDeniedException(id, system.id(), reasons);
    addSuppressed(denied, logFailure);
    throw denied;
  }

  private void refuse(DecisionRefusedException.Cause cause, String message, @Nullable Throwable error) {
    verdict = Verdict.DENY;
    if (cause == DecisionRefusedException.Cause.SYSTEM_STOPPED) {
      if (reasons.isEmpty()) {
        reasons = new ArrayList<>(1);
      }
      reasons.add(new Reason(Reason.STOP_SWITCH_BOUNDARY, "1", Verdict.DENY, message));
    }
    // a shutdown says so in the record: "shutdown: <why>", so an auditor can tell it from a failure
    String errorText = cause == DecisionRefusedException.Cause.SHUTDOWN ? "shutdown: " + message
        : error == null ? null : error.toString();
    Throwable logFailure = cause == DecisionRefusedException.Cause.LOG_UNAVAILABLE ? null
        : record(decisionEvent(EventTypes.DECISION_FINAL, Outcome.REFUSED, null, errorText));
    end(Outcome.REFUSED);
    DecisionRefusedException refused = new DecisionRefusedException(cause, message, id, error);
    addSuppressed(refused, logFailure);
    throw refused;
  }

  // ---- recording ------------------------------------------------------------------------------

  /** Appends one event; returns the failure, or null. Counts both. */
  private @Nullable Throwable record(AimsEvent event) {
    try {
      aims.log.append(new LogEntry(event, aims.encoder));
      runtime.metrics.logAppended(true);
      aims.appended(event);
      return null;
    } catch (RuntimeException e) {
      runtime.metrics.logAppended(false);
      aims.logFailureOnce(e);
      return e;
    }
  }

  /** For events an actionable decision needs: under REFUSE, a failed append refuses the decision. */
  private void failIfLogFailed(@Nullable Throwable failure) {
    if (failure != null && system.onLogFailure() == LogFailurePolicy.REFUSE) {
      end(Outcome.REFUSED);
      throw new DecisionRefusedException(DecisionRefusedException.Cause.LOG_UNAVAILABLE,
          "decision " + id + " could not be written to the decision log (" + failure.getMessage() + ") and system '"
              + system.id() + "' refuses to act without it (onLogFailure=REFUSE)", id, failure);
    }
  }

  private DecisionEvent decisionEvent(String type, @Nullable Outcome outcome, @Nullable ReviewOutcome by,
      @Nullable String error) {
    ModelResult<O> r = result;
    return new DecisionEvent(type, aims.clock.instant(), id, system.id(), call.useCase, model,
        r == null ? null : r.responseModel(), call.input, r == null ? null : r.output(),
        by == null ? null : by.overriddenOutput(), call.features,
        aims.logProtectedAttributes && !call.protectedAttributes.isEmpty() ? call.protectedAttributes : null,
        verdict, outcome, reasons, policy.policy().version(), modelNanos < 0 ? null : modelNanos / 1e6,
        r == null ? null : r.usage(), traceId, spanId, by == null ? null : by.actor(),
        by == null ? null : by.rationale(), error);
  }

  private ApprovalEvent approvalEvent(String type, @Nullable ReviewOutcome outcome) {
    Map<String, Object> details = outcome == null ? Map.of("reasons", reasons.size())
        : outcome.approvers().isEmpty() ? Map.of("resolution", outcome.resolution().name())
        : Map.of("resolution", outcome.resolution().name(), "approvers", outcome.approvers());
    return new ApprovalEvent(type, aims.clock.instant(), id, system.id(), call.useCase,
        outcome == null ? null : outcome.actor(), outcome == null ? null : outcome.rationale(), details);
  }

  private ModelResult<O> requireResult() {
    ModelResult<O> r = result;
    if (r == null) {
      throw new IllegalStateException("no model result");
    }
    return r;
  }

  private static void addSuppressed(Throwable to, @Nullable Throwable failure) {
    if (failure != null) {
      to.addSuppressed(failure);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ---- telemetry ------------------------------------------------------------------------------

  private Span startSpan() {
    Span s = aims.tracer.spanBuilder(call.operation + " " + (model == null ? system.id() : model.name()))
        .startSpan();
    SpanContext ctx = s.getSpanContext();
    if (ctx.isValid()) {
      traceId = ctx.getTraceId();
      spanId = ctx.getSpanId();
    }
    if (s.isRecording()) {
      s.setAttribute(OPERATION, call.operation);
      s.setAttribute(DECISION_ID, id.toString());
      s.setAttribute(SYSTEM, system.id());
      s.setAttribute(USE_CASE, call.useCase);
      if (model != null) {
        s.setAttribute(PROVIDER, model.provider());
        s.setAttribute(REQUEST_MODEL, model.name());
      }
    }
    return s;
  }

  /** Meters, monitors (step 7) and span attributes for the outcome. Runs once per call. */
  private void end(Outcome outcome) {
    if (inReview) {
      inReview = false;
      aims.reviews.ended(); // after the decision's last event: whoever waits for reviews to end may close the log
    }
    runtime.metrics.decided(verdict, outcome, System.nanoTime() - startNanos);
    monitor();
    if (!span.isRecording()) {
      return;
    }
    span.setAttribute(VERDICT, verdict.name());
    span.setAttribute(OUTCOME, outcome.tag());
    ModelResult<O> r = result;
    if (r != null) {
      ModelRef responseModel = r.responseModel() != null ? r.responseModel() : model;
      if (responseModel != null) {
        span.setAttribute(RESPONSE_MODEL, responseModel.name());
      }
      if (r.usage() != null) {
        span.setAttribute(INPUT_TOKENS, r.usage().inputTokens());
        span.setAttribute(OUTPUT_TOKENS, r.usage().outputTokens());
      }
    }
    if (!outcome.actionable()) {
      span.setStatus(StatusCode.ERROR, outcome.tag());
    }
    if (aims.captureContent) {
      var body = new LogEntry(decisionEvent(EventTypes.DECISION_FINAL, outcome, review, null), aims.encoder).body();
      if (body.has("input")) {
        span.setAttribute(INPUT_CONTENT, dev.aims.core.event.CanonicalJson.write(body.get("input")));
      }
      if (body.has("output")) {
        span.setAttribute(OUTPUT_CONTENT, dev.aims.core.event.CanonicalJson.write(body.get("output")));
      }
    }
  }

  /**
   * Feeds the system's drift and fairness monitors with every call whose model returned an output:
   * what the model saw and what it answered, whatever the verdict. Never fails the call.
   */
  private void monitor() {
    Monitor m = runtime.monitor;
    ModelResult<O> r = result;
    if (m == null || r == null) {
      return;
    }
    try {
      m.record(id, call.features, r.output(), call.protectedAttributes);
    } catch (RuntimeException e) {
      aims.monitorFailureOnce(e);
    }
  }

  // ---- DecisionContext ------------------------------------------------------------------------

  @Override
  public AiSystem system() {
    return system;
  }

  @Override
  public String useCase() {
    return call.useCase;
  }

  @Override
  public Stage stage() {
    return stage;
  }

  @Override
  public @Nullable ModelRef model() {
    return model;
  }

  @Override
  public @Nullable ModelRef responseModel() {
    ModelResult<O> r = result;
    return r == null ? null : r.responseModel();
  }

  @Override
  public @Nullable Object input() {
    return call.input;
  }

  @Override
  public @Nullable Object output() {
    ModelResult<O> r = result;
    return r == null ? null : r.output();
  }

  @Override
  public Map<String, Object> features() {
    return call.features;
  }

  @Override
  public Map<String, String> protectedAttributes() {
    return call.protectedAttributes;
  }

  @Override
  public OptionalDouble confidence() {
    ModelResult<O> r = result;
    return r == null || r.confidence() == null ? OptionalDouble.empty() : OptionalDouble.of(r.confidence());
  }
}
