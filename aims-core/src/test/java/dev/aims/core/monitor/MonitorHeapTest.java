package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Monitor#estimatedBytes()} against the heap: each case builds monitors, feeds them, and
 * compares the heap in use after full collections (before and after, the monitors still
 * reachable) with the sum of their estimates. The figures are printed; docs/monitoring.md quotes
 * them.
 */
class MonitorHeapTest {
  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");

  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }

  static long estimate(List<Monitor> monitors) {
    return monitors.stream().mapToLong(m -> m.estimatedBytes().values().stream().mapToLong(Long::longValue).sum())
        .sum();
  }

  Monitor monitor(MonitorConfig.Builder config) {
    return Monitor.create("credit-scoring", config.reviewOnDrift(false).evaluationInterval(Duration.ofHours(1)).build(),
        clock, Runnable::run, e -> {});
  }

  /** Heap held by {@code count} monitors from {@code make}, each fed by {@code feed}; per monitor. */
  record Measured(double heap, double estimated) {}

  Measured measure(int count, Supplier<Monitor> make, java.util.function.Consumer<List<Monitor>> feed) {
    return measure(count, make, feed, feed);
  }

  Measured measure(int count, Supplier<Monitor> make, java.util.function.Consumer<List<Monitor>> feed,
      java.util.function.Consumer<List<Monitor>> warmUp) {
    // a throwaway round first, so that class initialisation is not counted
    List<Monitor> warm = new ArrayList<>(List.of(make.get()));
    warmUp.accept(warm);
    warm.clear();
    long before = usedAfterGc();
    List<Monitor> monitors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      monitors.add(make.get());
    }
    feed.accept(monitors);
    long after = usedAfterGc();
    long est = estimate(monitors);
    java.lang.ref.Reference.reachabilityFence(monitors);
    return new Measured((after - before) / (double) count, est / (double) count);
  }

  static void assertClose(String what, Measured m, double relative, double absolute) {
    System.out.printf("%-60s heap %10.0f B  estimated %10.0f B%n", what, m.heap(), m.estimated());
    assertThat(Math.abs(m.heap() - m.estimated())).as(what + ": heap " + m.heap() + " vs estimate " + m.estimated())
        .isLessThanOrEqualTo(Math.max(relative * m.heap(), absolute));
  }

  @Test
  void aHundredThousandDistinctCategoriesOf100KbEachKeepAFeatureUnder64Kb() {
    char[] chars = new char[100_000];
    Arrays.fill(chars, 'x');
    int n = 100_000;
    java.util.function.BiConsumer<List<Monitor>, Integer> stream = (monitors, count) -> {
          for (int i = 0; i < count; i++) {
            String s = Integer.toString(i, 36);
            s.getChars(0, s.length(), chars, 0);
            String category = new String(chars); // 100,000 characters, distinct in its first ones
            for (Monitor mon : monitors) {
              mon.record(UUID.randomUUID(), Map.of("first", category, "rolling", category), null, Map.of());
            }
          }
        };
    Measured m = measure(1, () -> monitor(MonitorConfig.builder()
            .drift(DriftFeature.categorical("first", Reference.firstDecisions(1_000)),
                DriftFeature.categorical("rolling", Reference.previousWindow()))),
        monitors -> stream.accept(monitors, n), monitors -> stream.accept(monitors, 2_000));
    assertClose("2 categorical features, 100,000 categories of 100 KB", m, 0.10, 4_096);
    assertThat(m.heap()).isLessThan(2 * 64 * 1024);
  }

  @Test
  void categoryKeysAreBoundedAndStillTellLongCategoriesApart() {
    Monitor m = monitor(MonitorConfig.builder()
        .drift(DriftFeature.categorical("x", Reference.firstDecisions(100)).window(Window.lastDecisions(100))));
    String a = "a".repeat(10_000);
    String b = "a".repeat(9_999) + "b"; // same prefix, same length
    for (int i = 0; i < 200; i++) {
      m.record(UUID.randomUUID(), Map.of("x", i % 2 == 0 ? a : new String(b.toCharArray())), null, Map.of());
    }
    m.evaluateNow();
    List<String> buckets = ((SystemMonitor) m).buckets("x");
    assertThat(buckets).hasSize(2).allSatisfy(k -> assertThat(k).hasSize(CategoryIndex.MAX_KEY_CHARS));
    assertThat(buckets.get(0)).isNotEqualTo(buckets.get(1)).startsWith("a".repeat(CategoryIndex.PREFIX_CHARS) + "~");
    assertThat(m.drift("x").score(DriftStatistic.PSI).getAsDouble()).isLessThan(1e-9); // no drift: 50/50 both times
    // a snapshot of long categories is a reference that finds them again
    DriftSnapshot snap = m.snapshot("x").orElseThrow();
    Monitor next = monitor(MonitorConfig.builder()
        .drift(DriftFeature.categorical("x", Reference.snapshot(snap)).window(Window.lastDecisions(100))));
    for (int i = 0; i < 100; i++) {
      next.record(UUID.randomUUID(), Map.of("x", a), null, Map.of());
    }
    next.evaluateNow();
    assertThat(next.drift("x").chiSquareDegreesOfFreedom()).isEqualTo(1); // a's bucket and b's; none in "other"
    assertThat(((SystemMonitor) next).buckets("x")).containsExactlyElementsOf(buckets);
  }

  @Test
  void pendingLabelsCostWhatTheEstimateSays() {
    int n = 100_000;
    Measured m = measure(1, () -> monitor(MonitorConfig.builder()
            .fairness(FairnessConfig.of("age_band", List.of("young", "old"), Double.class, v -> v > 0.5))),
        monitors -> {
          for (int i = 0; i < n; i++) {
            for (Monitor mon : monitors) {
              mon.record(UUID.randomUUID(), Map.of(), 0.7, Map.of("age_band", i % 2 == 0 ? "young" : "old"));
            }
          }
        });
    System.out.printf("pending-label store: %.1f B per pending decision (heap)%n", m.heap() / n);
    assertClose("fairness, 100,000 pending labels (the default maximum)", m, 0.05, 4_096);
  }

  @Test
  void numericFeaturesCostWhatTheEstimateSays() {
    Random rnd = new Random(2);
    double[] large = rnd.doubles(100_000).map(u -> rnd.nextGaussian()).toArray();
    double[] exact = Arrays.copyOf(large, Window.EXACT_LIMIT);
    java.util.function.Consumer<List<Monitor>> feed = monitors -> {
      for (int i = 0; i < 25_000; i++) {
        double v = rnd.nextGaussian();
        for (Monitor mon : monitors) {
          mon.record(UUID.randomUUID(), Map.of("x", v), null, Map.of());
        }
        if (i % 1000 == 0) {
          clock.advance(Duration.ofSeconds(10));
        }
      }
    };
    assertClose("numeric, 100,000-value reference, binned count window of 10,000",
        measure(50, () -> monitor(MonitorConfig.builder()
            .drift(DriftFeature.numeric("x", Reference.of(large)).window(Window.lastDecisions(10_000)))), feed),
        0.10, 1_024);
    assertClose("numeric, 2,000-value reference, exact window of 2,000",
        measure(50, () -> monitor(MonitorConfig.builder()
            .drift(DriftFeature.numeric("x", Reference.of(exact)).window(Window.lastDecisions(2_000)))), feed),
        0.10, 1_024);
    assertClose("numeric, rolling reference, 1-hour window",
        measure(50, () -> monitor(MonitorConfig.builder()
            .drift(DriftFeature.numeric("x", Reference.previousWindow()).window(Window.last(Duration.ofHours(1))))),
            feed), 0.10, 1_024);
  }
}
