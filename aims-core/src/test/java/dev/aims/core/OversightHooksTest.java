package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What core gives an approval gate: the policy version and action of a review, recording, stop notices. */
class OversightHooksTest {
  record Transfer(double amount, String account) {}

  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final AtomicReference<ReviewRequest> seen = new AtomicReference<>();

  Aims aims() {
    return Aims.builder()
        .register(creditScoring())
        .policy("credit-scoring", DecisionPolicy.of("p-7",
            NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
        .redactor("credit-scoring", Redactor.maskFields("input.email"))
        .approvalGate(request -> {
          seen.set(request);
          return CompletableFuture.completedFuture(ReviewOutcome.approved(REVIEWER, "income verified", clock.instant()));
        })
        .decisionLog(log)
        .clock(clock)
        .build();
  }

  DecisionCall<Applicant> largeLoan(Aims aims) {
    return aims.system("credit-scoring").useCase("score").input(applicant(80_000)).feature("amount", 80_000);
  }

  @Test
  void aReviewRequestCarriesThePolicyVersionAndTheActionTheDecisionWouldTake() {
    Aims aims = aims();
    Transfer transfer = new Transfer(80_000, "DE89 3704 0044 0532 0130 00");

    largeLoan(aims).action(transfer).call(Fixtures::score);

    assertThat(seen.get().policyVersion()).isEqualTo("p-7");
    assertThat(seen.get().action()).isEqualTo(transfer);
    assertThat(seen.get().actionOrOutput()).isEqualTo(transfer);
  }

  @Test
  void withoutAnActionTheApprovalBindsTheProposedOutput() {
    Aims aims = aims();
    aims.setPolicy("credit-scoring", DecisionPolicy.of("p-8",
        NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)));

    Decision<Score> d = largeLoan(aims).call(Fixtures::score);

    assertThat(seen.get().action()).isNull();
    assertThat(seen.get().actionOrOutput()).isEqualTo(d.output());
    assertThat(seen.get().policyVersion()).isEqualTo("p-8");
  }

  @Test
  void theActionIsNeverNullAndIsNotWrittenToTheDecisionLog() {
    Aims aims = aims();
    assertThatThrownBy(() -> largeLoan(aims).action(null)).isInstanceOf(NullPointerException.class);

    largeLoan(aims).action(new Transfer(80_000, "ACCOUNT-SECRET")).call(Fixtures::score);

    assertThat(log.entries()).extracting(e -> e.body().toString()).noneMatch(line -> line.contains("ACCOUNT-SECRET"));
  }

  @Test
  void recordAppendsThroughTheInstancesLogAndTheEncoderRedactsAsTheLogDoes() {
    Aims aims = aims();
    log.clear();
    var escalated = new ApprovalEvent(EventTypes.APPROVAL_ESCALATED, clock.instant(), IdGenerator.uuidV7(clock).next(),
        "credit-scoring", "score", null, null, Map.of("to_tier", 1));

    aims.record(escalated);

    assertThat(log.events()).containsExactly(escalated);
    var proposed = new DecisionEvent(EventTypes.DECISION_PROPOSED, clock.instant(), escalated.decisionId(),
        "credit-scoring", "score", null, null, applicant(80_000), score(applicant(80_000)), null, Map.of(), null,
        Verdict.REVIEW, null, List.of(), "p-7", null, null, null, null, null, null, null);
    assertThat(aims.encoder().encode(proposed).get("input").get("email").asText())
        .isNotEqualTo("jane.doe@example.com");
  }

  @Test
  void recordFailsLoudlyWhenTheLogCannotBeWritten() {
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(entry -> {
      if (broken.get()) {
        throw new DecisionLogException("disk full", null);
      }
    }).build();
    broken.set(true);

    assertThatThrownBy(() -> aims.record(new ApprovalEvent(EventTypes.APPROVAL_ESCALATED, clock.instant(),
        IdGenerator.uuidV7(clock).next(), "credit-scoring", "score", null, null, Map.of())))
        .isInstanceOf(DecisionLogException.class).hasMessageContaining("disk full");
  }

  record Notice(String what, String system, String reason, Actor actor) {}

  @Test
  void stopAndResumeTellListenersOnceEachWhoeverPressedTheSwitch() {
    Aims aims = aims();
    List<Notice> notices = new CopyOnWriteArrayList<>();
    aims.addSystemControlListener(new SystemControlListener() {
      @Override
      public void stopped(String systemId, String reason, Actor actor) {
        assertThat(aims.isStopped(systemId)).isTrue();
        notices.add(new Notice("stopped", systemId, reason, actor));
      }

      @Override
      public void resumed(String systemId, String reason, Actor actor) {
        notices.add(new Notice("resumed", systemId, reason, actor));
      }
    });

    aims.stop("credit-scoring", "drift alarm", ADMIN);
    aims.stop("credit-scoring", "pressed again", ADMIN);
    aims.resume("credit-scoring", "retrained", ADMIN);
    aims.resume("credit-scoring", "released again", ADMIN);

    assertThat(notices).containsExactly(
        new Notice("stopped", "credit-scoring", "drift alarm", ADMIN),
        new Notice("resumed", "credit-scoring", "retrained", ADMIN));
    assertThat(log.events()).extracting(e -> e.type()).containsSubsequence(
        EventTypes.SYSTEM_STOPPED, EventTypes.SYSTEM_RESUMED);
  }

  @Test
  void aFailingListenerDoesNotStopTheOthersAndItsFailureReachesTheOperator() {
    Aims aims = aims();
    List<String> told = new CopyOnWriteArrayList<>();
    SystemControlListener failing = (system, reason, actor) -> {
      throw new IllegalStateException("approval store unreachable");
    };
    aims.addSystemControlListener(failing);
    aims.addSystemControlListener((system, reason, actor) -> told.add(system));

    assertThatThrownBy(() -> aims.stop("credit-scoring", "incident 42", ADMIN))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("approval store unreachable");

    assertThat(told).containsExactly("credit-scoring");
    assertThat(aims.isStopped("credit-scoring")).isTrue();
    assertThat(log.events()).extracting(e -> e.type()).contains(EventTypes.SYSTEM_STOPPED);
    aims.removeSystemControlListener(failing);
    aims.resume("credit-scoring", "store back", ADMIN);
    aims.stop("credit-scoring", "incident 43", ADMIN);
    assertThat(told).containsExactly("credit-scoring", "credit-scoring");
  }
}
