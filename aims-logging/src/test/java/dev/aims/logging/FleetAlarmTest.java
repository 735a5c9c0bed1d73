package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.FleetConfig;
import dev.aims.core.monitor.FleetConfig.AlarmScope;
import dev.aims.core.monitor.FleetStore;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.core.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift alarms on the fleet figure: three instances on one embedded PostgreSQL, each seeing a small
 * shift its own window cannot tell from noise (KS p-value above 0.05) while the union of the three
 * windows can (below 0.05).
 */
class FleetAlarmTest {
  static final AtomicInteger PREFIXES = new AtomicInteger();
  static final String[] NAMES = {"a", "b", "c"};
  static final ModelRef MODEL = ModelRef.of("acme", "scorer", "2.1");
  static final int WINDOW = 400;
  /** Uniform quantiles shifted by this much: KS D = 0.062, p ~ 0.15 on 400 values, ~ 0.006 on 1,200. */
  static final double SHIFT = 0.062;
  @TempDir
  static Path dir;
  static PostgresTestSupport pg;

  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");
  final List<Aims> fleet = new ArrayList<>();
  final List<InMemoryDecisionLog> logs = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PostgresTestSupport.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  /** The quantiles of the uniform distribution on [shift, 1 + shift]: a sample without noise. */
  static double[] uniform(int n, double shift) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = shift + (i + 0.5) / n;
    }
    return out;
  }

  /** Three instances deciding with the same configuration, alarms on {@code scope}, sharing {@code store}. */
  void startFleet(FleetStore store, AlarmScope scope) {
    double[] reference = uniform(2_000, 0);
    for (String name : NAMES) {
      InMemoryDecisionLog log = InMemoryDecisionLog.create();
      MonitorConfig config = MonitorConfig.builder()
          .drift(DriftFeature.numeric("amount", Reference.of(reference)).alarmOn(DriftStatistic.KS, 0.05)
              // no figure before the window is full: a partial window of sorted quantiles would drift
              .minSamples(WINDOW).window(Window.lastDecisions(WINDOW)))
          .fleet(FleetConfig.of(store, name).alarmsOn(scope))
          .build();
      logs.add(log);
      fleet.add(Aims.builder()
          .register(AiSystem.builder("credit-scoring").owner("risk").purpose("score loans").riskTier(RiskTier.HIGH)
              .allowModel(MODEL).build())
          .monitor("credit-scoring", config)
          .monitorExecutor(Runnable::run)
          .decisionLog(log)
          .clock(clock)
          .approvalGate(request -> CompletableFuture.completedFuture(
              ReviewOutcome.approved(Actor.of("rita", "AIMS_REVIEWER"), "checked", clock.instant())))
          .build());
    }
  }

  static Decision<Double> decide(Aims aims, double amount) {
    return aims.system("credit-scoring").useCase("score").input(amount).feature("amount", amount)
        .call(x -> x / 100);
  }

  Monitor monitor(int i) {
    return fleet.get(i).monitor("credit-scoring");
  }

  /** The fleet's 1,200 values shifted by {@code shift}, dealt round-robin; then the fleet rounds. */
  void decideAll(double shift) {
    double[] all = uniform(3 * WINDOW, shift);
    for (int i = 0; i < all.length; i++) {
      decide(fleet.get(i % 3), all[i]);
    }
    rounds();
  }

  void rounds() {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < fleet.size(); i++) {
        monitor(i).evaluateNow();
      }
    }
  }

  /** The premise of both tests: no instance's own window is past the threshold, the union is. */
  void assertOnlyTheUnionDrifted() {
    for (int i = 0; i < fleet.size(); i++) {
      Monitor m = monitor(i);
      assertThat(m.drift("amount").currentCount()).isEqualTo(WINDOW);
      assertThat(m.drift("amount").pValue(DriftStatistic.KS).getAsDouble()).as("instance %s alone", NAMES[i])
          .isGreaterThan(0.05);
      assertThat(m.drift("amount").alarm()).isFalse();
      assertThat(m.fleetDrift("amount").orElseThrow().currentCount()).isEqualTo(3L * WINDOW);
      assertThat(m.fleetDrift("amount").orElseThrow().pValue(DriftStatistic.KS).getAsDouble()).isLessThan(0.05);
      assertThat(m.fleetDrift("amount").orElseThrow().alarm()).isTrue();
    }
  }

  static FleetStore newStore() {
    return PostgresFleetStore.create(pg.dataSource(), "alarm_" + PREFIXES.incrementAndGet());
  }

  @Test
  void withAlarmsOnTheFleetOnlyTheUnionsDriftRaisesTheAlarmAndSendsTheNextDecisionToReview() {
    startFleet(newStore(), AlarmScope.FLEET);
    decideAll(SHIFT);
    assertOnlyTheUnionDrifted();

    for (int i = 0; i < fleet.size(); i++) {
      assertThat(monitor(i).driftAlarm()).isTrue();
      // each instance logs its own observation of the fleet alarm, once
      List<DriftEvent> raised = logs.get(i).events(EventTypes.DRIFT_ALARM_RAISED, DriftEvent.class);
      assertThat(raised).hasSize(1);
      assertThat(raised.get(0).feature()).isEqualTo("amount");
      // raised on the round where the union first drifted: two or three instances' windows
      assertThat(raised.get(0).currentCount()).as("the fleet's window").isGreaterThan(WINDOW);
      assertThat(raised.get(0).value()).isLessThan(0.05);
      assertThat(raised.get(0).reviewOnDrift()).isTrue();

      Decision<Double> next = decide(fleet.get(i), 0.5);
      assertThat(next.verdict()).isEqualTo(Verdict.REVIEW);
      assertThat(next.reasons()).anySatisfy(r -> {
        assertThat(r.boundary()).isEqualTo(Monitor.DRIFT_REVIEW_BOUNDARY);
        assertThat(r.message()).contains("amount: fleet ks_p_value");
      });
    }
  }

  @Test
  void withAlarmsOnTheInstanceTheSameFleetDriftRaisesNoAlarmAndDecisionsAreAllowed() {
    startFleet(newStore(), AlarmScope.INSTANCE);
    decideAll(SHIFT);
    assertOnlyTheUnionDrifted();

    for (int i = 0; i < fleet.size(); i++) {
      assertThat(monitor(i).driftAlarm()).isFalse();
      assertThat(logs.get(i).events(EventTypes.DRIFT_ALARM_RAISED, DriftEvent.class)).isEmpty();
      assertThat(decide(fleet.get(i), 0.5).verdict()).isEqualTo(Verdict.ALLOW);
    }
  }

  @Test
  void whileTheFleetFiguresAreStaleTheLastFleetAlarmHoldsAndDecisionsStillGoToReview() {
    FailingStore store = new FailingStore(newStore());
    startFleet(store, AlarmScope.FLEET);
    decideAll(SHIFT);
    assertThat(monitor(0).driftAlarm()).isTrue();

    store.down = true;
    monitor(0).evaluateNow();
    assertThat(monitor(0).fleetStatus().orElseThrow().stale()).isTrue();
    assertThat(monitor(0).drift("amount").alarm()).as("the instance's own figure").isFalse();
    assertThat(monitor(0).driftAlarm()).as("an unreachable store does not clear the alarm").isTrue();
    assertThat(logs.get(0).events(EventTypes.DRIFT_ALARM_CLEARED, DriftEvent.class)).isEmpty();
    Decision<Double> next = decide(fleet.get(0), 0.5);
    assertThat(next.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(next.reasons()).anySatisfy(r -> assertThat(r.message()).contains("amount: stale fleet ks_p_value"));

    // the store answers again, the fleet back on the reference distribution: the alarm clears
    store.down = false;
    decideAll(0);
    assertThat(monitor(0).fleetDrift("amount").orElseThrow().alarm()).isFalse();
    assertThat(monitor(0).driftAlarm()).isFalse();
    assertThat(logs.get(0).events(EventTypes.DRIFT_ALARM_CLEARED, DriftEvent.class)).hasSize(1);
    assertThat(decide(fleet.get(0), 0.5).verdict()).isEqualTo(Verdict.ALLOW);
  }

  /** A store whose window summaries cannot be reached while {@link #down}. */
  static final class FailingStore implements FleetStore {
    private final FleetStore store;
    volatile boolean down;

    FailingStore(FleetStore store) {
      this.store = store;
    }

    private void check() {
      if (down) {
        throw new IllegalStateException("fleet store unreachable (test)");
      }
    }

    @Override
    public void putPending(String system, List<PendingDecision> decisions) {
      check();
      store.putPending(system, decisions);
    }

    @Override
    public LabelClaim claimLabel(String system, UUID decisionId, @Nullable PendingDecision local, Instant now) {
      check();
      return store.claimLabel(system, decisionId, local, now);
    }

    @Override
    public long expirePending(String system, Instant now) {
      check();
      return store.expirePending(system, now);
    }

    @Override
    public void publish(String system, String instance, List<WindowSummary> summaries) {
      check();
      store.publish(system, instance, summaries);
    }

    @Override
    public List<WindowSummary> summaries(String system) {
      check();
      return store.summaries(system);
    }
  }
}
