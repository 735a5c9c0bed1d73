package dev.aims.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Drift of one numeric feature. The reference is frozen at construction (data, snapshot), after
 * the first {@code n} values (first decisions), or is the previous window (rolling). In the
 * rolling case a binned window needs fixed bins: they come from a calibration sample of the
 * first values, which are then discarded.
 */
final class NumericFeatureMonitor extends FeatureMonitor {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(double[].class);
  static final int TIME_WINDOW_CALIBRATION = 500;
  private static final List<String> TAGS = List.of(
      DriftStatistic.PSI.tag(), DriftStatistic.KS.tag(), DriftStatistic.KS.pValueTag(),
      DriftStatistic.WASSERSTEIN.tag(), DriftStatistic.JENSEN_SHANNON.tag(), DriftStatistic.CHI_SQUARE.tag(),
      DriftStatistic.CHI_SQUARE.pValueTag(), KS_P_VALUE_LOWER_BOUND_TAG, CHI_SQUARE_DOF_TAG);

  private final @Nullable ToDoubleFunction<Object> outputReader;
  private final boolean rolling;
  private final Window window;
  /** Raw values held until the reference (or, rolling, the bins) can be frozen; null once frozen or if never needed. */
  private volatile double @Nullable [] capture;
  private final AtomicInteger captureSlot = new AtomicInteger();
  private final AtomicInteger captured = new AtomicInteger();
  private final int captureSize;
  /** The fixed reference; for a rolling binned window, the calibration (bins and spread only). */
  private volatile @Nullable NumericReference reference;
  private volatile @Nullable NumericWindow current;
  private long @Nullable [] referencePsi;

  NumericFeatureMonitor(String system, DriftFeature config) {
    super(system, config);
    this.outputReader = config.numericOutput();
    this.window = config.window();
    Reference ref = config.reference();
    this.rolling = ref.kind() == Reference.Kind.PREVIOUS_WINDOW;
    int capture = 0;
    switch (ref.kind()) {
      case DATA -> freeze(ref.values() != null
          ? NumericReference.ofRaw(ref.values(), config.bins(), config.finePerBin())
          : fromSnapshot(ref.snapshotValue()));
      case SNAPSHOT -> freeze(fromSnapshot(ref.snapshotValue()));
      case FIRST_DECISIONS -> capture = ref.firstDecisionsCount();
      case PREVIOUS_WINDOW -> {
        if (window.isExact()) {
          current = NumericWindow.create(window, null, true);
        } else {
          capture = window.isTimeBased() ? TIME_WINDOW_CALIBRATION : Math.min(window.count(), Window.EXACT_LIMIT);
        }
      }
    }
    this.captureSize = capture;
    this.capture = capture > 0 ? new double[capture] : null;
  }

  private NumericReference fromSnapshot(DriftSnapshot s) {
    if (s.values() != null) {
      return NumericReference.ofRaw(s.values().clone(), config.bins(), config.finePerBin());
    }
    Bins bins = new Bins(s.edges(), s.psiEdges(), s.edges().length == s.psiEdges().length
        && s.edges().length <= DriftStatistics.DISCRETE_LIMIT + 1);
    return new NumericReference(bins, null, Histogram.of(s.counts().clone(), s.sums().clone()), s.std());
  }

  private void freeze(NumericReference ref) {
    this.referencePsi = ref.bins.toPsi(ref.histogram.counts());
    this.reference = ref;
    if (!rolling) {
      chooseAlarmStatistic(ref.count, ref.discrete());
    } else {
      chooseAlarmStatistic(window.isTimeBased() ? Long.MAX_VALUE : window.count(), ref.discrete());
    }
    this.current = NumericWindow.create(window, ref.bins, rolling);
  }

  @Override
  void record(@Nullable Object value, long nowMillis) {
    if (value instanceof Double d) {
      recordValue(d, nowMillis);
    } else if (value instanceof Number n) {
      recordValue(n.doubleValue(), nowMillis);
    } else {
      missing.increment();
    }
  }

  @Override
  void recordOutput(@Nullable Object output, long nowMillis) {
    ToDoubleFunction<Object> reader = outputReader;
    if (output == null || reader == null) {
      missing.increment();
      return;
    }
    recordValue(reader.applyAsDouble(output), nowMillis);
  }

