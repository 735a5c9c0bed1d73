package dev.aims.benchmarks;

import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftReport;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.DriftStatistics;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What drift monitoring costs (issue: drift and fairness), beside what an SRE would reach for.
 *
 * <ul>
 *   <li>{@link #summaryRecord}: Micrometer {@link DistributionSummary#record} of one value
 *       ({@code SimpleMeterRegistry}), the peer.
 *   <li>{@link #monitorRecordBinned}, {@link #monitorRecordExact}, {@link #monitorRecordCategorical}:
 *       {@code Monitor.record} of one decision carrying one monitored feature (what {@code Aims}
 *       calls after each decision): clock read, feature lookup, bin search, atomic counters.
 *   <li>{@link #summaryRecord8} and {@link #monitorRecord8Binned}: the same with eight numeric
 *       features per decision (the monitor reads the clock once per decision).
 *   <li>{@link #evaluateBinnedWindow10k}: every statistic (PSI, KS with p-value, Wasserstein, JS,
 *       chi-square) of a 10,000-value binned window against a 1,000-value reference.
 *   <li>{@link #evaluateExactWindow1k}: the same for a raw 1,000-value window (exact KS p-value by
 *       the lattice recursion, exact Wasserstein).
 *   <li>{@link #statisticsOnRawArrays10k}: the same statistics with {@link DriftStatistics} on raw
 *       arrays (1,000 vs 10,000 values), sorting included.
 * </ul>
 *
 * Evaluation runs only when asked ({@code evaluationInterval} of one hour), so record benchmarks
 * measure recording alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MonitorBenchmark {
  private static final int VALUES = 4096;

  private final double[] values = new double[VALUES];
  private final Map<?, ?>[] numericFeatures = new Map<?, ?>[VALUES];
  private final Map<?, ?>[] categoricalFeatures = new Map<?, ?>[VALUES];
  private final Map<?, ?>[] eightFeatures = new Map<?, ?>[VALUES];
  private static final String[] EIGHT = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"};
  private final UUID id = UUID.randomUUID();
  private int next;

  private DistributionSummary summary;
  private final DistributionSummary[] summaries = new DistributionSummary[8];
  private Monitor binned8;
  private Monitor binned;
  private Monitor exact;
  private Monitor categorical;
  private Monitor window10k;
  private Monitor window1k;
  private double[] reference1k;
  private double[] current10k;

  @Setup
  public void setUp() {
    Random rnd = new Random(20261123);
    String[] channels = {"web", "mobile", "branch", "partner", "kiosk"};
    for (int i = 0; i < VALUES; i++) {
      values[i] = 50_000 + 10_000 * rnd.nextGaussian();
      numericFeatures[i] = Map.of("income", values[i]);
      categoricalFeatures[i] = Map.of("channel", channels[rnd.nextInt(channels.length)]);
    }
    for (int i = 0; i < VALUES; i++) {
      java.util.HashMap<String, Object> m = new java.util.HashMap<>();
      for (int f = 0; f < 8; f++) {
        m.put(EIGHT[f], values[(i + 512 * f) & (VALUES - 1)]);
      }
      eightFeatures[i] = m;
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    summary = DistributionSummary.builder("income").register(registry);
    for (int f = 0; f < 8; f++) {
      summaries[f] = DistributionSummary.builder("feature").tag("feature", EIGHT[f]).register(registry);
    }

    reference1k = new double[1000];
    for (int i = 0; i < reference1k.length; i++) {
      reference1k[i] = 50_000 + 10_000 * rnd.nextGaussian();
    }
    current10k = new double[10_000];
    for (int i = 0; i < current10k.length; i++) {
      current10k[i] = 52_000 + 10_000 * rnd.nextGaussian();
    }
    binned = monitor(DriftFeature.numeric("income", Reference.of(reference1k)).window(Window.lastDecisions(10_000)));
    DriftFeature[] features = new DriftFeature[8];
    for (int f = 0; f < 8; f++) {
      features[f] = DriftFeature.numeric(EIGHT[f], Reference.of(reference1k)).window(Window.lastDecisions(10_000));
    }
    binned8 = Monitor.create("credit-scoring", MonitorConfig.builder().drift(features).reviewOnDrift(false)
        .evaluationInterval(Duration.ofHours(1)).build(), Clock.systemUTC(), Runnable::run, e -> {});
    exact = monitor(DriftFeature.numeric("income", Reference.of(reference1k)).window(Window.lastDecisions(1000)));
    categorical = monitor(DriftFeature.categorical("channel",
        Reference.ofCategoryCounts(Map.of("web", 40, "mobile", 30, "branch", 20, "partner", 10))));
    window10k = monitor(DriftFeature.numeric("income", Reference.of(reference1k)).window(Window.lastDecisions(10_000)));
    for (double v : current10k) {
      window10k.record(id, Map.of("income", v), null, Map.of());
    }
    window10k.evaluateNow();
    window1k = monitor(DriftFeature.numeric("income", Reference.of(reference1k)).window(Window.lastDecisions(1000)));
    for (int i = 0; i < 1000; i++) {
      window1k.record(id, Map.of("income", current10k[i]), null, Map.of());
    }
    window1k.evaluateNow();
    if (!window1k.drift("income").exact()) {
      throw new IllegalStateException("the 1,000-value window should be exact");
    }
    DriftReport r = window10k.drift("income");
    if (r.currentCount() != 10_000 || r.score(DriftStatistic.KS).isEmpty() || r.exact()) {
      throw new IllegalStateException("the 10,000-value window is not set up as intended: " + r);
    }
  }

  private static Monitor monitor(DriftFeature feature) {
    return Monitor.create("credit-scoring", MonitorConfig.builder().drift(feature).reviewOnDrift(false)
        .evaluationInterval(Duration.ofHours(1)).build(), Clock.systemUTC(), Runnable::run, e -> {});
  }

  @Benchmark
  public double summaryRecord() {
    double v = values[next++ & (VALUES - 1)];
    summary.record(v);
    return v;
  }

  @Benchmark
  @SuppressWarnings("unchecked")
  public Monitor monitorRecordBinned() {
    binned.record(id, (Map<String, ?>) numericFeatures[next++ & (VALUES - 1)], null, Map.of());
    return binned;
  }

  /** Eight values of one decision into eight summaries: what recording eight features by hand costs. */
  @Benchmark
  public double summaryRecord8() {
    int i = next++;
    double sum = 0;
    for (int f = 0; f < 8; f++) {
      double v = values[(i + 512 * f) & (VALUES - 1)];
      summaries[f].record(v);
      sum += v;
    }
    return sum;
  }

  /** One decision carrying eight monitored numeric features (binned windows). */
  @Benchmark
  @SuppressWarnings("unchecked")
  public Monitor monitorRecord8Binned() {
    binned8.record(id, (Map<String, ?>) eightFeatures[next++ & (VALUES - 1)], null, Map.of());
    return binned8;
  }

  @Benchmark
  @SuppressWarnings("unchecked")
  public Monitor monitorRecordExact() {
    exact.record(id, (Map<String, ?>) numericFeatures[next++ & (VALUES - 1)], null, Map.of());
    return exact;
  }

  @Benchmark
  @SuppressWarnings("unchecked")
  public Monitor monitorRecordCategorical() {
    categorical.record(id, (Map<String, ?>) categoricalFeatures[next++ & (VALUES - 1)], null, Map.of());
    return categorical;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public DriftReport evaluateBinnedWindow10k() {
    window10k.evaluateNow();
    return window10k.drift("income");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public DriftReport evaluateExactWindow1k() {
    window1k.evaluateNow();
    return window1k.drift("income");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public double statisticsOnRawArrays10k() {
    DriftStatistics.TestResult ks = DriftStatistics.ks(reference1k, current10k);
    double w = DriftStatistics.normalise(DriftStatistics.wasserstein(reference1k, current10k),
        DriftStatistics.std(reference1k));
    double[] edges = DriftStatistics.psiEdges(reference1k, 10);
    long[] r = DriftStatistics.binCounts(edges, reference1k);
    long[] c = DriftStatistics.binCounts(edges, current10k);
    return ks.pValue() + w + DriftStatistics.psi(r, c) + DriftStatistics.jensenShannon(r, c)
        + DriftStatistics.chiSquare(r, c).pValue();
  }
}
