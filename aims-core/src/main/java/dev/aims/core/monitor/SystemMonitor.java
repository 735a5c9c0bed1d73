package dev.aims.core.monitor;

import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.Ruling;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The monitors of one system; see {@link Monitor}. */
final class SystemMonitor implements Monitor {
  private static final Logger LOG = LoggerFactory.getLogger(SystemMonitor.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  /**
   * Without time windows the clock is read only every this many recorded decisions, to see whether
   * an evaluation is due (a clock read costs about as much as the rest of recording).
   */
  static final int CLOCK_EVERY = 64;
  /**
   * The system monitor's own objects (feature arrays, lock, configuration as kept, review boundary),
   * measured by {@code MonitorHeapTest}: about 1.9 KB beside its features.
   */
  static final long SYSTEM_MONITOR_BYTES = 1_900;

  private final String system;
  private final MonitorConfig config;
  private final Clock clock;
  private final Executor executor;
  private final Consumer<? super AimsEvent> events;
  private final FeatureMonitor[] features;
  private final FeatureMonitor[] inputs;
  private final FeatureMonitor[] outputs;
  private final @Nullable FairnessMonitor fairness;
  private final @Nullable DriftReviewBoundary boundary;
  private final long intervalMillis;
  /** Whether recording needs the time of each value (a time window, drift or fairness). */
  private final boolean perValueTime;
  /**
   * Decisions left before the next clock read when {@link #perValueTime} is off. Plain on purpose:
   * a lost update only moves the next read by a decision or two.
   */
  private int clockCountdown;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** A feature's first figure became possible: evaluate after this decision, whatever the interval. */
  private volatile boolean firstFigureDue;
  /** A due evaluation found one running: run another once it ends. */
  private volatile boolean rerun;
  private final ReentrantLock evaluation = new ReentrantLock();
  private volatile long nextEvaluation = Long.MIN_VALUE;
  private volatile @Nullable MeterRegistry registry;
  private volatile Ruling ruling = Ruling.allow();
  private volatile boolean alarmOn;
  private final @Nullable FleetLink fleet;
  /** The fleet summary part of the fairness counts: {@code fairness:<attribute>}. */
  static final String FAIRNESS_PART = "fairness:";

  SystemMonitor(String system, MonitorConfig config, Clock clock, Executor executor,
      Consumer<? super AimsEvent> events) {
    this.system = Objects.requireNonNull(system, "system");
    Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.events = Objects.requireNonNull(events, "events");
    List<FeatureMonitor> all = new ArrayList<>();
    List<FeatureMonitor> in = new ArrayList<>();
    List<FeatureMonitor> out = new ArrayList<>();
    for (DriftFeature f : config.drift()) {
      FeatureMonitor m = f.type() == DriftFeature.Type.NUMERIC ? new NumericFeatureMonitor(system, f)
          : new CategoricalFeatureMonitor(system, f);
      all.add(m);
      (f.fromOutput() ? out : in).add(m);
    }
    this.features = all.toArray(FeatureMonitor[]::new);
    for (FeatureMonitor m : features) {
      m.onFirstFigureDue(() -> firstFigureDue = true);
    }
    this.config = summarised(config, features);
    this.inputs = in.toArray(FeatureMonitor[]::new);
    this.outputs = out.toArray(FeatureMonitor[]::new);
    this.fleet = config.fleet() == null ? null : new FleetLink(system, config.fleet());
    for (FeatureMonitor m : features) {
      m.fleet = fleet != null;
    }
    this.fairness = config.fairness() == null ? null : new FairnessMonitor(system, config.fairness(), clock, fleet);
    this.boundary = config.reviewOnDrift() && features.length > 0 ? new DriftReviewBoundary(this) : null;
    this.intervalMillis = Math.max(1, config.evaluationInterval().toMillis());
    this.perValueTime = needsPerValueTime(config);
  }

  /**
   * Whether any window is a time window. Count windows key values by sequence and ignore the time;
   * the pending-label cache reads the clock through its own ticker.
   */
  private static boolean needsPerValueTime(MonitorConfig config) {
    for (DriftFeature f : config.drift()) {
      if (f.window().isTimeBased()) {
        return true;
      }
    }
    return config.fairness() != null && config.fairness().window().isTimeBased();
  }

  /**
   * The configuration as kept while running: reference data (a training set can be large) is
   * replaced by its bounded summary, so a monitor's memory does not depend on it.
   */
  private static MonitorConfig summarised(MonitorConfig config, FeatureMonitor[] features) {
    List<DriftFeature> drift = new ArrayList<>(features.length);
    for (FeatureMonitor f : features) {
      DriftFeature d = f.config;
      DriftSnapshot summary = d.reference().kind() == Reference.Kind.DATA ? f.snapshot(false) : null;
      if (summary != null) {
        d = d.withReference(d.reference().summarised(summary));
        f.config = d;
      }
      drift.add(d);
    }
    return new MonitorConfig(drift, config.fairness(), config.reviewOnDrift(), config.evaluationInterval(),
        config.fleet());
  }

  @Override
  public String system() {
    return system;
  }

  @Override
  public MonitorConfig config() {
    return config;
  }

  @Override
  public void record(UUID decisionId, Map<String, ?> features, @Nullable Object output,
      Map<String, String> protectedAttributes) {
    boolean timed = perValueTime;
    // without time windows the recorders ignore the time: read the clock only when checking the interval
    long now = timed ? clock.millis() : 0L;
    for (FeatureMonitor f : inputs) {
      f.record(features.get(f.config.name()), now);
    }
    for (FeatureMonitor f : outputs) {
      f.recordOutput(output, now);
    }
    FairnessMonitor fm = fairness;
    if (fm != null) {
      fm.record(decisionId, protectedAttributes, output, now);
    }
    if (firstFigureDue) {
      firstFigureDue = false;
      schedule(timed ? now : clock.millis(), true);
    }
    if (!timed) {
      int left = clockCountdown - 1;
      if (left >= 0) {
        clockCountdown = left;
        return;
      }
      clockCountdown = CLOCK_EVERY - 1;
      now = clock.millis();
    }
    if (now >= nextEvaluation) {
      schedule(now, false);
    }
  }

  /** Hands an evaluation to the executor; {@code due} (a first figure) asks for another if one is running. */
  private void schedule(long now, boolean due) {
    if (due) {
      rerun = true; // before the compare-and-set: a running evaluation that ends after it sees the request
    }
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    rerun = false;
    nextEvaluation = now + intervalMillis;
    try {
      executor.execute(() -> {
        try {
          evaluateNow();
        } catch (RuntimeException e) {
          warnOnce("evaluation failed", e);
        } finally {
          scheduled.set(false);
          if (rerun) {
            rerun = false;
            schedule(clock.millis(), false);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
      warnOnce("the monitor executor rejected an evaluation", e);
    }
  }

  @Override
  public boolean awaitsLabel(UUID decisionId) {
    FairnessMonitor fm = fairness;
    return fm != null && fm.knows(Objects.requireNonNull(decisionId, "decisionId"));
  }

  @Override
  public FeedbackResult feedback(UUID decisionId, Object actualOutcome) {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(actualOutcome, "actualOutcome");
    FairnessMonitor fm = fairness;
    return fm == null ? FeedbackResult.UNKNOWN : fm.feedback(decisionId, actualOutcome, clock.millis());
  }

  @Override
  public void evaluateNow() {
    evaluation.lock();
    try {
      long now = clock.millis();
      Instant at = Instant.ofEpochMilli(now);
      DriftReport[] local = new DriftReport[features.length];
      for (int i = 0; i < features.length; i++) {
        FeatureMonitor f = features[i];
        local[i] = f.evaluate(at, now);
        f.alarm = local[i].alarm();
      }
      FairnessMonitor fm = fairness;
      if (fm != null) {
        fm.evaluate(at, now);
      }
      FleetLink link = fleet;
      if (link != null) {
        fleetRound(link, at, now);
      }
      boolean onFleet = link != null && link.config().alarms() == FleetConfig.AlarmScope.FLEET;
      String firstAlarm = null;
      for (int i = 0; i < features.length; i++) {
        FeatureMonitor f = features[i];
        DriftReport r = local[i];
        String scope = "";
        DriftReport fr = f.fleetReport;
        if (onFleet && fr != null) {
          // stale fleet figures: fail safe, the last fleet alarm holds and this instance's can add to it
          boolean useFleet = !link.stale || fr.alarm() || !r.alarm();
          if (useFleet) {
            r = fr;
            scope = link.stale ? "stale fleet " : "fleet ";
          }
        }
        if (r.alarm() != f.raised) {
          f.raised = r.alarm();
          announce(f, r, at);
        }
        if (r.alarm() && firstAlarm == null) {
          firstAlarm = f.config.name() + ": " + scope + describe(r);
        }
      }
      boolean on = firstAlarm != null;
      ruling = on ? Ruling.review("drift alarm on for system '" + system + "' (" + firstAlarm
          + "); decisions go to review until it clears") : Ruling.allow();
      alarmOn = on;
      MeterRegistry r = registry;
      if (r != null) {
        registerFeatureGauges(r);
      }
    } finally {
      evaluation.unlock();
    }
  }

  /**
   * Publishes this instance's window summaries, then computes the fleet figures from every instance's
   * summaries published within the stale limit (this one's included, as the store returns it). If the
   * store fails, the fleet figures stay those of the last round that succeeded, marked stale.
   */
  private void fleetRound(FleetLink link, Instant at, long now) {
    FleetStore store = link.store();
    String instance = link.instance();
    try {
      FairnessMonitor fm = fairness;
      if (fm != null && fm.config.maxPendingLabels() > 0) {
        fm.sharePending(store, now);
      }
      List<FleetStore.WindowSummary> mine = new ArrayList<>();
      for (FeatureMonitor f : features) {
        Histogram h = f.mergeable() ? f.windowSummary(now) : null;
        if (h != null) {
          mine.add(new FleetStore.WindowSummary(instance, f.config.name(), f.fingerprint(), at, h.counts(), h.sums()));
        }
      }
      if (fm != null) {
        mine.add(new FleetStore.WindowSummary(instance, FAIRNESS_PART + fm.config.attribute(), fm.fingerprint(), at,
            fm.windowCounts(now), new double[0]));
      }
      store.publish(system, instance, mine);
      List<FleetStore.WindowSummary> all = store.summaries(system);
      Instant oldest = at.minus(link.config().staleAfter());
      java.util.Set<String> seen = new java.util.TreeSet<>();
      long mismatched = 0;
      Map<String, Histogram> merged = new java.util.HashMap<>();
      Map<String, String> fingerprints = new java.util.HashMap<>();
      for (FleetStore.WindowSummary m : mine) {
        fingerprints.put(m.part(), m.fingerprint());
      }
      for (FleetStore.WindowSummary s : all) {
        if (s.publishedAt().isBefore(oldest)) {
          continue; // an instance that stopped publishing ages out
        }
        String expected = fingerprints.get(s.part());
        if (expected == null) {
          continue;
        }
        Histogram sum = merged.get(s.part());
        long[] counts = s.counts();
        double[] sums = s.sums();
        if (!expected.equals(s.fingerprint()) || (sum != null && (sum.counts().length != counts.length
            || sum.sums().length != sums.length))) {
          mismatched++;
          continue;
        }
        seen.add(s.instance());
        if (sum == null) {
          merged.put(s.part(), Histogram.of(counts, sums));
        } else {
          long[] c = sum.counts();
          double[] d = sum.sums();
          for (int i = 0; i < c.length; i++) {
            c[i] += counts[i];
          }
          for (int i = 0; i < d.length; i++) {
            d[i] += sums[i];
          }
          merged.put(s.part(), Histogram.of(c, d));
        }
      }
      for (FeatureMonitor f : features) {
        Histogram h = merged.get(f.config.name());
        if (h != null) {
          DriftReport r = f.fleetFigures(at, h);
          f.fleetAlarm = r.alarm();
          f.fleetReport = r;
        }
      }
      if (fm != null) {
        Histogram h = merged.get(FAIRNESS_PART + fm.config.attribute());
        if (h != null) {
          fm.fleetReport = fm.figures(at, h.counts());
        }
      }
      link.instances = List.copyOf(seen);
      link.mismatched = mismatched;
      link.lastSuccess = at;
      link.stale = false;
    } catch (RuntimeException e) {
      link.stale = true;
      link.failed("a fleet round failed", e);
    }
  }

  private static String describe(DriftReport r) {
    DriftStatistic s = r.alarmStatistic();
    if (s == null) {
      return "no figure";
    }
    return (s.isTest() ? s.pValueTag() : s.tag()) + " " + String.format(java.util.Locale.ROOT, "%.4g",
        r.alarmValue().orElse(Double.NaN)) + (s.isTest() ? " < " : " >= ") + r.threshold();
  }

  private void announce(FeatureMonitor f, DriftReport r, Instant at) {
    DriftStatistic s = r.alarmStatistic();
    if (s == null) {
      return;
    }
    try {
      events.accept(new DriftEvent(r.alarm() ? EventTypes.DRIFT_ALARM_RAISED : EventTypes.DRIFT_ALARM_CLEARED, at,
          system, f.config.name(), s.tag(), r.alarmValue().orElse(Double.NaN), r.threshold(), r.referenceCount(),
          r.currentCount(), boundary != null));
    } catch (RuntimeException e) {
      warnOnce("the drift event sink failed", e);
    }
  }

  Ruling ruling() {
    return ruling;
  }

  @Override
  public List<DriftReport> drift() {
    List<DriftReport> out = new ArrayList<>(features.length);
    for (FeatureMonitor f : features) {
      out.add(f.report);
    }
    return out;
  }

  @Override
  public DriftReport drift(String feature) {
    return feature(feature).report;
  }

  private FeatureMonitor feature(String name) {
    Objects.requireNonNull(name, "feature");
    for (FeatureMonitor f : features) {
      if (f.config.name().equals(name)) {
        return f;
      }
    }
    List<String> names = new ArrayList<>();
    for (FeatureMonitor f : features) {
      names.add(f.config.name());
    }
    throw new IllegalArgumentException("system '" + system + "' monitors no feature '" + name + "' (monitored: "
        + names + ")");
  }

  /** For tests of the categorical bucket rule. */
  List<String> buckets(String name) {
    FeatureMonitor f = feature(name);
    return f instanceof CategoricalFeatureMonitor c ? c.buckets() : List.of();
  }

  @Override
  public Optional<FairnessReport> fairness() {
    FairnessMonitor fm = fairness;
    return fm == null ? Optional.empty() : Optional.of(fm.report);
  }

  @Override
  public boolean driftAlarm() {
    return alarmOn;
  }

  @Override
  public Optional<DriftReport> fleetDrift(String feature) {
    return Optional.ofNullable(feature(feature).fleetReport);
  }

  @Override
  public Optional<FairnessReport> fleetFairness() {
    FairnessMonitor fm = fairness;
    return fm == null ? Optional.empty() : Optional.ofNullable(fm.fleetReport);
  }

  @Override
  public Optional<FleetStatus> fleetStatus() {
    FleetLink link = fleet;
    FairnessMonitor fm = fairness;
    return link == null ? Optional.empty() : Optional.of(link.status(fm == null ? 0 : fm.notShared()));
  }

  @Override
  public Optional<DriftSnapshot> snapshot(String feature) {
    return Optional.ofNullable(feature(feature).snapshot(true));
  }

  @Override
  public Optional<DecisionBoundary> reviewBoundary() {
    return Optional.ofNullable(boundary);
  }

  @Override
  public Map<String, Long> estimatedBytes() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("monitor:" + system, SYSTEM_MONITOR_BYTES);
    for (FeatureMonitor f : features) {
      out.put(f.config.name(), f.bytes());
    }
    FairnessMonitor fm = fairness;
    if (fm != null) {
      out.put("fairness:" + fm.config.attribute(), fm.bytes());
    }
    return out;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    evaluation.lock();
    try {
      this.registry = registry;
      FairnessMonitor fm = fairness;
      if (fm != null) {
        try {
          fm.registerGauges(registry);
        } catch (RuntimeException e) {
          warnOnce("could not register fairness gauges", e);
        }
      }
      registerFeatureGauges(registry);
      FleetLink link = fleet;
      if (link != null) {
        io.micrometer.core.instrument.Gauge.builder(dev.aims.core.AimsMetricNames.MONITOR_FLEET_STALE, link,
                l -> l.stale ? 1 : 0)
            .description("1 while the last fleet round failed: the fleet figures are not current")
            .tag(dev.aims.core.AimsMetricNames.TAG_SYSTEM, system).strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder(dev.aims.core.AimsMetricNames.MONITOR_FLEET_INSTANCES, link,
                l -> l.instances.size())
            .description("Instances whose window summaries entered the last fleet figures")
            .tag(dev.aims.core.AimsMetricNames.TAG_SYSTEM, system).strongReference(true).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(dev.aims.core.AimsMetricNames.MONITOR_FLEET_FAILURES,
                link, l -> l.failures.sum())
            .description("Fleet rounds and label claims that failed")
            .tag(dev.aims.core.AimsMetricNames.TAG_SYSTEM, system).register(registry);
      }
    } finally {
      evaluation.unlock();
    }
  }

  private void registerFeatureGauges(MeterRegistry registry) {
    for (FeatureMonitor f : features) {
      try {
        f.registerGauges(registry);
      } catch (RuntimeException e) {
        warnOnce("could not register drift gauges", e);
      }
    }
  }

  private static void warnOnce(String what, RuntimeException e) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("AIMS monitoring: {}; decisions go on without it. Further monitoring failures are not logged.",
          what, e);
    }
  }

  @Override
  public String toString() {
    return "Monitor[" + system + ", " + features.length + " drift features" + (fairness == null ? "" : ", fairness")
        + "]";
  }
}
