package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Memory per monitored feature is fixed: the same after one million and after ten million values,
 * and at most 64 KB, for every kind of reference and window (largest exact sizes included).
 * Sizes are estimated from array lengths ({@link Memory}); the benchmarks module checks the
 * estimate against a heap measurement.
 */
class MonitorMemoryTest {
  static final long LIMIT = 64 * 1024;

  @Test
  void memoryPerFeatureStaysUnder64KbWithTenMillionValues() {
    TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    Random rnd = new Random(11);
    double[] large = new double[100_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = rnd.nextGaussian();
    }
    double[] exact = java.util.Arrays.copyOf(large, Window.EXACT_LIMIT);
    Map<String, Integer> categories = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      categories.put("c" + i, 100 - i);
    }
    Monitor m = Monitor.create("credit-scoring", MonitorConfig.builder()
        .drift(DriftFeature.numeric("binned-count", Reference.of(large)).window(Window.lastDecisions(10_000)),
            DriftFeature.numeric("binned-time", Reference.of(exact)).window(Window.last(Duration.ofHours(1))),
            DriftFeature.numeric("exact", Reference.of(exact)).window(Window.lastDecisions(Window.EXACT_LIMIT)),
            DriftFeature.numeric("first", Reference.firstDecisions(Reference.MAX_FIRST_DECISIONS))
                .window(Window.lastDecisions(Window.EXACT_LIMIT)),
            DriftFeature.numeric("rolling-exact", Reference.previousWindow())
                .window(Window.lastDecisions(Window.EXACT_LIMIT)),
            DriftFeature.numeric("rolling-binned", Reference.previousWindow()).window(Window.last(Duration.ofHours(1))),
            DriftFeature.categorical("channel", Reference.ofCategoryCounts(categories))
                .window(Window.last(Duration.ofHours(1))),
            DriftFeature.categorical("rolling-channel", Reference.previousWindow()))
        .reviewOnDrift(false)
        .evaluationInterval(Duration.ofMinutes(5))
        .build(), clock, Runnable::run, e -> {});

    Map<String, Object> features = new HashMap<>();
    Map<String, Long> afterOneMillion = null;
    UUID id = UUID.randomUUID();
    for (int i = 1; i <= 10_000_000; i++) {
      double v = rnd.nextGaussian();
      for (String f : new String[] {"binned-count", "binned-time", "exact", "first", "rolling-exact",
          "rolling-binned"}) {
        features.put(f, v);
      }
      String c = "c" + (i % 37); // 17 categories the reference never saw
      features.put("channel", c);
      features.put("rolling-channel", c + (i % 1000)); // 37,000 distinct categories
      m.record(id, features, null, Map.of());
      if (i % 1000 == 0) {
        clock.advance(Duration.ofSeconds(1));
      }
      if (i == 1_000_000) {
        afterOneMillion = new LinkedHashMap<>(m.estimatedBytes());
      }
    }
    m.evaluateNow();
    Map<String, Long> afterTenMillion = m.estimatedBytes();

    System.out.println("estimated bytes per feature after 10M values: " + afterTenMillion);
    assertThat(afterTenMillion).isEqualTo(afterOneMillion);
    assertThat(afterTenMillion.values()).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(LIMIT));
    assertThat(m.drift()).allSatisfy(r -> assertThat(r.hasFigures()).as(r.feature()).isTrue());
  }

  @Test
  void aRunningMonitorKeepsASummaryOfLargeReferenceDataNotTheData() {
    TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    Random rnd = new Random(12);
    double[] training = new double[1_000_000];
    for (int i = 0; i < training.length; i++) {
      training[i] = 50_000 + 10_000 * rnd.nextGaussian();
    }
    Map<String, Integer> categories = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      categories.put("c" + i, 1 + i % 7);
    }
    MonitorConfig config = MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.of(training)),
            DriftFeature.categorical("channel", Reference.ofCategoryCounts(categories)))
        .reviewOnDrift(false).build();
    Monitor first = Monitor.create("credit-scoring", config, clock, Runnable::run, e -> {});
    Monitor again = Monitor.create("credit-scoring", first.config(), clock, Runnable::run, e -> {});

    assertThat(first.config().drift().get(0).reference().toString()).contains("summarised");
    assertThat(first.config().drift().get(0).reference().kind()).isEqualTo(Reference.Kind.DATA);
    assertThat(first.config().drift().get(1).reference().toString()).contains("summarised");
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> f = Map.of("income", 52_000 + 10_000 * rnd.nextGaussian(), "channel", "c" + (i % 50));
      first.record(UUID.randomUUID(), f, null, Map.of());
      again.record(UUID.randomUUID(), f, null, Map.of());
    }
    first.evaluateNow();
    again.evaluateNow();
    assertThat(again.drift("income").scores()).isEqualTo(first.drift("income").scores());
    assertThat(again.drift("channel").scores()).isEqualTo(first.drift("channel").scores());
    assertThat(again.drift("income").referenceCount()).isEqualTo(1_000_000);
    assertThat(first.estimatedBytes().values()).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(LIMIT));
  }
}
