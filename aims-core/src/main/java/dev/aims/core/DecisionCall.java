package dev.aims.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One governed call being described, then run once with {@link #call}, {@link #invoke},
 * {@link #submit}, {@link #callAsync} or {@link #invokeAsync}. Not thread-safe; start a new one for
 * each decision.
 *
 * <pre>{@code
 * Decision<Score> d = aims.system("credit-scoring").useCase("score-applicant")
 *     .model(ModelRef.of("acme", "scorer", "2.1"))
 *     .input(applicant)
 *     .feature("income", applicant.income())
 *     .protectedAttribute("age_band", applicant.ageBand())
 *     .call(model::score);
 * }</pre>
 *
 * <p>What happens, in order: the stop switch; input boundaries (DENY throws
 * {@link DecisionDeniedException} before the model is called); the model call (its exception is
 * recorded and rethrown unchanged); output boundaries; for REVIEW, the {@link ApprovalGate}; the
 * decision log; the meters and the span.
 *
 * @param <I> the input type
 */
public final class DecisionCall<I> {
  final Aims aims;
  final SystemRuntime runtime;
  final String useCase;
  @Nullable ModelRef model;
  @Nullable Object input;
  Map<String, Object> features = Map.of();
  Map<String, String> protectedAttributes = Map.of();
  @Nullable String requester;
  @Nullable String idempotencyKey;
  @Nullable Object action;
  String operation = "predict";
  private boolean used;

  DecisionCall(Aims aims, SystemRuntime runtime, String useCase) {
    this.aims = aims;
    this.runtime = runtime;
    this.useCase = useCase;
  }

  /** The model requested; may be left out when the system allows exactly one model. */
  public DecisionCall<I> model(ModelRef model) {
    this.model = ModelRef.requireNonNull(model, "model");
    return this;
  }

  /** The model's input, recorded in the decision log after redaction. */
  @SuppressWarnings("unchecked")
  public <T> DecisionCall<T> input(T input) {
    this.input = input;
    return (DecisionCall<T>) this;
  }

  /** A numeric feature, for boundaries and drift monitoring. NaN and infinities count as missing. */
  public DecisionCall<I> feature(String name, double value) {
    return putFeature(name, value);
  }

  /** A categorical feature; null counts as missing. */
  public DecisionCall<I> feature(String name, @Nullable String category) {
    return putFeature(name, category);
  }

  private DecisionCall<I> putFeature(String name, @Nullable Object value) {
    Checks.requireText(name, "feature name");
    if (features.isEmpty()) {
      features = new LinkedHashMap<>();
    }
    features.put(name, value);
    return this;
  }

  /** A protected attribute (e.g. {@code age_band}) for fairness; not logged unless configured. */
  public DecisionCall<I> protectedAttribute(String name, String value) {
    Checks.requireText(name, "protected attribute name");
    Objects.requireNonNull(value, () -> "value of protected attribute '" + name + "' must not be null");
    if (protectedAttributes.isEmpty()) {
      protectedAttributes = new LinkedHashMap<>();
    }
    protectedAttributes.put(name, value);
    return this;
  }

  /** Who asks for the decision (service or user id); reviewers cannot approve their own requests. */
  public DecisionCall<I> requester(String requester) {
    this.requester = Checks.requireText(requester, "requester");
    return this;
  }

  /**
   * A key the caller chooses for this governed call (at most 200 characters), so that a retry after
   * a failure (a timeout, a restart of the instance it waited on) finds the approval request the
   * first attempt made instead of making a second one. It is handed to the {@link ApprovalGate} in
   * {@link ReviewRequest#idempotencyKey()}; a gate scopes it by system, use case and requester.
   */
  public DecisionCall<I> idempotencyKey(String key) {
    Checks.requireText(key, "idempotencyKey");
    if (key.length() > 200) {
      throw new IllegalArgumentException("idempotencyKey must be at most 200 characters but has " + key.length());
    }
    this.idempotencyKey = key;
    return this;
  }

  /**
   * The action the decision would take, e.g. {@code {amount, account}}: when the verdict is REVIEW
   * the approval is bound to it by its digest, so the action that runs after approval must be
   * exactly this one (without it, the approval is bound to the model's proposed output). It is
   * handed to the {@link ApprovalGate} in {@link ReviewRequest#action()}, not written to the
   * decision log.
   */
  public DecisionCall<I> action(Object parameters) {
    this.action = Objects.requireNonNull(parameters, "action parameters");
    return this;
  }

  /**
   * The OpenTelemetry GenAI operation name ({@code gen_ai.operation.name}): {@code chat},
   * {@code text_completion}, {@code embeddings}, ... Defaults to {@code predict} for models that
   * are none of those.
   */
  public DecisionCall<I> operation(String operation) {
    this.operation = Checks.requireText(operation, "operation");
    return this;
  }

  /** Runs the governed call and returns the decision; see the class description for the steps. */
  public <O, X extends Exception> Decision<O> call(ModelCall<? super I, ? extends O, X> model) throws X {
    Objects.requireNonNull(model, "model call");
    return invoke(in -> CallState.wrap(model.apply(in)));
  }

  /** Like {@link #call}, for a model call that reports the answering model, usage or confidence. */
  public <O, X extends Exception> Decision<O> invoke(ModelInvocation<? super I, O, X> model) throws X {
    Objects.requireNonNull(model, "model invocation");
    return this.<O>start().run(model);
  }

  /**
   * Like {@link #call}, but does not wait for a reviewer: the boundaries and the model run on the
   * caller's thread (a DENY, a model failure or a refusal throws here, as with {@code call}); when
   * the verdict is REVIEW the request goes to the {@link ApprovalGate} and the handle returns at
   * once with the decision id, its {@link PendingDecision#decision() stage} completing when the
   * review ends. When the verdict is ALLOW the handle is already complete.
   */
  public <O, X extends Exception> PendingDecision<O> submit(ModelCall<? super I, ? extends O, X> model) throws X {
    Objects.requireNonNull(model, "model call");
    return this.<O>start().submit(in -> CallState.wrap(model.apply(in)));
  }

  /** The asynchronous form: the stage completes with the decision or the same failures as {@link #call}. */
  public <O> CompletionStage<Decision<O>> callAsync(
      Function<? super I, ? extends CompletionStage<? extends O>> model) {
    Objects.requireNonNull(model, "model call");
    return invokeAsync(in -> {
      CompletionStage<? extends O> stage = model.apply(in);
      return stage == null ? null : stage.thenApply(CallState::wrap);
    });
  }

  public <O> CompletionStage<Decision<O>> invokeAsync(
      Function<? super I, ? extends CompletionStage<ModelResult<O>>> model) {
    Objects.requireNonNull(model, "model invocation");
    return this.<O>start().runAsync(model);
  }

  @SuppressWarnings("unchecked")
  private <O> CallState<I, O> start() {
    if (used) {
      throw new IllegalStateException("a DecisionCall runs once; start a new one with system(...).useCase(...)");
    }
    used = true;
    if (features.size() > 0) {
      features = Collections.unmodifiableMap(features);
    }
    if (protectedAttributes.size() > 0) {
      protectedAttributes = Collections.unmodifiableMap(protectedAttributes);
    }
    return new CallState<>((DecisionCall<I>) this);
  }
}