  void recordValue(double v, long nowMillis) {
    if (!Double.isFinite(v)) {
      missing.increment();
      return;
    }
    accepted();
    NumericWindow w = current;
    if (w != null) {
      w.add(v, nowMillis);
      return;
    }
    double[] buffer = capture;
    if (buffer != null) {
      int slot = captureSlot.getAndIncrement();
      if (slot < captureSize) {
        SLOT.setOpaque(buffer, slot, v);
        if (captured.incrementAndGet() == captureSize) {
          freezeCapture(buffer);
        }
        return;
      }
    }
    // the capture is full and its last writer is freezing it: wait for the window (microseconds)
    while ((w = current) == null) {
      Thread.onSpinWait();
    }
    w.add(v, nowMillis);
  }

  private void freezeCapture(double[] buffer) {
    double[] values = new double[captureSize];
    for (int i = 0; i < captureSize; i++) {
      values[i] = (double) SLOT.getOpaque(buffer, i);
    }
    NumericReference ref = NumericReference.ofRaw(values, config.bins(), config.finePerBin());
    if (rolling) {
      // calibration only: keep bins and spread, not the values
      ref = new NumericReference(ref.bins, null, ref.histogram, ref.std);
    }
    freeze(ref);
    capture = null;
  }

  @Override
  DriftReport evaluate(Instant at, long nowMillis) {
    NumericWindow w = current;
    if (w == null) {
      return report = noFigure(at, 0, 0);
    }
    NumericWindow.Sample cur = w.current(nowMillis);
    NumericReference ref = reference;
    long[] refPsi = referencePsi;
    NumericWindow.Sample refSample;
    double std;
    Bins bins;
    if (!rolling) {
      refSample = new NumericWindow.Sample(ref.sorted, ref.histogram);
      std = ref.std;
      bins = ref.bins;
    } else if (ref == null) {
      // rolling, exact: the reference is the previous window's raw values
      NumericWindow.Sample prev = w.previous(nowMillis);
      if (prev.count() < config.minSamples() || cur.count() < config.minSamples()) {
        return report = noFigure(at, prev.count(), cur.count());
      }
      NumericReference r = NumericReference.ofRaw(prev.sorted(), config.bins(), config.finePerBin());
      chooseAlarmStatistic(window.count(), r.discrete());
      refSample = new NumericWindow.Sample(r.sorted, r.histogram);
      refPsi = r.bins.toPsi(r.histogram.counts());
      std = r.std;
      bins = r.bins;
    } else {
      refSample = w.previous(nowMillis);
      refPsi = ref.bins.toPsi(refSample.histogram().counts());
      std = ref.std;
      bins = ref.bins;
    }
    long refCount = refSample.count();
    boolean enoughReference = rolling ? refCount >= config.minSamples() : refCount >= 1;
    if (cur.count() < config.minSamples() || !enoughReference) {
      return report = noFigure(at, refCount, cur.count());
    }
    return report = figures(at, refSample, cur, refPsi, std, bins, alarm);
  }

