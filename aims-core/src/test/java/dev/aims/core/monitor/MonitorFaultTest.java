package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aims.core.AimsMetricNames;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bad input and hard conditions: each is handled by rule, never by accident. */
class MonitorFaultTest {
  final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");

  Monitor monitor(MonitorConfig config) {
    return Monitor.create("credit-scoring", config, clock, Runnable::run, e -> {});
  }

  Monitor drift(DriftFeature... features) {
    return monitor(MonitorConfig.builder().drift(features).reviewOnDrift(false).build());
  }

  static double[] normal(Random rnd, int n, double mean, double sd) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean + sd * rnd.nextGaussian();
    }
    return out;
  }

  static void record(Monitor m, String feature, Object value) {
    Map<String, Object> features = new HashMap<>();
    features.put(feature, value);
    m.record(UUID.randomUUID(), features, null, Map.of());
  }

  @Test
  void nanInfinitiesNullAndWrongTypesCountAsMissingAndNeverPoisonAStatistic() {
    Random rnd = new Random(7);
    double[] ref = normal(rnd, 500, 0, 1);
    double[] cur = normal(rnd, 300, 0.2, 1);
    Monitor clean = drift(DriftFeature.numeric("x", Reference.of(ref)));
    Monitor dirty = drift(DriftFeature.numeric("x", Reference.of(ref)));
    Object[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, null, "12.5"};
    for (int i = 0; i < cur.length; i++) {
      record(clean, "x", cur[i]);
      record(dirty, "x", cur[i]);
      if (i % 60 == 0) {
        record(dirty, "x", bad[i / 60]);
      }
    }
    dirty.record(UUID.randomUUID(), Map.of("other", 1.0), null, Map.of()); // feature absent
    clean.evaluateNow();
    dirty.evaluateNow();

    DriftReport d = dirty.drift("x");
    assertThat(d.missing()).isEqualTo(6);
    assertThat(d.currentCount()).isEqualTo(300);
    assertThat(d.scores()).isEqualTo(clean.drift("x").scores());
    assertThat(d.scores().values()).allSatisfy(v -> assertThat(v).isFinite());
  }

  @Test
  void nonFiniteReferenceValuesAreDroppedAndCounted() {
    Reference r = Reference.of(1, 2, Double.NaN, 3, Double.POSITIVE_INFINITY);
    assertThat(r.droppedValues()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reference.of(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
  }

  @Test
  void anOutputOfAnotherTypeCountsAsMissing() {
    Monitor m = drift(DriftFeature.numericOutput("score", Double.class, d -> d, Reference.of(0.1, 0.5, 0.9)));
    m.record(UUID.randomUUID(), Map.of(), "not a number", Map.of());
    m.record(UUID.randomUUID(), Map.of(), Double.NaN, Map.of());
    m.record(UUID.randomUUID(), Map.of(), 0.4, Map.of());
    m.evaluateNow();
    assertThat(m.drift("score").missing()).isEqualTo(2);
    assertThat(m.drift("score").currentCount()).isEqualTo(1);
  }

  @Test
  void aFeatureConstantInTheReferenceGivesFiniteFigures() {
    double[] ref = new double[200];
    java.util.Arrays.fill(ref, 3.0);
    Monitor same = drift(DriftFeature.numeric("x", Reference.of(ref)));
    Monitor moved = drift(DriftFeature.numeric("x", Reference.of(ref)));
    for (int i = 0; i < 100; i++) {
      record(same, "x", 3.0);
      record(moved, "x", 3.1);
    }
    same.evaluateNow();
    moved.evaluateNow();

    DriftReport s = same.drift("x");
    assertThat(s.score(DriftStatistic.PSI).getAsDouble()).isZero();
    assertThat(s.score(DriftStatistic.KS).getAsDouble()).isZero();
    assertThat(s.pValue(DriftStatistic.KS).getAsDouble()).isEqualTo(1);
    assertThat(s.score(DriftStatistic.WASSERSTEIN).getAsDouble()).isZero();
    assertThat(s.score(DriftStatistic.JENSEN_SHANNON).getAsDouble()).isZero();
    assertThat(s.pValue(DriftStatistic.CHI_SQUARE).getAsDouble()).isEqualTo(1);
    assertThat(s.alarmStatistic()).isEqualTo(DriftStatistic.CHI_SQUARE); // one distinct value: categorical rule
    assertThat(s.alarm()).isFalse();
    DriftReport m = moved.drift("x");
    // spread 0 is floored at 0.001, so a 0.1 move is 100 reference spreads
    assertThat(m.score(DriftStatistic.WASSERSTEIN).getAsDouble()).isCloseTo(100, within(1e-9));
    assertThat(m.alarm()).isTrue();
    assertThat(m.scores().values()).allSatisfy(v -> assertThat(v).isFinite());
  }

  @Test
  void anEmptyCurrentWindowHasNoFigureNotZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Monitor m = drift(DriftFeature.numeric("x", Reference.of(normal(new Random(1), 100, 0, 1)))
        .window(Window.last(Duration.ofMinutes(10))));
    m.bindTo(registry);
    m.evaluateNow();

    assertThat(m.drift("x").hasFigures()).isFalse();
    assertThat(m.drift("x").score(DriftStatistic.PSI)).isEmpty();
    assertThat(psiGauge(registry)).isNaN();

    for (double v : normal(new Random(2), 100, 0, 1)) {
      record(m, "x", v);
    }
    m.evaluateNow();
    assertThat(psiGauge(registry)).isFinite();

    clock.advance(Duration.ofMinutes(11)); // every value has left the time window
    m.evaluateNow();
    assertThat(m.drift("x").currentCount()).isZero();
    assertThat(m.drift("x").hasFigures()).isFalse();
    assertThat(psiGauge(registry)).isNaN();
    assertThat(registry.get(AimsMetricNames.DRIFT_ALARM).gauge().value()).isZero();
  }

  static double psiGauge(SimpleMeterRegistry registry) {
    return registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "x", "statistic", "psi").gauge().value();
  }

  @Test
  void fewerValuesThanMinSamplesGiveNoFigure() {
    Monitor m = drift(DriftFeature.numeric("x", Reference.of(1, 2, 3, 4, 5, 6, 7)).minSamples(50));
    for (int i = 0; i < 49; i++) {
      record(m, "x", (double) (i % 7));
    }
    m.evaluateNow();
    assertThat(m.drift("x").hasFigures()).isFalse();
    record(m, "x", 3.0);
    m.evaluateNow();
    assertThat(m.drift("x").hasFigures()).isTrue();
  }

  @Test
  void aCategoryNeverSeenInTheReferenceGoesToOther() {
    Monitor m = drift(DriftFeature.categorical("channel",
        Reference.ofCategoryCounts(Map.of("web", 600, "branch", 400))));
    for (int i = 0; i < 300; i++) {
      record(m, "channel", i % 3 == 0 ? "kiosk" : i % 3 == 1 ? "web" : "branch");
    }
    m.evaluateNow();
    DriftReport r = m.drift("channel");
    assertThat(((SystemMonitor) m).buckets("channel")).containsExactly("web", "branch");
    assertThat(r.currentCount()).isEqualTo(300);
    // reference [600, 400, 0], current [100, 100, 100]
    assertThat(r.score(DriftStatistic.CHI_SQUARE).getAsDouble())
        .isCloseTo(DriftStatistics.chiSquare(new long[] {600, 400, 0}, new long[] {100, 100, 100}).statistic(),
            within(1e-9));
    assertThat(r.alarm()).isTrue();
  }

  @Test
  void aMillionDistinctCategoriesKeepMemoryBounded() {
    Monitor m = drift(
        DriftFeature.categorical("fixed", Reference.ofCategoryCounts(Map.of("a", 1, "b", 1))),
        DriftFeature.categorical("first", Reference.firstDecisions(1000)),
        DriftFeature.categorical("rolling", Reference.previousWindow()));
    long before = m.estimatedBytes().values().stream().mapToLong(Long::longValue).max().orElseThrow();
    for (int i = 0; i < 1_000_000; i++) {
      String c = "category-" + i;
      m.record(UUID.randomUUID(), Map.of("fixed", c, "first", c, "rolling", c), null, Map.of());
    }
    m.evaluateNow();
    SystemMonitor sm = (SystemMonitor) m;
    assertThat(sm.buckets("fixed")).hasSize(2);
    assertThat(sm.buckets("first")).hasSize(DriftFeature.DEFAULT_MAX_CATEGORIES);
    assertThat(sm.buckets("rolling")).hasSize(DriftFeature.DEFAULT_MAX_CATEGORIES);
    assertThat(m.estimatedBytes().values()).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(64 * 1024));
    assertThat(m.drift("first").referenceCount()).isEqualTo(1000);
    assertThat(m.drift("first").currentCount()).isEqualTo(1000); // the window: last 1,000 values
    assertThat(before).isLessThanOrEqualTo(64 * 1024);
  }

  // ---- fairness ----------------------------------------------------------------------------------

  Monitor fairness(FairnessConfig config) {
    return monitor(MonitorConfig.builder().fairness(config).build());
  }

  static FairnessConfig ageBands() {
    return FairnessConfig.of("age_band", List.of("young", "old"), Boolean.class, b -> b)
        .window(Window.lastDecisions(1_000_000));
  }

  @Test
  void aGroupWithFewerMembersThanTheMinimumHasNoFigureAndNoAlarm() {
    Monitor m = fairness(ageBands().minGroupSize(30));
    for (int i = 0; i < 100; i++) {
      m.record(UUID.randomUUID(), Map.of(), i % 2 == 0, Map.of("age_band", "young"));
    }
    for (int i = 0; i < 29; i++) {
      m.record(UUID.randomUUID(), Map.of(), false, Map.of("age_band", "old")); // rate 0: would be DI 0
    }
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.group("old").decisions()).isEqualTo(29);
    assertThat(r.group("old").belowMinimum()).isTrue();
    assertThat(r.group("young").selectionRate()).hasValue(0.5);
    assertThat(r.disparateImpactRatio()).isEmpty();
    assertThat(r.demographicParityDifference()).isEmpty();
    assertThat(r.alarm()).isFalse();

    m.record(UUID.randomUUID(), Map.of(), false, Map.of("age_band", "old"));
    m.evaluateNow();
    assertThat(m.fairness().orElseThrow().disparateImpactRatio()).hasValue(0.0);
    assertThat(m.fairness().orElseThrow().alarm()).isTrue();
  }

  @Test
  void undeclaredAndMissingGroupsAreCountedNotMonitored() {
    Monitor m = fairness(ageBands());
    m.record(UUID.randomUUID(), Map.of(), true, Map.of("age_band", "unknown-band"));
    m.record(UUID.randomUUID(), Map.of(), true, Map.of());
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.undeclaredGroup()).isEqualTo(1);
    assertThat(r.missingAttribute()).isEqualTo(1);
    assertThat(r.group("young").decisions() + r.group("old").decisions()).isZero();
  }

  @Test
  void labelsForUnknownOrExpiredDecisionsAreUnknown() {
    Monitor m = fairness(ageBands().pendingLabels(1000, Duration.ofDays(2)));
    UUID known = UUID.randomUUID();
    m.record(known, Map.of(), true, Map.of("age_band", "young"));

    assertThat(m.feedback(UUID.randomUUID(), true)).isEqualTo(FeedbackResult.UNKNOWN);
    clock.advance(Duration.ofDays(2).plusSeconds(1));
    assertThat(m.awaitsLabel(known)).isFalse();
    assertThat(m.feedback(known, true)).isEqualTo(FeedbackResult.UNKNOWN);
    m.evaluateNow();
    assertThat(m.fairness().orElseThrow().labelsRecorded()).isZero();
  }

  @Test
  void aLabelForADecisionEvictedFromTheBoundedCacheIsUnknownAndChangesNoFigure() {
    Monitor m = fairness(ageBands().pendingLabels(100, Duration.ofDays(30)));
    UUID first = UUID.randomUUID();
    m.record(first, Map.of(), true, Map.of("age_band", "young"));
    for (int i = 0; i < 10_000; i++) {
      m.record(UUID.randomUUID(), Map.of(), true, Map.of("age_band", "young"));
    }
    assertThat(m.awaitsLabel(first)).isFalse();
    assertThat(m.feedback(first, true)).isEqualTo(FeedbackResult.UNKNOWN);
    m.evaluateNow();
    assertThat(m.fairness().orElseThrow().labelsRecorded()).isZero();
  }

  @Test
  void thePendingCacheIsBounded() {
    Monitor m = fairness(ageBands().pendingLabels(100, Duration.ofDays(30)));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      m.record(id, Map.of(), true, Map.of("age_band", "young"));
    }
    long known = ids.stream().filter(m::awaitsLabel).count();
    assertThat(known).isLessThanOrEqualTo(100);
    m.evaluateNow();
    assertThat(m.fairness().orElseThrow().pendingLabels()).isLessThanOrEqualTo(100);
  }

  @Test
  void aSecondLabelForADecisionChangesNothing() {
    Monitor m = fairness(ageBands());
    UUID id = UUID.randomUUID();
    m.record(id, Map.of(), true, Map.of("age_band", "young"));
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.RECORDED);
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.DUPLICATE);
    assertThat(m.feedback(id, false)).isEqualTo(FeedbackResult.DUPLICATE);
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.group("young").labelled()).isEqualTo(1);
    assertThat(r.group("young").positives()).isEqualTo(1);
    assertThat(r.labelsRecorded()).isEqualTo(1);
    assertThat(r.duplicateLabels()).isEqualTo(2);
  }

  @Test
  void aLabelThatCannotBeReadFailsLoudly() {
    Monitor m = fairness(ageBands());
    UUID id = UUID.randomUUID();
    m.record(id, Map.of(), true, Map.of("age_band", "young"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.feedback(id, 42))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("favourableLabel");
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.RECORDED); // the bad label did not use it up
  }

  // ---- concurrency -------------------------------------------------------------------------------

  @Test
  void eightThreadsLoseNoCounts() throws Exception {
    int threads = 8;
    int perThread = 50_000;
    Monitor m = monitor(MonitorConfig.builder()
        .drift(DriftFeature.numeric("binned", Reference.of(normal(new Random(3), 1000, 0, 1)))
                .window(Window.last(Duration.ofHours(1))),
            DriftFeature.numeric("exact", Reference.of(normal(new Random(4), 1000, 0, 1)))
                .window(Window.lastDecisions(2000)),
            DriftFeature.numeric("first", Reference.firstDecisions(1000)).window(Window.last(Duration.ofHours(1))),
            DriftFeature.categorical("channel", Reference.ofCategoryCounts(Map.of("web", 1, "app", 1)))
                .window(Window.last(Duration.ofHours(1))))
        .fairness(ageBands().window(Window.last(Duration.ofHours(1))).pendingLabels(1_000_000, Duration.ofDays(1)))
        .reviewOnDrift(false)
        .build());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<UUID>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      futures.add(pool.submit(() -> {
        Random rnd = new Random(seed);
        List<UUID> ids = new ArrayList<>();
        start.await();
        for (int i = 0; i < perThread; i++) {
          double v = i % 100 == 0 ? Double.NaN : rnd.nextGaussian();
          UUID id = UUID.randomUUID();
          if (i % 10 == 0) {
            ids.add(id);
          }
          m.record(id, Map.of("binned", v, "exact", v, "first", v, "channel", i % 2 == 0 ? "web" : "app"),
              i % 3 == 0, Map.of("age_band", i % 4 == 0 ? "old" : "young"));
        }
        return ids;
      }));
    }
    start.countDown();
    List<UUID> labelled = new ArrayList<>();
    for (Future<List<UUID>> f : futures) {
      labelled.addAll(f.get(60, TimeUnit.SECONDS));
    }
    // every labelled decision gets its label from two threads at once: exactly one is recorded
    AtomicInteger recorded = new AtomicInteger();
    CountDownLatch labels = new CountDownLatch(1);
    List<Future<?>> labelFutures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t % 2;
      int part = t / 2;
      labelFutures.add(pool.submit(() -> {
        labels.await();
        for (int i = part; i < labelled.size(); i += threads / 2) {
          if (m.feedback(labelled.get(i), (i + offset) % 2 == 0) == FeedbackResult.RECORDED) {
            recorded.incrementAndGet();
          }
        }
        return null;
      }));
    }
    labels.countDown();
    for (Future<?> f : labelFutures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    m.evaluateNow();

    long total = (long) threads * perThread;
    long missing = (long) threads * (perThread / 100);
    assertThat(m.drift("binned").currentCount()).isEqualTo(total - missing);
    assertThat(m.drift("binned").missing()).isEqualTo(missing);
    assertThat(m.drift("exact").currentCount()).isEqualTo(2000);
    assertThat(m.drift("first").referenceCount()).isEqualTo(1000);
    assertThat(m.drift("first").currentCount()).isEqualTo(total - missing - 1000);
    assertThat(m.drift("channel").currentCount()).isEqualTo(total);
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.group("old").decisions() + r.group("young").decisions()).isEqualTo(total);
    assertThat(r.group("old").decisions()).isEqualTo(threads * (perThread / 4L));
    assertThat(recorded.get()).isEqualTo(labelled.size());
    assertThat(r.labelsRecorded()).isEqualTo(labelled.size());
    assertThat(r.duplicateLabels()).isEqualTo(labelled.size());
    assertThat(r.group("old").labelled() + r.group("young").labelled()).isEqualTo(labelled.size());
  }
}
