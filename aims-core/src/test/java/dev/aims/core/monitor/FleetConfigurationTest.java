package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Fleet settings that could not work fail when built, naming the setting; what takes no part is said so. */
class FleetConfigurationTest {
  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");
  final FleetStore store = FleetStore.inMemory();
  final DriftFeature income = DriftFeature.numeric("income", Reference.of(1, 2, 3, 4, 5, 6, 7));

  @Test
  void aStaleLimitNotLongerThanTheEvaluationIntervalFailsNamingBoth() {
    assertThatThrownBy(() -> MonitorConfig.builder().drift(income).evaluationInterval(Duration.ofMinutes(1))
        .fleet(FleetConfig.of(store, "a")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleet staleAfter (PT1M) must be longer than evaluationInterval (PT1M)");
  }

  @Test
  void aBlankOrOverlongInstanceNameAndANonPositiveStaleLimitFail() {
    assertThatThrownBy(() -> FleetConfig.of(store, " ")).hasMessageContaining("fleet instance name must be 1 to 200");
    assertThatThrownBy(() -> FleetConfig.of(store, "x".repeat(201))).hasMessageContaining("fleet instance name");
    assertThatThrownBy(() -> FleetConfig.of(store, "a").staleAfter(Duration.ZERO))
        .hasMessageContaining("fleet staleAfter must be positive but was PT0S");
    assertThatThrownBy(() -> MonitorConfig.builder().drift(income).fleet(FleetConfig.of(store, "a"))
        .fleet(FleetConfig.of(store, "b"))).hasMessageContaining("fleet was already set");
  }

  @Test
  void aFeatureWithoutAFixedReferenceHasNoFleetFigureButTheOthersDo() {
    MonitorConfig config = MonitorConfig.builder().drift(income.window(Window.lastDecisions(100)))
        .drift(DriftFeature.numeric("score", Reference.firstDecisions(30)).window(Window.lastDecisions(100)))
        .fleet(FleetConfig.of(store, "a")).build();
    Monitor m = Monitor.create("s", config, clock, Runnable::run, e -> {});
    for (int i = 0; i < 100; i++) {
      m.record(UUID.randomUUID(), Map.of("income", (double) (i % 7), "score", (double) i), null, Map.of());
    }
    m.evaluateNow();
    assertThat(m.fleetDrift("income")).isPresent();
    assertThat(m.fleetDrift("score")).as("first-decisions references differ per instance").isEmpty();
    assertThat(m.fleetStatus().orElseThrow().instances()).containsExactly("a");
  }

  @Test
  void withoutFleetMonitoringThereAreNoFleetFiguresAndNoFleetGauges() {
    Monitor m = Monitor.create("s", MonitorConfig.builder().drift(income).build(), clock, Runnable::run, e -> {});
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    m.bindTo(registry);
    assertThat(m.fleetDrift("income")).isEmpty();
    assertThat(m.fleetStatus()).isEmpty();
    assertThat(registry.find("aims.drift.score").tag("scope", "fleet").gauges()).isEmpty();
    assertThat(registry.find("aims.drift.score").tag("scope", "instance").gauges()).isNotEmpty();
  }

  @Test
  void aStoreThatFailsIsCountedAndTheLocalFiguresGoOn() {
    FleetStore failing = new FleetStore() {
      @Override
      public void putPending(String system, List<PendingDecision> decisions) {
        throw new IllegalStateException("down");
      }

      @Override
      public LabelClaim claimLabel(String system, UUID id, PendingDecision local, java.time.Instant now) {
        throw new IllegalStateException("down");
      }

      @Override
      public long expirePending(String system, java.time.Instant now) {
        throw new IllegalStateException("down");
      }

      @Override
      public void publish(String system, String instance, List<WindowSummary> summaries) {
        throw new IllegalStateException("down");
      }

      @Override
      public List<WindowSummary> summaries(String system) {
        throw new IllegalStateException("down");
      }
    };
    Monitor m = Monitor.create("s", MonitorConfig.builder().drift(income.window(Window.lastDecisions(100)))
        .fairness(FairnessConfig.of("g", List.of("x", "y"), Boolean.class, b -> b))
        .fleet(FleetConfig.of(failing, "a")).build(), clock, Runnable::run, e -> {});
    UUID id = UUID.randomUUID();
    for (int i = 0; i < 50; i++) {
      m.record(i == 0 ? id : UUID.randomUUID(), Map.of("income", 1.0 + i % 7), true, Map.of("g", "x"));
    }
    m.evaluateNow();
    assertThat(m.drift("income").currentCount()).isEqualTo(50);
    assertThat(m.fleetDrift("income")).isEmpty();
    assertThat(m.fleetStatus().orElseThrow().stale()).isTrue();
    long failures = m.fleetStatus().orElseThrow().failures();
    assertThat(failures).isPositive();
    // the label of a decision held here is taken here, and only once
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.RECORDED);
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.DUPLICATE);
    assertThat(m.feedback(UUID.randomUUID(), true)).isEqualTo(FeedbackResult.UNKNOWN);
    assertThat(m.fleetStatus().orElseThrow().failures()).isEqualTo(failures + 2);
  }

  @Test
  void pendingDecisionsBeyondTheBoundWaitNotInMemoryButAreCounted() {
    Monitor m = Monitor.create("s", MonitorConfig.builder()
        .fairness(FairnessConfig.of("g", List.of("x", "y"), Boolean.class, b -> b).pendingLabels(100, Duration.ofDays(1)))
        .fleet(FleetConfig.of(failingOnPublish(), "a")).build(), clock, Runnable::run, e -> {});
    for (int i = 0; i < 150; i++) {
      m.record(UUID.randomUUID(), Map.of(), true, Map.of("g", "x"));
    }
    m.evaluateNow();
    assertThat(m.fleetStatus().orElseThrow().notShared()).isEqualTo(50);
    assertThat(m.estimatedBytes().get("fairness:g")).isLessThan(100 * 200 + 4_000);
  }

  static FleetStore failingOnPublish() {
    FleetStore memory = FleetStore.inMemory();
    return new FleetStore() {
      @Override
      public void putPending(String system, List<PendingDecision> decisions) {
        throw new IllegalStateException("down");
      }

      @Override
      public LabelClaim claimLabel(String system, UUID id, PendingDecision local, java.time.Instant now) {
        return memory.claimLabel(system, id, local, now);
      }

      @Override
      public long expirePending(String system, java.time.Instant now) {
        return 0;
      }

      @Override
      public void publish(String system, String instance, List<WindowSummary> summaries) {
        throw new IllegalStateException("down");
      }

      @Override
      public List<WindowSummary> summaries(String system) {
        return List.of();
      }
    };
  }
}
