package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReviewTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final ExecutorService reviewers = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopReviewers() {
    reviewers.shutdownNow();
  }

  Aims aims(ApprovalGate gate) {
    return Aims.builder()
        .register(creditScoring())
        .policy("credit-scoring", DecisionPolicy.of("p-1",
            NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
        .approvalGate(gate)
        .decisionLog(log)
        .clock(clock)
        .build();
  }

  DecisionCall<Applicant> largeLoan(Aims aims) {
    return aims.system("credit-scoring").useCase("score").input(applicant(80_000)).feature("amount", 80_000);
  }

  @Test
  void anApprovalOnAnotherThreadReleasesTheBlockedCaller() throws Exception {
    AtomicReference<ReviewRequest> seen = new AtomicReference<>();
    CountDownLatch submitted = new CountDownLatch(1);
    CompletableFuture<ReviewOutcome> answer = new CompletableFuture<>();
    Aims aims = aims(request -> {
      seen.set(request);
      submitted.countDown();
      return answer;
    });
    reviewers.submit(() -> {
      submitted.await();
      answer.complete(ReviewOutcome.approved(REVIEWER, "income verified", clock.instant()));
      return null;
    });

    Decision<Score> d = largeLoan(aims).requester("loan-service").call(Fixtures::score);

    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(d.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(d.review().actor()).isEqualTo(REVIEWER);
    assertThat(seen.get().decisionId()).isEqualTo(d.id());
    assertThat(seen.get().requester()).isEqualTo("loan-service");
    assertThat(seen.get().reasons()).extracting(r -> r.boundary()).containsExactly("large-loan");
    assertThat(log.events()).extracting(e -> e.type()).containsExactly(
        EventTypes.REGISTER_CHANGED, EventTypes.POLICY_CHANGED, EventTypes.DECISION_PROPOSED,
        EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED, EventTypes.DECISION_FINAL);
    DecisionEvent last = log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0);
    assertThat(last.actor()).isEqualTo(REVIEWER);
    assertThat(last.rationale()).isEqualTo("income verified");
  }

  @Test
  void anOverrideReplacesTheOutputAndRecordsBothValues() {
    Score corrected = new Score(0.42);
    Aims aims = aims(request -> CompletableFuture.completedFuture(
        ReviewOutcome.overridden(REVIEWER, "score ignores collateral", corrected, clock.instant())));

    Decision<Score> d = largeLoan(aims).call(Fixtures::score);

    assertThat(d.output()).isEqualTo(corrected);
    assertThat(d.outcome()).isEqualTo(Outcome.OVERRIDDEN);
    DecisionEvent overridden = log.events(EventTypes.DECISION_OVERRIDDEN, DecisionEvent.class).get(0);
    assertThat(overridden.output()).isEqualTo(score(applicant(80_000)));
    assertThat(overridden.overriddenOutput()).isEqualTo(corrected);
    assertThat(log.json(e -> e.type().equals(EventTypes.DECISION_OVERRIDDEN)).get(0).get("overridden_output")
        .get("value").asDouble()).isEqualTo(0.42);
  }

  @Test
  void anOverrideOfAnotherTypeThanTheOutputIsRefused() {
    Aims aims = aims(request -> CompletableFuture.completedFuture(
        ReviewOutcome.overridden(REVIEWER, "use text", "APPROVE", clock.instant())));

    assertThatThrownBy(() -> largeLoan(aims).call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("an override must have the output's type");
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aRejectionThrowsANamedExceptionAndIsRecorded() {
    Aims aims = aims(request -> CompletableFuture.completedFuture(
        ReviewOutcome.rejected(REVIEWER, "debt too high", clock.instant())));

    assertThatThrownBy(() -> largeLoan(aims).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRejectedException.class,
            e -> assertThat(e.review().resolution()).isEqualTo(Resolution.REJECTED))
        .hasMessageContaining("debt too high");
    assertThat(log.events(EventTypes.APPROVAL_REJECTED, ApprovalEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(REVIEWER));
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.REJECTED);
  }

  @Test
  void expiryIsADenialNeverAnApproval() {
    Aims aims = aims(request -> CompletableFuture.completedFuture(ReviewOutcome.expired(clock.instant())));

    assertThatThrownBy(() -> largeLoan(aims).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRejectedException.class,
            e -> assertThat(e.review().resolution()).isEqualTo(Resolution.EXPIRED));
    assertThat(log.events(EventTypes.APPROVAL_EXPIRED, ApprovalEvent.class)).hasSize(1);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.EXPIRED);
  }

  @Test
  void aGateThatFailsOrThrowsMeansRefusalNotApproval() {
    Aims failing = aims(request -> CompletableFuture.failedFuture(new IllegalStateException("store unreachable")));
    assertThatThrownBy(() -> largeLoan(failing).call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("store unreachable");

    Aims throwing = Aims.builder().register(creditScoring())
        .policy("credit-scoring", DecisionPolicy.of("p", NumericThreshold.onFeature("l", "amount")
            .above(1, Verdict.REVIEW)))
        .approvalGate(request -> {
          throw new IllegalStateException("gate bug");
        }).build();
    assertThatThrownBy(() -> largeLoan(throwing).call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("gate bug");
  }

  @Test
  void anInterruptedWaitIsRefusedAndKeepsTheInterruptFlag() throws Exception {
    Aims aims = aims(request -> new CompletableFuture<>());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        largeLoan(aims).call(Fixtures::score);
      } catch (RuntimeException e) {
        thrown.set(e);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    while (log.events(EventTypes.APPROVAL_REQUESTED, ApprovalEvent.class).isEmpty()) {
      Thread.onSpinWait();
    }
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(thrown.get()).isInstanceOf(DecisionRefusedException.class);
    assertThat(flag.get()).isTrue();
  }

  @Test
  void reviewOutcomesMustNameTheReviewerAndSayWhy() {
    assertThatThrownBy(() -> new ReviewOutcome(Resolution.APPROVED, null, "ok", null, clock.instant()))
        .hasMessageContaining("needs the reviewer");
    assertThatThrownBy(() -> ReviewOutcome.rejected(REVIEWER, " ", clock.instant()))
        .hasMessageContaining("needs a rationale");
    assertThatThrownBy(() -> new ReviewOutcome(Resolution.APPROVED, REVIEWER, "ok", new Score(1), clock.instant()))
        .hasMessageContaining("overridden output");
  }
}
