package dev.aims.benchmarks;

import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Heap retained per monitored feature, measured rather than estimated: for each kind of feature,
 * {@value #MONITORS} monitors of one feature each are created and fed {@value #VALUES} values, and
 * the heap in use after full collections is compared with the heap before, divided by the number
 * of monitors. The difference includes everything a monitor holds (its kept configuration,
 * objects, arrays); it is printed beside {@code Monitor.estimatedBytes()}. Run with a serial
 * collector for stable numbers:
 *
 * <pre>{@code
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar dev.aims.benchmarks.MonitorMemory
 * }</pre>
 */
public final class MonitorMemory {
  static final int MONITORS = 200;
  static final int VALUES = 50_000;

  private MonitorMemory() {}

  public static void main(String[] args) throws InterruptedException {
    Random rnd = new Random(1);
    double[] training = new double[100_000];
    for (int i = 0; i < training.length; i++) {
      training[i] = rnd.nextGaussian();
    }
    double[] small = java.util.Arrays.copyOf(training, 2000);
    Map<String, Integer> channels = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      channels.put("c" + i, 1 + i);
    }
    // a throwaway round first: class loading and JIT metadata must not be counted as monitor memory
    measure(null, n -> DriftFeature.numeric("x", Reference.of(training)).window(Window.lastDecisions(10_000)), rnd,
        false);
    measure(null, n -> DriftFeature.categorical("x", Reference.ofCategoryCounts(channels)), rnd, true);
    measure("numeric, 100k-value reference, binned count window of 10,000",
        n -> DriftFeature.numeric("x", Reference.of(training)).window(Window.lastDecisions(10_000)), rnd, false);
    measure("numeric, 2,000-value reference, exact window of 2,000",
        n -> DriftFeature.numeric("x", Reference.of(small)).window(Window.lastDecisions(2000)), rnd, false);
    measure("numeric, 2,000-value reference, 1-hour window (10 slices)",
        n -> DriftFeature.numeric("x", Reference.of(small)).window(Window.last(Duration.ofHours(1))), rnd, false);
    measure("numeric, rolling, exact window of 2,000",
        n -> DriftFeature.numeric("x", Reference.previousWindow()).window(Window.lastDecisions(2000)), rnd, false);
    measure("categorical, 20 categories, 1-hour window",
        n -> DriftFeature.categorical("x", Reference.ofCategoryCounts(channels)).window(Window.last(Duration.ofHours(1))),
        rnd, true);
    measure("categorical, first decisions, 25 categories of 100,000 chars (keys bounded)",
        n -> DriftFeature.categorical("x", Reference.firstDecisions(1000)), rnd, true, LONG_CATEGORIES);
  }

  /** 25 categories of 100,000 characters, distinct in their first ones. */
  static final String[] LONG_CATEGORIES = new String[25];

  static {
    for (int i = 0; i < LONG_CATEGORIES.length; i++) {
      LONG_CATEGORIES[i] = "c" + i + "x".repeat(100_000);
    }
  }

  static void measure(@org.jspecify.annotations.Nullable String name, Function<Integer, DriftFeature> feature,
      Random rnd, boolean categorical) throws InterruptedException {
    measure(name, feature, rnd, categorical, null);
  }

  static void measure(@org.jspecify.annotations.Nullable String name, Function<Integer, DriftFeature> feature,
      Random rnd, boolean categorical, String @org.jspecify.annotations.Nullable [] categories)
      throws InterruptedException {
    long before = settledHeap();
    List<Monitor> monitors = new ArrayList<>(MONITORS);
    UUID id = UUID.randomUUID();
    for (int m = 0; m < MONITORS; m++) {
      Monitor monitor = Monitor.create("s", MonitorConfig.builder().drift(feature.apply(m)).reviewOnDrift(false)
          .evaluationInterval(Duration.ofHours(1)).build(), Clock.systemUTC(), Runnable::run, e -> {});
      for (int i = 0; i < VALUES; i++) {
        Object value = !categorical ? (Object) rnd.nextGaussian()
            : categories != null ? categories[i % categories.length] : "c" + (i % 25);
        monitor.record(id, Map.of("x", value), null, Map.of());
      }
      monitors.add(monitor);
    }
    long after = settledHeap();
    // every part: the feature and the system monitor's own objects (monitor:s)
    long estimate = monitors.get(0).estimatedBytes().values().stream().mapToLong(Long::longValue).sum();
    if (name != null) {
      System.out.printf("%-66s measured %,7d B per feature, estimated %,7d B%n", name, (after - before) / MONITORS,
          estimate);
    }
    if (monitors.size() != MONITORS) {
      throw new AssertionError();
    }
  }

  static long settledHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      Thread.sleep(50); // System.gc() is a hint; give the collector a moment before reading the heap
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
