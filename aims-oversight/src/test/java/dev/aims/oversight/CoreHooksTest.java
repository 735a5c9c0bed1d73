package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Actor;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service wired to core by {@code attach} alone (no decision log or encoder of its own): the
 * action parameters and policy version core hands over, recording through Aims, and the stop switch
 * pressed on Aims itself.
 */
class CoreHooksTest {
  record Transfer(double amount, String account) {}

  static final Actor OPERATOR = Actor.of("olga", "AIMS_ADMIN");

  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final TestReviewers reviewers = new TestReviewers();
  final TestNotifier notices = new TestNotifier();
  final ExecutorService callers = Executors.newCachedThreadPool();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).notifier(notices)
      .sweepEvery(Duration.ZERO).policy(SYSTEM, ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1))
          .thenEscalateTo(SENIOR_ROLE, Duration.ofHours(1))).build();
  final Aims aims = aims(service, log, clock, "p-1");

  @AfterEach
  void close() {
    callers.shutdownNow();
    service.close();
  }

  static Throwable failure(Future<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  static void refused(Refusal refusal, ThrowingCallable action) {
    assertThatThrownBy(action).isInstanceOfSatisfying(ApprovalRefusedException.class,
        e -> assertThat(e.refusal()).isEqualTo(refusal));
  }

  @Test
  void theApprovalIsBoundToTheActionParametersTheCallGave() throws Exception {
    Transfer transfer = new Transfer(80_000, "DE89 3704 0044 0532 0130 00");
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).action(transfer).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    assertThat(r.actionDigest()).isEqualTo(ActionDigest.of(r.id(), SYSTEM, USE_CASE, transfer));
    reviewers.as(SAM, () -> service.approve(r.id(), WHY, r.actionDigest()));
    Decision<Score> d = call.get(10, TimeUnit.SECONDS);

    refused(Refusal.DIGEST_MISMATCH, () -> service.authorize(r.id(), new Transfer(80_000, "GB29 NWBK 6016 1331 9268 19")));
    refused(Refusal.DIGEST_MISMATCH, () -> service.authorize(r.id(), d.output()));
    assertThat(service.authorize(r.id(), transfer).action(Transfer.class)).isEqualTo(transfer);
  }

  @Test
  void withoutActionParametersTheApprovalIsBoundToTheProposedOutput() throws Exception {
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    assertThat(r.actionDigest()).isEqualTo(ActionDigest.of(r.id(), SYSTEM, USE_CASE, score(applicant(80_000))));
    reviewers.as(SAM, () -> service.approve(r.id(), WHY));
    assertThat(service.authorize(r.id(), call.get(10, TimeUnit.SECONDS).output())).isNotNull();
  }

  @Test
  void theRequestKeepsThePolicyVersionTheDecisionRanUnderNotTheOneAtSubmit() throws Exception {
    UUID id = UUID.randomUUID();
    // core hands over the version the boundaries ran under; the policy changed before the gate saw it
    service.submit(reviewRequest(id, 80_000, clock.instant(), "p-0", null));

    assertThat(service.find(id).orElseThrow().policyVersion()).isEqualTo("p-0");
    reviewers.as(SAM, () -> service.approve(id, WHY));
    refused(Refusal.POLICY_CHANGED, () -> service.authorize(id, score(applicant(80_000))));
  }

  @Test
  void eventsAreRecordedThroughTheAttachedAimsAndOutputsRedactedWithItsRules() {
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    assertThat(r.proposedOutput()).doesNotContain("jane.doe@example.com");
    reviewers.as(RITA, () -> service.escalate(r.id(), "needs a senior look at the collateral"));

    assertThat(log.events(EventTypes.APPROVAL_ESCALATED, ApprovalEvent.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.decisionId()).isEqualTo(r.id());
          assertThat(e.details()).containsEntry("cause", "reviewer");
        });
    call.cancel(true);
  }

  @Test
  void pressingTheStopSwitchOnAimsItselfCancelsPendingRequestsAndResumeRestoresService() throws Exception {
    List<Future<Decision<Score>>> waiting = new ArrayList<>();
    List<ApprovalRequest> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score)));
      pending.add(notices.nextRequest());
    }

    aims.stop(SYSTEM, "model drift alarm", OPERATOR);

    for (Future<Decision<Score>> call : waiting) {
      assertThat(failure(call)).isInstanceOfSatisfying(DecisionRejectedException.class,
          e -> assertThat(e.review().resolution()).isEqualTo(Resolution.CANCELLED));
    }
    for (ApprovalRequest r : pending) {
      ApprovalRequest now = service.find(r.id()).orElseThrow();
      assertThat(now.status()).isEqualTo(ApprovalStatus.CANCELLED);
      assertThat(now.decidedBy()).isEqualTo(OPERATOR);
    }
    assertThat(log.events(EventTypes.APPROVAL_CANCELLED, ApprovalEvent.class)).hasSize(3)
        .allSatisfy(e -> assertThat(e.details()).containsEntry("resolution", "CANCELLED"));
    assertThat(service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant())).toCompletableFuture()
        .get(10, TimeUnit.SECONDS).resolution()).isEqualTo(Resolution.CANCELLED);
    assertThatThrownBy(() -> largeLoan(aims, 80_000).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SYSTEM_STOPPED));

    aims.resume(SYSTEM, "drift explained, model retrained", OPERATOR);

    Future<Decision<Score>> after = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest fresh = notices.nextRequest();
    reviewers.as(RITA, () -> service.approve(fresh.id(), WHY));
    assertThat(after.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPROVED);
  }

  @Test
  void theServiceStopSwitchCancelsOnceThoughAimsAlsoTellsIt() throws Exception {
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    notices.nextRequest();

    int cancelled = reviewers.as(OLGA, () -> service.stop(SYSTEM, "incident 42"));

    assertThat(cancelled).isEqualTo(1);
    assertThat(failure(call)).isInstanceOf(DecisionRejectedException.class);
    assertThat(log.events(EventTypes.APPROVAL_CANCELLED, ApprovalEvent.class)).hasSize(1);
    assertThat(aims.isStopped(SYSTEM)).isTrue();
  }
}