  /** The figures of a current sample against a reference sample of at least the minimum size. */
  private DriftReport figures(Instant at, NumericWindow.Sample refSample, NumericWindow.Sample cur, long[] refPsi,
      double std, Bins bins, boolean previousAlarm) {
    long refCount = refSample.count();
    Map<DriftStatistic, Double> scores = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pValues = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pLower = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> bounds = new EnumMap<>(DriftStatistic.class);
    boolean exact = refSample.sorted() != null && cur.sorted() != null;
    Histogram curHist = cur.histogram(bins);
    if (exact) {
      DriftStatistics.TestResult ks = DriftStatistics.ksSorted(refSample.sorted(), cur.sorted());
      scores.put(DriftStatistic.KS, ks.statistic());
      pValues.put(DriftStatistic.KS, ks.pValue());
      pLower.put(DriftStatistic.KS, ks.pValue());
      scores.put(DriftStatistic.WASSERSTEIN,
          DriftStatistics.normalise(DriftStatistics.wassersteinSorted(refSample.sorted(), cur.sorted()), std));
    } else {
      Histogram refHist = refSample.histogram(bins);
      BinnedStatistics.Bounded ks = BinnedStatistics.ks(refHist, curHist);
      // the binned D is a lower bound of the raw D, D + bound an upper one: the raw p-value lies between
      // the p-values of the two (the p-value falls as D grows)
      long n = refHist.total();
      long mCur = curHist.total();
      scores.put(DriftStatistic.KS, ks.value());
      pValues.put(DriftStatistic.KS, DriftStatistics.ksPValue(ks.value(), n, mCur));
      pLower.put(DriftStatistic.KS, DriftStatistics.ksPValue(Math.min(1, ks.value() + ks.bound()), n, mCur));
      bounds.put(DriftStatistic.KS, ks.bound());
      BinnedStatistics.Bounded wd = BinnedStatistics.wasserstein(refHist, curHist, bins.edges);
      scores.put(DriftStatistic.WASSERSTEIN, DriftStatistics.normalise(wd.value(), std));
      bounds.put(DriftStatistic.WASSERSTEIN, DriftStatistics.normalise(wd.bound(), std));
    }
    long[] curPsi = bins.toPsi(curHist.counts());
    int dof = bucketStatistics(refPsi, curPsi, scores, pValues, pLower);
    return withFigures(at, refCount, cur.count(), scores, pValues, pLower, bounds, dof, exact, previousAlarm);
  }

  @Override
  @Nullable Histogram windowSummary(long nowMillis) {
    NumericWindow w = current;
    NumericReference ref = reference;
    if (w == null || ref == null || rolling) {
      return null;
    }
    return w.current(nowMillis).histogram(ref.bins);
  }

  @Override
  String fingerprint() {
    NumericReference ref = reference;
    if (ref == null) {
      throw new IllegalStateException("no reference yet");
    }
    return new Fingerprint().add("numeric").add(ref.bins.edges).add(ref.bins.psiEdges).add(ref.histogram.counts())
        .add(ref.std).hex();
  }

  /**
   * As a binned window of the merged counts: PSI, Jensen–Shannon and chi-square exact over the
   * union, KS and Wasserstein from the merged fine bins with their bounds.
   */
  @Override
  DriftReport fleetFigures(Instant at, Histogram merged) {
    NumericReference ref = reference;
    long[] refPsi = referencePsi;
    if (ref == null || refPsi == null) {
      return noFigure(at, 0, merged.total(), fleetAlarm);
    }
    if (merged.total() < config.minSamples()) {
      return noFigure(at, ref.count, merged.total(), fleetAlarm);
    }
    return figures(at, new NumericWindow.Sample(null, ref.histogram), new NumericWindow.Sample(null, merged), refPsi,
        ref.std, ref.bins, fleetAlarm);
  }

  @Override
  @Nullable DriftSnapshot snapshot(boolean copy) {
    NumericReference ref = reference;
    if (ref == null || rolling) {
      return null;
    }
    if (ref.sorted != null) {
      return new DriftSnapshot(DriftSnapshot.FORMAT_VERSION, config.name(), DriftFeature.Type.NUMERIC, ref.count,
          ref.std, copy ? ref.sorted.clone() : ref.sorted, null, null, null, null, null, 0);
    }
    return new DriftSnapshot(DriftSnapshot.FORMAT_VERSION, config.name(), DriftFeature.Type.NUMERIC, ref.count,
        ref.std, null, copy ? ref.bins.edges.clone() : ref.bins.edges,
        copy ? ref.bins.psiEdges.clone() : ref.bins.psiEdges,
        copy ? ref.histogram.counts().clone() : ref.histogram.counts(),
        copy ? ref.histogram.sums().clone() : ref.histogram.sums(), null, 0);
  }

  @Override
  long bytes() {
    long b = Memory.OBJECT + 12 * Memory.REFERENCE + 32 + 3 * (Memory.OBJECT + 8);
    double[] c = capture;
    if (c != null) {
      b += Memory.array(c.length, 8);
    }
    NumericReference r = reference;
    if (r != null) {
      b += r.bytes();
    }
    long[] p = referencePsi;
    if (p != null) {
      b += Memory.array(p.length, 8);
    }
    NumericWindow w = current;
    if (w != null) {
      b += w.bytes();
    }
    return b;
  }

  @Override
  List<String> statisticTags() {
    return TAGS;
  }
}
