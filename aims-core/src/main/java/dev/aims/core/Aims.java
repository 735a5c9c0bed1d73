package dev.aims.core;

import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.OutcomeEvent;
import dev.aims.core.event.PolicyEvent;
import dev.aims.core.event.RegisterEvent;
import dev.aims.core.event.SystemEvent;
import dev.aims.core.monitor.FeedbackResult;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.policy.DecisionPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one governed path for every AI decision an application makes.
 *
 * <pre>{@code
 * Aims aims = Aims.builder()
 *     .register(AiSystem.builder("credit-scoring").owner("risk-team").riskTier(RiskTier.HIGH)
 *         .purpose("score consumer loan applications")
 *         .allowModel(ModelRef.of("acme", "scorer", "2.1")).build())
 *     .policy("credit-scoring", DecisionPolicy.of("2026-11",
 *         NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
 *     .meterRegistry(registry)
 *     .build();
 * Decision<Score> d = aims.system("credit-scoring").useCase("score-applicant")
 *     .input(applicant).feature("amount", applicant.amount())
 *     .call(model::score);
 * }</pre>
 *
 * Thread-safe. With nothing configured it runs alone: a no-op decision log, no meters, a no-op
 * tracer, and an approval gate that refuses every REVIEW.
 */
public final class Aims implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Aims.class);
  private static final String INSTRUMENTATION_NAME = "dev.aims";

  final Clock clock;
  final IdGenerator ids;
  final DecisionLog log;
  private final boolean ownsLog;
  final ReviewsInFlight reviews = new ReviewsInFlight();
  final ApprovalGate gate;
  final EventEncoder encoder;
  final Tracer tracer;
  final boolean logProtectedAttributes;
  final boolean captureContent;
  private final @Nullable MeterRegistry meterRegistry;
  private final Map<String, Redactor> redactors;
  private final Redactor defaultRedactor;
  private final ConcurrentHashMap<String, SystemRuntime> systems = new ConcurrentHashMap<>();
  private final AiRegister register = new AiRegister(this);
  private final AtomicBoolean logFailureWarned = new AtomicBoolean();
  private final AtomicBoolean monitorFailureWarned = new AtomicBoolean();
  private final Executor monitorExecutor;
  private final Counter[] feedbackCounters = new Counter[FeedbackResult.values().length];
  private final List<SystemControlListener> controlListeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<AimsEvent>> eventListeners = new CopyOnWriteArrayList<>();

  private Aims(Builder b) {
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.ids = b.ids != null ? b.ids : IdGenerator.uuidV7(clock);
    this.ownsLog = b.log == null;
    this.log = b.log != null ? b.log : DecisionLog.noop();
    this.gate = b.gate != null ? b.gate : ApprovalGate.refuseAll();
    this.meterRegistry = b.meterRegistry;
    this.redactors = Map.copyOf(b.redactors);
    this.defaultRedactor = b.redactor != null ? b.redactor : Redactor.none();
    this.encoder = new EventEncoder(this::redactorFor,
        b.maxPayloadBytes != null ? b.maxPayloadBytes : EventEncoder.DEFAULT_MAX_PAYLOAD_BYTES);
    OpenTelemetry otel = b.openTelemetry != null ? b.openTelemetry : OpenTelemetry.noop();
    String version = Aims.class.getPackage().getImplementationVersion();
    this.tracer = version == null ? otel.getTracer(INSTRUMENTATION_NAME) : otel.getTracer(INSTRUMENTATION_NAME, version);
    this.logProtectedAttributes = b.logProtectedAttributes;
    this.captureContent = b.captureContent;
    this.monitorExecutor = b.monitorExecutor != null ? b.monitorExecutor : ForkJoinPool.commonPool();
    for (AiSystem s : b.systems.values()) {
      DecisionPolicy policy = b.policies.getOrDefault(s.id(), DecisionPolicy.none());
      SystemRuntime runtime = newRuntime(s, policy, b.monitors.get(s.id()));
      systems.put(s.id(), runtime);
      append(new RegisterEvent(clock.instant(), s.id(), RegisterEvent.Change.LOADED, s));
      append(new PolicyEvent(clock.instant(), s.id(), policy.version(), policy.refs()));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The governed entry point of one registered system.
   *
   * @throws UnknownSystemException if no system has that id
   */
  public GovernedSystem system(String id) {
    return new GovernedSystem(this, runtime(id));
  }

  /** The AI system register; changes to it are recorded as {@code register.changed} events. */
  public AiRegister register() {
    return register;
  }

  public DecisionPolicy policy(String systemId) {
    return runtime(systemId).policy.policy();
  }

  /** Replaces a system's policy; recorded as {@code policy.changed}. Calls already running keep the old one. */
  public void setPolicy(String systemId, DecisionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    SystemRuntime runtime = runtime(systemId);
    runtime.policy = SystemRuntime.PolicySnapshot.of(policy, runtime.monitor);
    append(new PolicyEvent(clock.instant(), systemId, policy.version(), policy.refs()));
  }

  /**
   * The stop switch (EU AI Act Art. 14(4)(e)): new decisions of the system are refused, and
   * decisions whose model call is running when it is pressed are not acted upon. Recorded as
   * {@code system.stopped}; then {@link SystemControlListener}s are told (an approval service
   * cancels the system's pending reviews). Pressing it again while stopped changes nothing.
   *
   * @throws RuntimeException the first failure of the log append or of a listener, after every
   *     listener ran; the switch stays pressed
   */
  public void stop(String systemId, String reason, Actor actor) {
    Checks.requireText(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    SystemRuntime runtime = runtime(systemId);
    synchronized (runtime) {
      if (runtime.stopped != null) {
        return;
      }
      runtime.stopped = new SystemRuntime.StopState(actor, reason);
    }
    RuntimeException failure = null;
    try {
      append(new SystemEvent(EventTypes.SYSTEM_STOPPED, clock.instant(), systemId, actor, reason));
    } catch (RuntimeException e) {
      failure = e;
    }
    tellListeners(failure, l -> l.stopped(systemId, reason, actor), "stop", systemId);
  }

  /**
   * Releases the stop switch; recorded as {@code system.resumed}, then listeners are told. Failures
   * as for {@link #stop}.
   */
  public void resume(String systemId, String reason, Actor actor) {
    Checks.requireText(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    SystemRuntime runtime = runtime(systemId);
    synchronized (runtime) {
      if (runtime.stopped == null) {
        return;
      }
      runtime.stopped = null;
    }
    RuntimeException failure = null;
    try {
      append(new SystemEvent(EventTypes.SYSTEM_RESUMED, clock.instant(), systemId, actor, reason));
    } catch (RuntimeException e) {
      failure = e;
    }
    tellListeners(failure, l -> l.resumed(systemId, reason, actor), "resume", systemId);
  }

  /**
   * Adds a listener told about every later {@link #stop} and {@link #resume} of any system of this
   * instance. Listeners must be quick: they run on the operator's thread.
   */
  public void addSystemControlListener(SystemControlListener listener) {
    controlListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeSystemControlListener(SystemControlListener listener) {
    controlListeners.remove(listener);
  }

  /**
   * Adds a listener told about each event this instance appended to its log (decisions, stop switch,
   * drift alarms, register and policy changes, {@link #record}ed ones), after the log accepted it, on
   * the appending thread: keep it short. A listener's failure is logged, never thrown to the caller.
   * Incident triggers use it.
   */
  public void addEventListener(java.util.function.Consumer<AimsEvent> listener) {
    eventListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The clock this instance stamps events with. */
  public Clock clock() {
    return clock;
  }

  void appended(AimsEvent event) {
    for (java.util.function.Consumer<AimsEvent> l : eventListeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.error("AIMS event listener {} failed on {} of system '{}'", l, event.type(), event.system(), e);
      }
    }
  }

  /**
   * Appends a governance event through this instance's decision log, with its encoder (redaction
   * and payload caps), as AIMS records its own events: for approval gates and other extensions, so
   * they need not be given the log and the redaction rules a second time.
   *
   * @throws RuntimeException ({@link DecisionLogException} or the log's own) if it cannot be
   *     written: governance events are never dropped silently
   */
  public void record(AimsEvent event) {
    append(Objects.requireNonNull(event, "event"));
  }

  /**
   * The encoder this instance writes decision log events with (its redactors and payload cap): what
   * an approval gate uses to show reviewers a proposed output exactly as the log shows it.
   */
  public EventEncoder encoder() {
    return encoder;
  }

  public boolean isStopped(String systemId) {
    return runtime(systemId).stopped != null;
  }

  /**
   * The drift and fairness monitors of a system configured with {@link Builder#monitor}.
   *
   * @throws UnknownSystemException if no system has that id
   * @throws IllegalArgumentException if the system has no monitor
   */
  public Monitor monitor(String systemId) {
    Monitor monitor = runtime(systemId).monitor;
    if (monitor == null) {
      throw new IllegalArgumentException("AI system '" + systemId + "' has no monitor; configure one with"
          + " Aims.builder().monitor(\"" + systemId + "\", MonitorConfig.builder()...build())");
    }
    return monitor;
  }

  /**
   * A late label: the actual outcome of an earlier decision, for fairness figures that need the
   * truth (equal opportunity, equalized odds, accuracy per group). It may arrive hours or days
   * later; the decision's group and prediction wait for it in a bounded, expiring cache (see
   * {@link dev.aims.core.monitor.FairnessConfig#pendingLabels}). Recorded as
   * {@code outcome.recorded}, counted as {@code aims.feedback{result}}. A second label for a
   * decision changes nothing ({@link FeedbackResult#DUPLICATE}); a label for an unknown or expired
   * decision is {@link FeedbackResult#UNKNOWN}, counted and recorded, never dropped silently.
   *
   * @param actualOutcome what really happened: a {@code Boolean} (favourable or not), a value of
   *     the model's output type, or what the system's {@code favourableLabel} understands
   * @throws IllegalArgumentException if the monitor cannot tell whether the outcome is favourable
   * @throws DecisionLogException (or the log's own exception) if the event cannot be written; the
   *     label is counted already, so a retry returns {@code DUPLICATE}
   */
  public FeedbackResult feedback(UUID decisionId, Object actualOutcome) {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(actualOutcome, "actualOutcome");
    for (SystemRuntime runtime : systems.values()) {
      Monitor monitor = runtime.monitor;
      if (monitor != null && monitor.awaitsLabel(decisionId)) {
        FeedbackResult result = monitor.feedback(decisionId, actualOutcome);
        countFeedback(result);
        append(new OutcomeEvent(clock.instant(), decisionId, runtime.definition.id(), result.tag(), actualOutcome));
        return result;
      }
    }
    // not held here: a monitor on a fleet store may find the decision recorded by another instance
    for (SystemRuntime runtime : systems.values()) {
      Monitor monitor = runtime.monitor;
      if (monitor != null && monitor.fleetStatus().isPresent()) {
        FeedbackResult result = monitor.feedback(decisionId, actualOutcome);
        if (result != FeedbackResult.UNKNOWN) {
          countFeedback(result);
          append(new OutcomeEvent(clock.instant(), decisionId, runtime.definition.id(), result.tag(), actualOutcome));
          return result;
        }
      }
    }
    countFeedback(FeedbackResult.UNKNOWN);
    append(new OutcomeEvent(clock.instant(), decisionId, null, FeedbackResult.UNKNOWN.tag(), null));
    return FeedbackResult.UNKNOWN;
  }

  /**
   * Waits until no governed call of this instance waits for a review or is still writing how its
   * review ended (the refusal an approval gate gives at shutdown, say). An approval gate's shutdown
   * calls this after refusing its waiting callers, so each refusal is in the log before the log
   * closes.
   *
   * @return true when none is left; false if {@code timeout} passed first (or the thread was interrupted)
   */
  public boolean awaitReviewsEnded(java.time.Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return reviews.awaitNone(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Governed calls of this instance that wait for a review or are writing its end. */
  public int reviewsInFlight() {
    return reviews.count();
  }

  /**
   * Closes what this instance created. A decision log given to the builder is not closed: whoever
   * created it closes it, after this instance (so nothing written while closing is lost).
   */
  @Override
  public void close() {
    if (ownsLog) {
      log.close();
    }
  }

  // ---- package-private ------------------------------------------------------------------------

  SystemRuntime runtime(String id) {
    Objects.requireNonNull(id, "system id must not be null");
    SystemRuntime runtime = systems.get(id);
    if (runtime == null) {
      throw new UnknownSystemException(id, systems.keySet());
    }
    return runtime;
  }

  Collection<SystemRuntime> runtimes() {
    return systems.values();
  }

  void added(AiSystem system) {
    SystemRuntime runtime = newRuntime(system, DecisionPolicy.none(), null);
    if (systems.putIfAbsent(system.id(), runtime) != null) {
      throw new IllegalArgumentException("an AI system with id '" + system.id() + "' is already registered");
    }
    append(new RegisterEvent(clock.instant(), system.id(), RegisterEvent.Change.ADDED, system));
  }

  void updated(AiSystem system) {
    runtime(system.id()).definition = system;
    append(new RegisterEvent(clock.instant(), system.id(), RegisterEvent.Change.UPDATED, system));
  }

  void removed(String id) {
    runtime(id);
    systems.remove(id);
    append(new RegisterEvent(clock.instant(), id, RegisterEvent.Change.REMOVED, null));
  }

  void logFailureOnce(RuntimeException e) {
    if (logFailureWarned.compareAndSet(false, true)) {
      LOG.error("AIMS could not write to the decision log {}; see aims.log.failures. Further failures are"
          + " counted, not logged.", log, e);
    }
  }

  void monitorFailureOnce(RuntimeException e) {
    if (monitorFailureWarned.compareAndSet(false, true)) {
      LOG.warn("AIMS could not update a drift or fairness monitor; decisions go on without it. Further failures are"
          + " not logged.", e);
    }
  }

  /** The config is used to build the monitor and not kept: a running monitor holds only bounded summaries. */
  private SystemRuntime newRuntime(AiSystem system, DecisionPolicy policy, @Nullable MonitorConfig config) {
    String id = system.id();
    Monitor monitor = config == null ? null
        : Monitor.create(id, config, clock, monitorExecutor, event -> appendMonitorEvent(id, event));
    SystemRuntime runtime = new SystemRuntime(system, policy, monitor);
    if (meterRegistry != null) {
      runtime.metrics.bindTo(meterRegistry);
      try {
        io.micrometer.core.instrument.Gauge.builder(AimsMetricNames.REGISTER_REVIEW_OVERDUE, runtime,
                r -> r.definition.reviewOverdue(clock.instant()) ? 1 : 0)
            .description("1 when the register entry's last review is older than its review cadence")
            .tag(AimsMetricNames.TAG_SYSTEM, id).register(meterRegistry);
      } catch (RuntimeException e) {
        monitorFailureOnce(e);
      }
      if (monitor != null) {
        try {
          monitor.bindTo(meterRegistry);
        } catch (RuntimeException e) {
          monitorFailureOnce(e);
        }
      }
    }
    return runtime;
  }

  /**
   * Drift alarm changes are found on a monitor's evaluation, which may run on a caller's thread:
   * a failed append is counted and logged like a governed call's, never thrown into unrelated work.
   */
  private void appendMonitorEvent(String systemId, AimsEvent event) {
    SystemRuntime runtime = systems.get(systemId);
    try {
      log.append(new LogEntry(event, encoder));
      if (runtime != null) {
        runtime.metrics.logAppended(true);
      }
      appended(event);
    } catch (RuntimeException e) {
      if (runtime != null) {
        runtime.metrics.logAppended(false);
      }
      logFailureOnce(e);
    }
  }

  private void countFeedback(FeedbackResult result) {
    MeterRegistry r = meterRegistry;
    if (r == null) {
      return;
    }
    try {
      Counter c = feedbackCounters[result.ordinal()];
      if (c == null) {
        c = Counter.builder(AimsMetricNames.FEEDBACK)
            .description("Late labels given to Aims.feedback")
            .tag(AimsMetricNames.TAG_RESULT, result.tag())
            .register(r);
        feedbackCounters[result.ordinal()] = c;
      }
      c.increment();
    } catch (RuntimeException e) {
      monitorFailureOnce(e);
    }
  }

  private void tellListeners(@Nullable RuntimeException failure,
      java.util.function.Consumer<SystemControlListener> tell, String what, String systemId) {
    for (SystemControlListener l : controlListeners) {
      try {
        tell.accept(l);
      } catch (RuntimeException e) {
        LOG.error("AIMS {} listener {} of system '{}' failed; the switch has changed state", what, l, systemId, e);
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Redactor redactorFor(String systemId) {
    return redactors.getOrDefault(systemId, defaultRedactor);
  }

  /** Governance events (register, policy, stop switch) must not be lost silently: failures throw. */
  private void append(AimsEvent event) {
    log.append(new LogEntry(event, encoder));
    appended(event);
  }

  /** Builds an {@link Aims}. Each setting may be given once; a second call fails with its name. */
  public static final class Builder {
    private final Map<String, AiSystem> systems = new LinkedHashMap<>();
    private final Map<String, DecisionPolicy> policies = new HashMap<>();
    private final Map<String, Redactor> redactors = new HashMap<>();
    private final Map<String, MonitorConfig> monitors = new HashMap<>();
    private @Nullable Executor monitorExecutor;
    private @Nullable Clock clock;
    private @Nullable IdGenerator ids;
    private @Nullable DecisionLog log;
    private @Nullable ApprovalGate gate;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable OpenTelemetry openTelemetry;
    private @Nullable Redactor redactor;
    private @Nullable Integer maxPayloadBytes;
    private boolean logProtectedAttributes;
    private boolean captureContent;

    private Builder() {}

    public Builder register(AiSystem system) {
      Objects.requireNonNull(system, "system");
      if (systems.putIfAbsent(system.id(), system) != null) {
        throw new IllegalArgumentException("duplicate AI system id '" + system.id() + "'");
      }
      return this;
    }

    public Builder registerAll(Collection<AiSystem> systems) {
      Objects.requireNonNull(systems, "systems").forEach(this::register);
      return this;
    }

    /** Registers the systems of a JSON register file; see {@link AiRegister#readJson(Path)}. */
    public Builder registerJson(Path file) {
      try {
        return registerAll(AiRegister.readJson(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read AI system register " + file, e);
      }
    }

    public Builder policy(String systemId, DecisionPolicy policy) {
      Checks.requireText(systemId, "systemId");
      Objects.requireNonNull(policy, "policy");
      if (policies.putIfAbsent(systemId, policy) != null) {
        throw new IllegalStateException("policy for system '" + systemId + "' was already set");
      }
      return this;
    }

    /** Where events go (default: nowhere). The log stays the caller's: {@link Aims#close} does not close it. */
    public Builder decisionLog(DecisionLog log) {
      this.log = once(this.log, log, "decisionLog");
      return this;
    }

    public Builder approvalGate(ApprovalGate gate) {
      this.gate = once(this.gate, gate, "approvalGate");
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = once(this.meterRegistry, registry, "meterRegistry");
      return this;
    }

    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = once(this.openTelemetry, openTelemetry, "openTelemetry");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    public Builder idGenerator(IdGenerator ids) {
      this.ids = once(this.ids, ids, "idGenerator");
      return this;
    }

    /** The redactor for systems that have none of their own. */
    public Builder redactor(Redactor redactor) {
      this.redactor = once(this.redactor, redactor, "redactor");
      return this;
    }

    public Builder redactor(String systemId, Redactor redactor) {
      Checks.requireText(systemId, "systemId");
      Objects.requireNonNull(redactor, "redactor");
      if (redactors.putIfAbsent(systemId, redactor) != null) {
        throw new IllegalStateException("redactor for system '" + systemId + "' was already set");
      }
      return this;
    }

    /** The largest model input or output kept in full, in bytes of canonical JSON (default 64 KiB). */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      Checks.requireArgument(maxPayloadBytes >= 1024, "maxPayloadBytes must be >= 1024 but was %s", maxPayloadBytes);
      this.maxPayloadBytes = once(this.maxPayloadBytes, maxPayloadBytes, "maxPayloadBytes");
      return this;
    }

    /**
     * Drift and fairness monitoring for one system (step 9 of the governed path, docs/architecture.md): after each decision
     * whose model returned an output, the system's features, output and protected attributes feed
     * the monitors; figures are exported as {@code aims.drift.*} and {@code aims.fairness.*} gauges.
     */
    public Builder monitor(String systemId, MonitorConfig config) {
      Checks.requireText(systemId, "systemId");
      Objects.requireNonNull(config, () -> "monitor config for system '" + systemId + "' must not be null");
      if (monitors.putIfAbsent(systemId, config) != null) {
        throw new IllegalStateException("monitor for system '" + systemId + "' was already set");
      }
      return this;
    }

    /**
     * Where monitors recompute their statistics, at most once per evaluation interval, off the
     * decision path (default: {@link ForkJoinPool#commonPool()}).
     */
    public Builder monitorExecutor(Executor executor) {
      this.monitorExecutor = once(this.monitorExecutor, executor, "monitorExecutor");
      return this;
    }

    /** Writes protected attributes into decision records (off by default: they feed fairness only). */
    public Builder logProtectedAttributes(boolean log) {
      this.logProtectedAttributes = log;
      return this;
    }

    /** Puts redacted input and output on spans as {@code aims.input}/{@code aims.output} (off by default). */
    public Builder captureContentOnSpans(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a policy, redactor or monitor names a system that is not registered
     */
    public Aims build() {
      List<String> unknown = new ArrayList<>();
      for (String id : policies.keySet()) {
        if (!systems.containsKey(id)) {
          unknown.add("policy(" + id + ")");
        }
      }
      for (String id : redactors.keySet()) {
        if (!systems.containsKey(id)) {
          unknown.add("redactor(" + id + ")");
        }
      }
      for (String id : monitors.keySet()) {
        if (!systems.containsKey(id)) {
          unknown.add("monitor(" + id + ")");
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(unknown + " name AI systems that are not registered (registered: "
            + systems.keySet() + ")");
      }
      return new Aims(this);
    }

    private static <T> T once(@Nullable T current, T value, String name) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
      return value;
    }
  }
}
