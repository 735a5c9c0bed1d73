package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.policy.Ruling;
import dev.aims.core.policy.Stage;
import dev.aims.core.testing.TestClock;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GovernedCallTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();

  Aims aims(DecisionBoundary... boundaries) {
    return Aims.builder()
        .register(creditScoring())
        .policy("credit-scoring", DecisionPolicy.of("p-7", boundaries))
        .decisionLog(log)
        .clock(clock)
        .build();
  }

  List<DecisionEvent> finals() {
    return log.events(EventTypes.DECISION_FINAL, DecisionEvent.class);
  }

  @Test
  void anAllowedCallReturnsTheOutputAndRecordsOneFinalDecision() {
    Aims aims = aims(NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW));

    Decision<Score> d = aims.system("credit-scoring").useCase("score-applicant")
        .model(SCORER).input(applicant(10_000)).feature("amount", 10_000)
        .call(Fixtures::score);

    assertThat(d.output()).isEqualTo(score(applicant(10_000)));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.id().version()).isEqualTo(7);
    assertThat(d.policyVersion()).isEqualTo("p-7");
    assertThat(d.reasons()).isEmpty();
    DecisionEvent recorded = finals().get(0);
    assertThat(finals()).hasSize(1);
    assertThat(recorded.decisionId()).isEqualTo(d.id());
    assertThat(recorded.ts()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(recorded.model()).isEqualTo(SCORER);
    assertThat(recorded.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(recorded.latencyMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
    assertThat(recorded.features()).containsEntry("amount", 10_000.0);
  }

  @Test
  void theSoleAllowedModelIsUsedWhenTheCallNamesNone() {
    Decision<Score> d = aims().system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score);
    assertThat(d.model()).isEqualTo(SCORER);
  }

  @Test
  void aModelNotInTheRegisterIsDeniedBeforeTheModelIsCalled() {
    AtomicInteger calls = new AtomicInteger();
    DecisionCall<Applicant> call = aims().system("credit-scoring").useCase("score").model(OTHER).input(applicant(1));

    assertThatThrownBy(() -> call.call(a -> {
      calls.incrementAndGet();
      return score(a);
    }))
        .isInstanceOf(DecisionDeniedException.class)
        .hasMessageContaining("acme:scorer:3.0-beta is not in the register");
    assertThat(calls).hasValue(0);
    DecisionEvent recorded = finals().get(0);
    assertThat(recorded.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(recorded.reasons()).singleElement()
        .satisfies(r -> assertThat(r.boundary()).isEqualTo("aims.model-in-register"));
  }

  @Test
  void aCheckedModelExceptionIsRecordedAndRethrownUnchanged() {
    IOException failure = new IOException("model endpoint down");
    DecisionCall<Applicant> call = aims().system("credit-scoring").useCase("score").input(applicant(1));

    assertThatThrownBy(() -> call.call(a -> {
      throw failure;
    })).isSameAs(failure);
    DecisionEvent recorded = finals().get(0);
    assertThat(recorded.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(recorded.error()).isEqualTo("java.io.IOException: model endpoint down");
  }

  @Test
  void anUncheckedModelExceptionIsRecordedAndRethrownUnchanged() {
    IllegalStateException failure = new IllegalStateException("bad weights");
    DecisionCall<Applicant> call = aims().system("credit-scoring").useCase("score").input(applicant(1));

    assertThatThrownBy(() -> call.call(a -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(finals()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.FAILED));
  }

  @Test
  void aModelThatReturnsNullIsAFailedDecision() {
    DecisionCall<Applicant> call = aims().system("credit-scoring").useCase("score").input(applicant(1));

    assertThatThrownBy(() -> call.call(a -> null))
        .isInstanceOf(ModelOutputException.class)
        .hasMessageContaining("returned null");
    assertThat(finals()).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(e.error()).contains("ModelOutputException");
    });
  }

  @Test
  void denyBeatsReviewBeatsAllowAndEveryReasonIsRecordedWithItsBoundaryVersion() {
    Aims aims = aims(
        DecisionBoundary.of("always-review", "4", Stage.INPUT, ctx -> Ruling.review("check")),
        DecisionBoundary.of("deny-low", "2", Stage.OUTPUT,
            ctx -> ((Score) ctx.output()).value() < 0.9 ? Ruling.deny("score too low") : Ruling.allow()));

    DecisionCall<Applicant> call = aims.system("credit-scoring").useCase("score").input(applicant(1));
    assertThatThrownBy(() -> call.call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionDeniedException.class, e -> {
          assertThat(e.reasons()).extracting(r -> r.boundary() + "@" + r.version() + ":" + r.verdict())
              .containsExactly("always-review@4:REVIEW", "deny-low@2:DENY");
          assertThat(e.decisionId()).isEqualTo(finals().get(0).decisionId());
        });
    assertThat(finals().get(0).verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void aBoundaryThatThrowsDeniesTheDecision() {
    Aims aims = aims(DecisionBoundary.of("broken", "1", Stage.INPUT, ctx -> {
      throw new IllegalStateException("rule table missing");
    }));
    DecisionCall<Applicant> call = aims.system("credit-scoring").useCase("score").input(applicant(1));

    assertThatThrownBy(() -> call.call(Fixtures::score))
        .isInstanceOf(DecisionDeniedException.class)
        .hasMessageContaining("boundary failed")
        .hasMessageContaining("rule table missing");
  }

  @Test
  void aMissingFeatureCannotPassAThreshold() {
    Aims aims = aims(NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.DENY));
    DecisionCall<Applicant> call = aims.system("credit-scoring").useCase("score").input(applicant(1))
        .feature("amount", Double.NaN);

    // missing → REVIEW by default, and REVIEW without an approval gate is refused, never allowed
    assertThatThrownBy(() -> call.call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("feature 'amount' is missing");
  }

  @Test
  void reviewWithoutAnApprovalGateIsRefusedWithAMessageSayingWhatToAdd() {
    Aims aims = aims(NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW));
    DecisionCall<Applicant> call = aims.system("credit-scoring").useCase("score")
        .input(applicant(90_000)).feature("amount", 90_000);

    assertThatThrownBy(() -> call.call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE))
        .hasMessageContaining("aims-oversight")
        .hasMessageContaining("never allowed");
    assertThat(log.events()).extracting(e -> e.type())
        .containsSubsequence(EventTypes.DECISION_PROPOSED, EventTypes.APPROVAL_REQUESTED, EventTypes.DECISION_FINAL);
    assertThat(finals().get(0).outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aDecisionCallRunsOnlyOnce() {
    DecisionCall<Applicant> call = aims().system("credit-scoring").useCase("score").input(applicant(1));
    call.call(Fixtures::score);
    assertThatThrownBy(() -> call.call(Fixtures::score)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs once");
  }

  @Test
  void callsOfOtherThreadsGetDistinctTimeOrderedIds() throws Exception {
    Aims aims = aims();
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.Set<java.util.UUID> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 500; i++) {
          ids.add(aims.system("credit-scoring").useCase("score").input(applicant(i)).call(Fixtures::score).id());
        }
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertThat(ids).hasSize(4000);
    assertThat(finals()).hasSize(4000);
  }
}
