package dev.aims.core.monitor;

import dev.aims.core.AimsMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** The streaming state of one monitored feature. Recording is lock-free; evaluation is serialised by the caller. */
abstract class FeatureMonitor {
  /** Gauge tag: the degrees of freedom of the chi-square figure. */
  static final String CHI_SQUARE_DOF_TAG = "chi_square_dof";
  /** Gauge tag: the smallest the KS p-value can be on the raw values (the p-value itself when exact). */
  static final String KS_P_VALUE_LOWER_BOUND_TAG = "ks_p_value_lower_bound";
  final String system;
  /**
   * The feature's configuration; after construction the system monitor swaps in the same feature
   * with its reference data summarised, so no monitor keeps a training set alive. Written before
   * the monitor is published.
   */
  DriftFeature config;
  final LongAdder missing = new LongAdder();
  volatile DriftReport report;
  /** Guarded by the system monitor's evaluation lock. */
  boolean alarm;
  /** Fleet figures (scope {@code fleet}); null until the first fleet round, or when the feature takes no part. */
  volatile @Nullable DriftReport fleetReport;
  /** Guarded by the system monitor's evaluation lock. */
  boolean fleetAlarm;
  /**
   * The alarm as announced and as drift review sees it: the instance alarm, or with
   * {@link FleetConfig.AlarmScope#FLEET} the fleet alarm. Guarded by the system monitor's evaluation lock.
   */
  boolean raised;
  /** Set by the system monitor before it is published: fleet monitoring is on and the reference is fixed. */
  boolean fleet;
  private volatile @Nullable DriftStatistic alarmStatistic;
  private boolean gaugesRegistered;
  /**
   * Values still to record before the first figure can exist ({@link #warmup}); 0 once counted
   * down (or for a rolling time window, whose content depends on the clock). Plain on purpose: a
   * race can only run the countdown to 0 twice, which schedules one more evaluation.
   */
  private int warmupLeft;
  /** Called when {@link #warmupLeft} reaches 0: the system monitor evaluates at once. */
  private Runnable firstFigureDue = () -> {};

  FeatureMonitor(String system, DriftFeature config) {
    this.system = system;
    this.config = config;
    this.warmupLeft = (int) Math.min(Integer.MAX_VALUE, warmup(config));
    this.alarmStatistic = config.alarmStatistic().orElse(null);
    this.report = DriftReport.empty(system, config, null, 0, 0, 0, alarmStatistic, threshold(), false);
  }

  /**
   * How many accepted values it takes until a figure can first be computed: {@code minSamples}
   * current values, after the first-decisions reference if any; for a rolling reference the
   * previous window must hold {@code minSamples} as well (for a sliced window, up to a slice more,
   * after the calibration sample of a binned numeric one). 0 (no trigger) for a rolling time window.
   */
  static long warmup(DriftFeature config) {
    Reference ref = config.reference();
    Window w = config.window();
    long min = config.minSamples();
    return switch (ref.kind()) {
      case DATA, SNAPSHOT -> min;
      case FIRST_DECISIONS -> ref.firstDecisionsCount() + min;
      case PREVIOUS_WINDOW -> {
        if (w.isTimeBased()) {
          yield 0;
        }
        if (w.isExact() && config.type() == DriftFeature.Type.NUMERIC) {
          yield w.count() + min;
        }
        long calibration = config.type() == DriftFeature.Type.NUMERIC ? Math.min(w.count(), Window.EXACT_LIMIT) : 0;
        yield calibration + w.count() + min + (w.count() + w.slices() - 1) / w.slices();
      }
    };
  }

  final void onFirstFigureDue(Runnable r) {
    this.firstFigureDue = r;
  }

  /** Counts an accepted value towards the first figure; costs one plain read once counted down. */
  final void accepted() {
    int left = warmupLeft;
    if (left > 0) {
      warmupLeft = --left;
      if (left == 0) {
        firstFigureDue.run();
      }
    }
  }

  /** Records the feature's value from the call's feature map (or null when absent). */
  abstract void record(@Nullable Object value, long nowMillis);

  /** Records the value read from the model's output. */
  abstract void recordOutput(@Nullable Object output, long nowMillis);

  /** Recomputes the figures; called under the system monitor's evaluation lock. */
  abstract DriftReport evaluate(Instant at, long nowMillis);

  /** The frozen reference as a snapshot; {@code copy} false shares the arrays (for internal use only). */
  abstract @Nullable DriftSnapshot snapshot(boolean copy);

  /**
   * Whether this feature's windows can merge across the fleet: its reference is fixed (data or a
   * snapshot), so every instance configured alike has the same bins. A first-decisions or rolling
   * reference differs per instance.
   */
  final boolean mergeable() {
    Reference.Kind k = config.reference().kind();
    return k == Reference.Kind.DATA || k == Reference.Kind.SNAPSHOT;
  }

  /** The current window over the fine bins (numeric) or buckets (categorical); null while there is none. */
  abstract @Nullable Histogram windowSummary(long nowMillis);

  /** Identifies the reference and its bins; summaries merge only with an equal fingerprint. */
  abstract String fingerprint();

  /** The figures of a window summed over the fleet, against this feature's reference. */
  abstract DriftReport fleetFigures(Instant at, Histogram merged);

  /** Estimated heap held by this feature's state (see {@link Memory}). */
  abstract long bytes();

  /** The statistics this feature exports. */
  abstract List<String> statisticTags();

  final @Nullable DriftStatistic alarmStatistic() {
    return alarmStatistic;
  }

  /** Fixes the alarm statistic once the reference is known (if the configuration left it open). */
  final DriftStatistic chooseAlarmStatistic(long referenceCount, boolean discrete) {
    DriftStatistic s = alarmStatistic;
    if (s == null) {
      s = config.defaultStatistic(referenceCount, discrete);
      alarmStatistic = s;
    }
    return s;
  }

