package dev.aims.core.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.RiskTier;
import dev.aims.core.UnknownSystemException;
import dev.aims.core.Verdict;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IncidentsTest {
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final Actor OLGA = Actor.of("olga", "AIMS_ADMIN");
  static final Actor RITA = Actor.of("rita", "AIMS_REVIEWER");
  final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  Aims aims() {
    return Aims.builder().register(AiSystem.builder("credit-scoring").owner("risk").purpose("score loans")
            .riskTier(RiskTier.HIGH).allowModel(SCORER).build())
        .policy("credit-scoring", DecisionPolicy.of("p-1",
            NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
        .approvalGate(r -> CompletableFuture.completedFuture(ReviewOutcome.rejected(RITA, "too risky", clock.instant())))
        .decisionLog(log).clock(clock).build();
  }

  List<ObjectNode> steps() {
    return log.json(e -> EventTypes.INCIDENT.contains(e.type()));
  }

  double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void eachStepFromOpenToCloseIsRecordedWithWhoTookIt() {
    Incidents incidents = Incidents.builder(aims()).build();
    UUID decision = UUID.randomUUID();

    Incident i = incidents.open("credit-scoring", IncidentKind.BIASED_OUTPUT, "refusals doubled for one group", OLGA,
        List.of(decision));
    incidents.classify(i.id(), ReportCategory.SERIOUS, OLGA);
    UUID another = UUID.randomUUID();
    incidents.link(i.id(), List.of(another), RITA);
    incidents.reported(i.id(), "MSA-2026-0042", OLGA);
    Incident closed = incidents.close(i.id(), "model 2.1 rolled back to 2.0", OLGA);

    assertThat(closed.decisions()).containsExactly(decision, another);
    assertThat(closed.isOpen()).isFalse();
    assertThat(incidents.openIncidents()).isEmpty();
    assertThat(steps()).extracting(n -> n.get("type").asText()).containsExactly(EventTypes.INCIDENT_OPENED,
        EventTypes.INCIDENT_CLASSIFIED, EventTypes.INCIDENT_LINKED, EventTypes.INCIDENT_REPORTED,
        EventTypes.INCIDENT_CLOSED);
    assertThat(steps()).allSatisfy(n -> {
      assertThat(n.get("incident_id").asText()).isEqualTo(i.id().toString());
      assertThat(n.get("system").asText()).isEqualTo("credit-scoring");
      assertThat(n.get("kind").asText()).isEqualTo("BIASED_OUTPUT");
    });
    assertThat(steps().get(0).at("/details/decision_ids/0").asText()).isEqualTo(decision.toString());
    assertThat(steps().get(1).at("/details/deadline").asText()).isEqualTo("2026-12-08T10:00:00Z");
    assertThat(steps().get(2).at("/actor/id").asText()).isEqualTo("rita");
    assertThat(steps().get(3).at("/details/late").asBoolean()).isFalse();
    assertThat(steps().get(4).at("/details/corrective_action").asText()).isEqualTo("model 2.1 rolled back to 2.0");
  }

  @Test
  void theDeadlineIs15DaysOr10OnADeathOr2ForWidespreadOrCriticalInfrastructureFromOpening() {
    Incidents incidents = Incidents.builder(aims()).build();
    Instant opened = clock.instant();
    Incident a = incidents.open("credit-scoring", IncidentKind.HARMFUL_OUTPUT, "a", OLGA, List.of());
    Incident b = incidents.open("credit-scoring", IncidentKind.HARMFUL_OUTPUT, "b", OLGA, List.of());
    Incident c = incidents.open("credit-scoring", IncidentKind.HARMFUL_OUTPUT, "c", OLGA, List.of());
    clock.advance(Duration.ofHours(5)); // classified later: the clock still runs from opening

    assertThat(incidents.classify(a.id(), ReportCategory.SERIOUS, OLGA).deadline()).isEqualTo(opened.plus(Duration.ofDays(15)));
    assertThat(incidents.classify(b.id(), ReportCategory.DEATH, OLGA).deadline()).isEqualTo(opened.plus(Duration.ofDays(10)));
    assertThat(incidents.classify(c.id(), ReportCategory.WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE, OLGA).deadline())
        .isEqualTo(opened.plus(Duration.ofDays(2)));
  }

  @Test
  void anIncidentLeftUnreportedPastItsDeadlineIsCountedOverdueUntilReported() {
    Incidents incidents = Incidents.builder(aims()).meterRegistry(registry).build();
    Incident i = incidents.open("credit-scoring", IncidentKind.DATA_LEAK, "card numbers in an answer", OLGA, List.of());
    incidents.classify(i.id(), ReportCategory.WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE, OLGA);
    assertThat(gauge("aims.incidents.open")).isEqualTo(1);

    clock.advance(Duration.ofDays(2));
    assertThat(gauge("aims.incidents.overdue")).isZero(); // due at exactly this instant, not yet late
    clock.advance(Duration.ofSeconds(1));
    assertThat(gauge("aims.incidents.overdue")).isEqualTo(1);
    assertThat(incidents.overdue()).extracting(Incident::id).containsExactly(i.id());

    incidents.reported(i.id(), "MSA-7", OLGA);
    assertThat(gauge("aims.incidents.overdue")).isZero();
    assertThat(steps().get(2).at("/details/late").asBoolean()).isTrue();
    assertThat(gauge("aims.incidents.open")).isEqualTo(1);
  }

  @Test
  void theStopSwitchOpensAnIncidentNamingWhoPressedIt() {
    Aims aims = aims();
    Incidents incidents = Incidents.builder(aims).build();

    aims.stop("credit-scoring", "income feed broken", OLGA);

    assertThat(incidents.openIncidents()).singleElement().satisfies(i -> {
      assertThat(i.kind()).isEqualTo(IncidentKind.STOP_SWITCH);
      assertThat(i.trigger()).isEqualTo("stop-switch");
      assertThat(i.summary()).isEqualTo("stop switch pressed by olga: income feed broken");
      assertThat(i.openedBy()).isNull();
    });
    assertThat(steps()).singleElement().satisfies(n -> assertThat(n.has("actor")).isFalse());
  }

  @Test
  void aDriftAlarmOpensOneIncidentPerFeatureWhileItIsOpen() {
    Aims aims = aims();
    Incidents incidents = Incidents.builder(aims).build();
    DriftEvent raised = new DriftEvent(EventTypes.DRIFT_ALARM_RAISED, clock.instant(), "credit-scoring", "income",
        "psi", 0.31, 0.2, 1000, 500, true);

    aims.record(raised);
    aims.record(raised);

    assertThat(incidents.openIncidents()).singleElement().satisfies(i -> {
      assertThat(i.kind()).isEqualTo(IncidentKind.DRIFT);
      assertThat(i.trigger()).isEqualTo("drift:income");
    });
  }

  @Test
  void aSpikeOfRejectionsOpensAnIncidentLinkingTheLastDecision() {
    Aims aims = aims();
    Incidents incidents = Incidents.builder(aims).openOnInterventionSpike(3, Duration.ofMinutes(10)).build();
    for (int n = 0; n < 2; n++) {
      reject(aims);
      clock.advance(Duration.ofMinutes(6));
    }
    assertThat(incidents.openIncidents()).isEmpty(); // the first fell out of the window
    reject(aims);
    reject(aims);

    assertThat(incidents.openIncidents()).singleElement().satisfies(i -> {
      assertThat(i.kind()).isEqualTo(IncidentKind.OVERSIGHT_SPIKE);
      assertThat(i.decisions()).hasSize(1);
    });
  }

  private static void reject(Aims aims) {
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(80_000).feature("amount", 80_000)
        .call(x -> 0.5)).isInstanceOf(DecisionRejectedException.class);
  }

  @Test
  void stepsOutOfOrderAndBadInputAreRefusedWithAReason() {
    Incidents incidents = Incidents.builder(aims()).build();
    Incident i = incidents.open("credit-scoring", IncidentKind.OTHER, "x", OLGA, List.of());

    assertThatThrownBy(() -> incidents.close(i.id(), "fixed", OLGA)).hasMessageContaining("is not classified");
    assertThatThrownBy(() -> incidents.reported(i.id(), "MSA-1", OLGA))
        .hasMessageContaining("is not classified serious");
    incidents.classify(i.id(), ReportCategory.SERIOUS, OLGA);
    assertThatThrownBy(() -> incidents.close(i.id(), "fixed", OLGA))
        .hasMessageContaining("is serious and not reported to the authority; report it before closing");
    assertThatThrownBy(() -> incidents.reported(i.id(), " ", OLGA)).hasMessageContaining("authority's reference");
    assertThatThrownBy(() -> incidents.open("nope", IncidentKind.OTHER, "x", OLGA, List.of()))
        .isInstanceOf(UnknownSystemException.class);
    assertThatThrownBy(() -> incidents.open("credit-scoring", IncidentKind.OTHER, "", OLGA, List.of()))
        .hasMessageContaining("needs a summary");
    assertThatThrownBy(() -> incidents.close(UUID.randomUUID(), "x", OLGA)).hasMessageContaining("no open incident");
    assertThatThrownBy(() -> Incidents.builder(aims()).openOnInterventionSpike(1, Duration.ofMinutes(1)))
        .hasMessage("openOnInterventionSpike count must be at least 2 but was 1");
    assertThatThrownBy(() -> Incidents.builder(aims()).openOnInterventionSpike(3, Duration.ZERO))
        .hasMessage("openOnInterventionSpike window must be positive but was PT0S");
    Incident minor = incidents.open("credit-scoring", IncidentKind.OTHER, "typo in an answer", OLGA, List.of());
    incidents.classifyNotSerious(minor.id(), OLGA);
    assertThat(incidents.close(minor.id(), "prompt fixed", OLGA).deadline()).isNull();
  }
}
