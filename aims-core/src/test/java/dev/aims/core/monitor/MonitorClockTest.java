package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When recording reads the clock: per value for time windows, every 64th decision otherwise. */
class MonitorClockTest {
  final TestClock time = TestClock.at("2026-11-23T10:00:00Z");
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger evaluations = new AtomicInteger();
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return time.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return time.instant();
    }

    @Override
    public long millis() {
      reads.incrementAndGet();
      return time.millis();
    }
  };

  Monitor monitor(DriftFeature feature) {
    MonitorConfig config = MonitorConfig.builder().drift(feature).reviewOnDrift(false)
        .evaluationInterval(Duration.ofSeconds(10)).build();
    return Monitor.create("credit-scoring", config, clock, r -> {
      evaluations.incrementAndGet();
      r.run();
    }, e -> {});
  }

  static void record(Monitor m, double v) {
    m.record(UUID.randomUUID(), Map.of("x", v), null, Map.of());
  }

  @Test
  void countWindowsReadTheClockEvery64thDecisionAndEvaluateAtMost63Late() {
    Monitor m = monitor(DriftFeature.numeric("x", Reference.of(1, 2, 3, 4, 5)).window(Window.lastDecisions(5_000)));
    reads.set(0);
    for (int i = 0; i < 64 * 10 + 1; i++) {
      record(m, i % 5);
    }
    // one read per 64 decisions, one per evaluation, and one when the first figure became possible
    assertThat(reads.get()).isEqualTo(11 + 1 + evaluations.get());
    // the first decision, and the 30th value (minSamples: the first figure, at once); the interval has not passed
    assertThat(evaluations.get()).isEqualTo(2);
    assertThat(m.drift("x").hasFigures()).isTrue();

    time.advance(Duration.ofSeconds(10));
    int before = evaluations.get();
    for (int i = 0; i < 63; i++) {
      record(m, 1);
    }
    assertThat(evaluations.get()).isEqualTo(before); // the next read is at decision 705
    record(m, 1);
    assertThat(evaluations.get()).isEqualTo(before + 1);
  }

  @Test
  void timeWindowsReadTheClockForEveryValue() {
    Monitor m = monitor(DriftFeature.numeric("x", Reference.of(1, 2, 3, 4, 5)).window(Window.last(Duration.ofMinutes(10))));
    reads.set(0);
    for (int i = 0; i < 100; i++) {
      record(m, i % 5);
    }
    assertThat(reads.get()).isEqualTo(100 + evaluations.get());

    time.advance(Duration.ofSeconds(10));
    int before = evaluations.get();
    record(m, 1);
    assertThat(evaluations.get()).isEqualTo(before + 1);
  }
}