  final double threshold() {
    DriftStatistic s = alarmStatistic;
    if (!Double.isNaN(config.threshold())) {
      return config.threshold();
    }
    return s == null ? Double.NaN : s.defaultThreshold();
  }

  /** The current figure for a gauge's statistic tag; NaN when there is none. */
  final double gauge(String tag) {
    return gauge(report, tag);
  }

  static double gauge(@Nullable DriftReport r, String tag) {
    if (r == null) {
      return Double.NaN;
    }
    if (tag.equals(CHI_SQUARE_DOF_TAG)) {
      return r.score(DriftStatistic.CHI_SQUARE).isPresent() ? r.chiSquareDegreesOfFreedom() : Double.NaN;
    }
    if (tag.equals(KS_P_VALUE_LOWER_BOUND_TAG)) {
      return r.pValueLowerBound(DriftStatistic.KS).orElse(Double.NaN);
    }
    for (DriftStatistic s : DriftStatistic.values()) {
      if (s.tag().equals(tag)) {
        return r.score(s).orElse(Double.NaN);
      }
      if (s.isTest() && s.pValueTag().equals(tag)) {
        return r.pValue(s).orElse(Double.NaN);
      }
    }
    return Double.NaN;
  }

  /** Registers this feature's gauges once its alarm statistic is known; idempotent. */
  final void registerGauges(MeterRegistry registry) {
    DriftStatistic s = alarmStatistic;
    if (gaugesRegistered || s == null) {
      return;
    }
    gaugesRegistered = true;
    registerGauges(registry, AimsMetricNames.SCOPE_INSTANCE, s, f -> f.report);
    if (fleet && mergeable()) {
      registerGauges(registry, AimsMetricNames.SCOPE_FLEET, s, f -> f.fleetReport);
    }
  }

  private void registerGauges(MeterRegistry registry, String scope, DriftStatistic s,
      java.util.function.Function<FeatureMonitor, @Nullable DriftReport> reportOf) {
    for (String tag : statisticTags()) {
      Gauge.builder(AimsMetricNames.DRIFT_SCORE, this, f -> gauge(reportOf.apply(f), tag))
          .description("Drift of a feature's current window from its reference")
          .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_FEATURE, config.name(),
              AimsMetricNames.TAG_STATISTIC, tag, AimsMetricNames.TAG_SCOPE, scope)
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder(AimsMetricNames.DRIFT_ALARM, this, f -> {
          DriftReport r = reportOf.apply(f);
          return r == null ? Double.NaN : r.alarm() ? 1 : 0;
        })
        .description("1 while the feature's drift alarm is on")
        .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_FEATURE, config.name(),
            AimsMetricNames.TAG_STATISTIC, s.tag(), AimsMetricNames.TAG_SCOPE, scope)
        .strongReference(true)
        .register(registry);
  }

  /** PSI, Jensen–Shannon and chi-square over the same buckets; exact for counts. Returns chi-square's dof. */
  static int bucketStatistics(long[] reference, long[] current, Map<DriftStatistic, Double> scores,
      Map<DriftStatistic, Double> pValues, Map<DriftStatistic, Double> pValueLowerBounds) {
    scores.put(DriftStatistic.PSI, DriftStatistics.psi(reference, current));
    scores.put(DriftStatistic.JENSEN_SHANNON, DriftStatistics.jensenShannon(reference, current));
    DriftStatistics.TestResult chi = DriftStatistics.chiSquare(reference, current);
    scores.put(DriftStatistic.CHI_SQUARE, chi.statistic());
    pValues.put(DriftStatistic.CHI_SQUARE, chi.pValue());
    pValueLowerBounds.put(DriftStatistic.CHI_SQUARE, chi.pValue());
    return chi.dof();
  }

  /** A report with figures; the alarm follows the alarm statistic, or keeps its state if it has no figure. */
  final DriftReport withFigures(Instant at, long referenceCount, long current, Map<DriftStatistic, Double> scores,
      Map<DriftStatistic, Double> pValues, Map<DriftStatistic, Double> pValueLowerBounds,
      Map<DriftStatistic, Double> bounds, int chiSquareDof, boolean exact) {
    return withFigures(at, referenceCount, current, scores, pValues, pValueLowerBounds, bounds, chiSquareDof, exact,
        alarm);
  }

  /** As above; {@code previousAlarm} is the state kept when the alarm statistic has no figure. */
  final DriftReport withFigures(Instant at, long referenceCount, long current, Map<DriftStatistic, Double> scores,
      Map<DriftStatistic, Double> pValues, Map<DriftStatistic, Double> pValueLowerBounds,
      Map<DriftStatistic, Double> bounds, int chiSquareDof, boolean exact, boolean previousAlarm) {
    DriftStatistic s = alarmStatistic();
    double threshold = threshold();
    Double v = s == null ? null : s.isTest() ? pValues.get(s) : scores.get(s);
    boolean on = v == null ? previousAlarm : s.drifted(v, threshold);
    return new DriftReport(system, config.name(), config.type(), at, referenceCount, current, missing.sum(),
        scores, pValues, pValueLowerBounds, bounds, chiSquareDof, s, threshold, on, exact);
  }

  final DriftReport noFigure(Instant at, long referenceCount, long current) {
    return noFigure(at, referenceCount, current, alarm);
  }

  final DriftReport noFigure(Instant at, long referenceCount, long current, boolean previousAlarm) {
    return DriftReport.empty(system, config, at, referenceCount, current, missing.sum(), alarmStatistic, threshold(),
        previousAlarm);
  }
}
