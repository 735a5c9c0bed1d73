package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.OutcomeEvent;
import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftReport;
import dev.aims.core.monitor.DriftSnapshot;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.FairnessConfig;
import dev.aims.core.monitor.FairnessReport;
import dev.aims.core.monitor.FeedbackResult;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 7 of the governed path: monitors fed by decisions, exported, and acting through the review boundary. */
class MonitoringTest {
  static final List<String> BANDS = List.of("18-25", "26-40", "41-65", "65+");
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Random rnd = new Random(42);

  static double[] incomes(Random rnd, int n, double mean) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean + 10_000 * rnd.nextGaussian();
    }
    return out;
  }

  MonitorConfig.Builder config() {
    return MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.of(incomes(new Random(1), 800, 50_000)))
            .window(Window.lastDecisions(200)))
        .drift(DriftFeature.numericOutput("score", Score.class, Score::value, Reference.firstDecisions(200))
            .window(Window.lastDecisions(200)))
        .fairness(FairnessConfig.of("age_band", BANDS, Score.class, s -> s.value() >= 0.5).minGroupSize(20)
            .pendingLabels(10_000, Duration.ofDays(7)));
  }

  Aims.Builder aims(MonitorConfig config) {
    return Aims.builder()
        .register(creditScoring())
        .monitor("credit-scoring", config)
        .monitorExecutor(Runnable::run)
        .decisionLog(log)
        .meterRegistry(registry)
        .clock(clock)
        .approvalGate(request -> CompletableFuture.completedFuture(
            ReviewOutcome.approved(REVIEWER, "checked", clock.instant())));
  }

  Decision<Score> decide(Aims aims, double income) {
    Applicant a = new Applicant("a-1", income, 10_000, "jane.doe@example.com");
    return aims.system("credit-scoring").useCase("score").input(a)
        .feature("income", income)
        .protectedAttribute("age_band", BANDS.get(rnd.nextInt(3)))
        .call(Fixtures::score);
  }

  @Test
  void theBuilderFailsFastOnBadMonitorConfigurationNamingTheParameter() {
    MonitorConfig ok = config().build();
    assertThatThrownBy(() -> Aims.builder().register(creditScoring()).monitor("credit-scorer", ok).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("monitor(credit-scorer)");
    assertThatThrownBy(() -> Aims.builder().monitor("credit-scoring", ok).monitor("credit-scoring", ok))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("monitor for system 'credit-scoring'");
    Reference ref = Reference.of(1, 2, 3);
    assertThatThrownBy(() -> DriftFeature.numeric("income", ref).bins(1))
        .hasMessageContaining("bins of feature 'income'");
    assertThatThrownBy(() -> DriftFeature.numeric("income", ref).alarmOn(DriftStatistic.KS, 1.5))
        .hasMessageContaining("threshold of feature 'income'");
    assertThatThrownBy(() -> DriftFeature.categorical("channel", Reference.ofCategories(List.of("web")))
        .alarmOn(DriftStatistic.WASSERSTEIN)).hasMessageContaining("needs a numeric feature");
    assertThatThrownBy(() -> DriftFeature.categorical("channel", ref)).hasMessageContaining("holds numbers");
    assertThatThrownBy(() -> Window.lastDecisions(0)).hasMessageContaining("window count");
    assertThatThrownBy(() -> Window.last(Duration.ofMillis(5)).withSlices(10)).hasMessageContaining("1 ms");
    assertThatThrownBy(() -> Reference.firstDecisions(50_000)).hasMessageContaining("firstDecisions");
    assertThatThrownBy(() -> MonitorConfig.builder().build()).hasMessageContaining("at least one");
    assertThatThrownBy(() -> MonitorConfig.builder().drift(DriftFeature.numeric("x", ref), DriftFeature.numeric("x", ref)))
        .hasMessageContaining("'x' is configured twice");
    assertThatThrownBy(() -> MonitorConfig.builder().evaluationInterval(Duration.ZERO))
        .hasMessageContaining("evaluationInterval");
    assertThatThrownBy(() -> FairnessConfig.of("age_band", List.of("all", "young"), Score.class, s -> true))
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> FairnessConfig.of("age_band", BANDS, Score.class, s -> true).minGroupSize(0))
        .hasMessageContaining("minGroupSize");
  }

  @Test
  void decisionsFeedTheMonitorsAndTheGaugesReadTheLastFigures() {
    Aims aims = aims(config().build()).build();
    for (int i = 0; i < 400; i++) {
      decide(aims, 50_000 + 10_000 * rnd.nextGaussian());
    }
    Monitor m = aims.monitor("credit-scoring");
    m.evaluateNow();

    DriftReport income = m.drift("income");
    assertThat(income.currentCount()).isEqualTo(200);
    assertThat(income.referenceCount()).isEqualTo(800);
    assertThat(income.alarmStatistic()).isEqualTo(DriftStatistic.KS); // numeric, reference <= 1000
    assertThat(income.alarm()).isFalse();
    DriftReport score = m.drift("score");
    assertThat(score.referenceCount()).isEqualTo(200);
    assertThat(score.currentCount()).isEqualTo(200);
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE)
        .tags("system", "credit-scoring", "feature", "income", "statistic", "psi").gauge().value())
        .isEqualTo(income.score(DriftStatistic.PSI).getAsDouble());
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "income", "statistic", "ks_p_value")
        .gauge().value()).isEqualTo(income.pValue(DriftStatistic.KS).getAsDouble());
    assertThat(registry.get(AimsMetricNames.DRIFT_ALARM).tags("feature", "income", "statistic", "ks").gauge()
        .value()).isZero();
    FairnessReport fairness = m.fairness().orElseThrow();
    assertThat(fairness.group("65+").decisions()).isZero();
    assertThat(registry.get(AimsMetricNames.FAIRNESS_RATIO).tags("system", "credit-scoring", "metric",
        "selection_rate", "attribute", "age_band", "group", "26-40").gauge().value())
        .isEqualTo(fairness.group("26-40").selectionRate().getAsDouble());
    assertThat(registry.get(AimsMetricNames.FAIRNESS_RATIO).tags("metric", "disparate_impact", "group", "all")
        .gauge().value()).isEqualTo(fairness.disparateImpactRatio().getAsDouble());
    assertThat(registry.get(AimsMetricNames.FAIRNESS_RATIO).tags("metric", "selection_rate", "group", "65+")
        .gauge().value()).isNaN();
  }

  @Test
  void aDriftAlarmIsLoggedAndSendsDecisionsToReviewUntilItClears() {
    Aims aims = aims(config().build()).build();
    Monitor m = aims.monitor("credit-scoring");
    for (int i = 0; i < 200; i++) {
      decide(aims, 50_000 + 10_000 * rnd.nextGaussian());
    }
    m.evaluateNow();
    assertThat(m.driftAlarm()).isFalse();
    assertThat(decide(aims, 50_000).verdict()).isEqualTo(Verdict.ALLOW);

    // incomes shift by 1.5 standard deviations
    for (int i = 0; i < 200; i++) {
      decide(aims, 65_000 + 10_000 * rnd.nextGaussian());
    }
    m.evaluateNow();
    assertThat(m.driftAlarm()).isTrue();
    List<DriftEvent> raised = log.events(EventTypes.DRIFT_ALARM_RAISED, DriftEvent.class);
    assertThat(raised).extracting(DriftEvent::feature).contains("income");
    DriftEvent e = raised.stream().filter(x -> x.feature().equals("income")).findFirst().orElseThrow();
    assertThat(e.statistic()).isEqualTo("ks");
    assertThat(e.value()).isLessThan(0.05);
    assertThat(e.reviewOnDrift()).isTrue();
    ObjectNode json = log.json(x -> x.type().equals(EventTypes.DRIFT_ALARM_RAISED)).get(0);
    assertThat(json.get("system").asText()).isEqualTo("credit-scoring");
    assertThat(json.has("reference_count")).isTrue();
    assertThat(registry.get(AimsMetricNames.DRIFT_ALARM).tags("feature", "income").gauge().value()).isEqualTo(1);

    Decision<Score> reviewed = decide(aims, 50_000);
    assertThat(reviewed.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(reviewed.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(reviewed.reasons()).anySatisfy(r -> {
      assertThat(r.boundary()).isEqualTo(Monitor.DRIFT_REVIEW_BOUNDARY);
      assertThat(r.message()).contains("income");
    });

    // back to the reference distribution: the alarm clears and decisions are allowed again
    for (int i = 0; i < 200; i++) {
      decide(aims, 50_000 + 10_000 * rnd.nextGaussian());
    }
    m.evaluateNow();
    assertThat(m.drift("income").alarm()).isFalse();
    assertThat(log.events(EventTypes.DRIFT_ALARM_CLEARED, DriftEvent.class)).extracting(DriftEvent::feature)
        .contains("income");
    assertThat(m.driftAlarm()).isFalse();
    assertThat(decide(aims, 50_000).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void withoutAnApprovalGateADriftAlarmRefusesRatherThanAllows() {
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).clock(clock).monitorExecutor(Runnable::run)
        .monitor("credit-scoring", MonitorConfig.builder()
            .drift(DriftFeature.numeric("income", Reference.of(incomes(new Random(1), 800, 50_000)))
                .window(Window.lastDecisions(100)))
            .build())
        .build();
    // the first figure is computed as soon as the window holds minSamples (30) values: the alarm is on at once
    for (int i = 0; i < 30; i++) {
      decide(aims, 80_000 + 10_000 * rnd.nextGaussian());
    }
    assertThatThrownBy(() -> decide(aims, 50_000)).isInstanceOf(DecisionRefusedException.class);
  }

  @Test
  void reviewOnDriftCanBeSwitchedOffPerSystem() {
    Aims aims = aims(config().reviewOnDrift(false).build()).build();
    for (int i = 0; i < 200; i++) {
      decide(aims, 80_000 + 10_000 * rnd.nextGaussian());
    }
    aims.monitor("credit-scoring").evaluateNow();
    assertThat(aims.monitor("credit-scoring").driftAlarm()).isTrue();
    assertThat(aims.monitor("credit-scoring").reviewBoundary()).isEmpty();
    assertThat(decide(aims, 50_000).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(log.events(EventTypes.DRIFT_ALARM_RAISED, DriftEvent.class))
        .allSatisfy(e -> assertThat(e.reviewOnDrift()).isFalse());
  }

  @Test
  void statisticsAreRecomputedAtMostOncePerInterval() {
    Aims aims = aims(MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.of(incomes(new Random(1), 800, 50_000)))
            .window(Window.lastDecisions(200)))
        .evaluationInterval(Duration.ofMinutes(1)).build()).build();
    Monitor m = aims.monitor("credit-scoring");
    decide(aims, 50_000); // first decision: an evaluation with too few values
    for (int i = 0; i < 28; i++) {
      decide(aims, 50_000 + 10_000 * rnd.nextGaussian());
    }
    assertThat(m.drift("income").hasFigures()).isFalse();
    decide(aims, 50_000); // the 30th value (minSamples): the first figure, at once, whatever the interval
    assertThat(m.drift("income").hasFigures()).isTrue();
    assertThat(m.drift("income").currentCount()).isEqualTo(30);
    for (int i = 0; i < 270; i++) {
      decide(aims, 50_000 + 10_000 * rnd.nextGaussian());
    }
    assertThat(m.drift("income").currentCount()).isEqualTo(30); // not recomputed within the interval

    // count windows only: the clock is read every 64th decision, so an evaluation may start up to 63 late
    clock.advance(Duration.ofSeconds(59));
    for (int i = 0; i < 64; i++) {
      decide(aims, 50_000);
    }
    assertThat(m.drift("income").currentCount()).isEqualTo(30);

    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 64; i++) {
      decide(aims, 50_000);
    }
    assertThat(m.drift("income").currentCount()).isEqualTo(200);
    assertThat(m.drift("income").evaluatedAt()).isEqualTo(clock.instant());
  }

  @Test
  void aLabelReachingAnotherInstanceOfTheFleetIsRecordedThereAndOnlyOnce() {
    dev.aims.core.monitor.FleetStore store = dev.aims.core.monitor.FleetStore.inMemory();
    Aims a = aims(config().fleet(dev.aims.core.monitor.FleetConfig.of(store, "a")).build()).build();
    InMemoryDecisionLog otherLog = InMemoryDecisionLog.create();
    Aims b = Aims.builder().register(creditScoring()).monitorExecutor(Runnable::run).decisionLog(otherLog).clock(clock)
        .monitor("credit-scoring", config().fleet(dev.aims.core.monitor.FleetConfig.of(store, "b")).build()).build();
    Decision<Score> d = decide(a, 60_000);
    a.monitor("credit-scoring").evaluateNow(); // a fleet round: the pending decision reaches the store

    assertThat(b.monitor("credit-scoring").awaitsLabel(d.id())).isFalse();
    assertThat(b.feedback(d.id(), true)).isEqualTo(FeedbackResult.RECORDED);
    assertThat(a.feedback(d.id(), true)).isEqualTo(FeedbackResult.DUPLICATE);
    assertThat(b.feedback(UUID.randomUUID(), true)).isEqualTo(FeedbackResult.UNKNOWN);
    assertThat(otherLog.events(EventTypes.OUTCOME_RECORDED, OutcomeEvent.class))
        .extracting(OutcomeEvent::status).containsExactly("recorded", "unknown");
    b.monitor("credit-scoring").evaluateNow();
    assertThat(b.monitor("credit-scoring").fairness().orElseThrow().labelsRecorded()).isEqualTo(1);
  }

  @Test
  void lateLabelsAreRecordedOnceAndUnknownOnesAreCountedAndLogged() {
    Aims aims = aims(config().build()).build();
    Decision<Score> d = decide(aims, 60_000);

    assertThat(aims.feedback(d.id(), true)).isEqualTo(FeedbackResult.RECORDED);
    assertThat(aims.feedback(d.id(), false)).isEqualTo(FeedbackResult.DUPLICATE);
    UUID unknown = UUID.randomUUID();
    assertThat(aims.feedback(unknown, true)).isEqualTo(FeedbackResult.UNKNOWN);
    Decision<Score> late = decide(aims, 60_000);
    clock.advance(Duration.ofDays(8));
    assertThat(aims.feedback(late.id(), true)).isEqualTo(FeedbackResult.UNKNOWN);

    List<OutcomeEvent> outcomes = log.events(EventTypes.OUTCOME_RECORDED, OutcomeEvent.class);
    assertThat(outcomes).extracting(OutcomeEvent::status).containsExactly("recorded", "duplicate", "unknown",
        "unknown");
    assertThat(outcomes.get(0).system()).isEqualTo("credit-scoring");
    List<ObjectNode> json = log.json(x -> x.type().equals(EventTypes.OUTCOME_RECORDED));
    assertThat(json.get(0).get("actual_outcome").asBoolean()).isTrue();
    assertThat(json.get(0).get("decision_id").asText()).isEqualTo(d.id().toString());
    assertThat(json.get(2).has("system")).isFalse();
    assertThat(json.get(2).has("actual_outcome")).isFalse();
    assertThat(registry.get(AimsMetricNames.FEEDBACK).tag("result", "recorded").counter().count()).isEqualTo(1);
    assertThat(registry.get(AimsMetricNames.FEEDBACK).tag("result", "duplicate").counter().count()).isEqualTo(1);
    assertThat(registry.get(AimsMetricNames.FEEDBACK).tag("result", "unknown").counter().count()).isEqualTo(2);

    aims.monitor("credit-scoring").evaluateNow();
    FairnessReport r = aims.monitor("credit-scoring").fairness().orElseThrow();
    assertThat(r.labelsRecorded()).isEqualTo(1);
    assertThat(r.duplicateLabels()).isEqualTo(1);
    // protected attributes fed fairness but are not in the decision records
    assertThat(log.json(x -> x.type().equals(EventTypes.DECISION_FINAL)))
        .allSatisfy(n -> assertThat(n.has("protected_attributes")).isFalse());
  }

  @Test
  void aSystemWithoutAMonitorSaysHowToConfigureOne() {
    Aims aims = Aims.builder().register(creditScoring()).build();
    assertThatThrownBy(() -> aims.monitor("credit-scoring")).hasMessageContaining("Aims.builder().monitor(");
    assertThat(aims.feedback(UUID.randomUUID(), true)).isEqualTo(FeedbackResult.UNKNOWN);
  }

  @Test
  void aCapturedReferenceWrittenAsASnapshotIsTheFixedReferenceOfTheNextRun(@TempDir Path dir) throws Exception {
    MonitorConfig first = MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.firstDecisions(300)).window(Window.lastDecisions(200)))
        .drift(DriftFeature.numeric("large", Reference.of(incomes(new Random(5), 5000, 50_000))))
        .build();
    Aims run1 = aims(first).build();
    Monitor m1 = run1.monitor("credit-scoring");
    assertThat(m1.snapshot("income")).isEmpty(); // still filling
    double[] reference = incomes(new Random(9), 300, 50_000);
    double[] current = incomes(new Random(10), 200, 52_000);
    for (double v : reference) {
      decide(run1, v);
    }
    for (double v : current) {
      decide(run1, v);
    }
    m1.evaluateNow();
    DriftSnapshot snap = m1.snapshot("income").orElseThrow();
    assertThat(snap.values()).hasSize(300);
    snap.write(dir.resolve("income.json"));
    DriftSnapshot large = m1.snapshot("large").orElseThrow();
    assertThat(large.values()).isNull(); // 5,000 values are kept as bins
    large.write(dir.resolve("large.json"));
    assertThat(Files.readString(dir.resolve("large.json"))).contains("\"psi_edges\"");

    log.clear();
    Aims run2 = Aims.builder().register(creditScoring()).monitorExecutor(Runnable::run).clock(clock)
        .monitor("credit-scoring", MonitorConfig.builder()
            .drift(DriftFeature.numeric("income", Reference.snapshot(dir.resolve("income.json")))
                .window(Window.lastDecisions(200)))
            .drift(DriftFeature.numeric("large", Reference.snapshot(dir.resolve("large.json"))))
            .reviewOnDrift(false)
            .build())
        .build();
    for (double v : current) {
      run2.system("credit-scoring").useCase("score").input(applicant(10)).feature("income", v).feature("large", v)
          .call(Fixtures::score);
    }
    Monitor m2 = run2.monitor("credit-scoring");
    m2.evaluateNow();
    assertThat(m2.drift("income").scores()).isEqualTo(m1.drift("income").scores());
    assertThat(m2.drift("income").referenceCount()).isEqualTo(300);
    assertThat(m2.drift("large").referenceCount()).isEqualTo(5000);
    assertThat(m2.snapshot("large").orElseThrow().toJson()).isEqualTo(large.toJson());
    assertThat(DriftSnapshot.fromJson(snap.toJson()).values()).containsExactly(snap.values());
    assertThatThrownBy(() -> Reference.snapshot(dir.resolve("missing.json")))
        .hasMessageContaining("missing.json");

    // a version-1 snapshot bounded its PSI buckets by the minimum and nextUp(max): read, it has today's open ones
    double[] edges = large.edges();
    double[] v1Psi = new double[large.psiEdges().length + 2];
    v1Psi[0] = edges[0];
    System.arraycopy(large.psiEdges(), 0, v1Psi, 1, large.psiEdges().length);
    v1Psi[v1Psi.length - 1] = edges[edges.length - 1];
    DriftSnapshot v1 = new DriftSnapshot(1, large.feature(), large.type(), large.count(), large.std(), null, edges,
        v1Psi, large.counts(), large.sums(), null, 0);
    assertThat(v1.version()).isEqualTo(DriftSnapshot.FORMAT_VERSION);
    assertThat(v1.psiEdges()).containsExactly(large.psiEdges());
  }

  @Test
  void theDriftScoreGaugeIsNaNUntilThereIsAFigure() {
    Aims aims = aims(config().build()).build();
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "income", "statistic", "wasserstein")
        .gauge().value()).isNaN();
    decide(aims, 50_000);
    aims.monitor("credit-scoring").evaluateNow();
    assertThat(aims.monitor("credit-scoring").drift("income").currentCount()).isEqualTo(1);
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "income", "statistic", "wasserstein")
        .gauge().value()).isNaN();
    assertThat(aims.monitor("credit-scoring").drift("score").score(DriftStatistic.PSI)).isEmpty();
  }

  @Test
  void theChiSquareDegreesOfFreedomAndTheKsPValuesLowerEndAreGauges() {
    Aims aims = aims(config().build()).build();
    Random rnd = new Random(3);
    for (int i = 0; i < 200; i++) {
      decide(aims, 50_000 * Math.exp(0.5 * rnd.nextGaussian()));
    }
    Monitor m = aims.monitor("credit-scoring");
    m.evaluateNow();
    DriftReport r = m.drift("income");
    // ten open deciles, all with values: nine degrees of freedom
    assertThat(r.chiSquareDegreesOfFreedom()).isEqualTo(9);
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "income", "statistic", "chi_square_dof")
        .gauge().value()).isEqualTo(9.0);
    // a raw window: the KS p-value is exact, its interval a point
    assertThat(registry.get(AimsMetricNames.DRIFT_SCORE).tags("feature", "income", "statistic",
        "ks_p_value_lower_bound").gauge().value()).isEqualTo(r.pValue(DriftStatistic.KS).getAsDouble());
  }
}
