package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DigestAndReplayTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final TestReviewers reviewers = new TestReviewers();
  final TestNotifier notices = new TestNotifier();
  final ExecutorService callers = Executors.newCachedThreadPool();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).decisionLog(log)
      .encoder(encoder()).notifier(notices).sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();
  final Aims aims = aims(service, log, clock, "p-1");

  @AfterEach
  void close() {
    callers.shutdownNow();
    service.close();
  }

  Future<Decision<Score>> call(double amount) {
    return callers.submit(() -> largeLoan(aims, amount).call(Fixtures::score));
  }

  static void refused(Refusal refusal, ThrowingCallable action) {
    assertThatThrownBy(action).isInstanceOfSatisfying(ApprovalRefusedException.class,
        e -> assertThat(e.refusal()).isEqualTo(refusal));
  }

  @Test
  void anApprovedActionIsHandedOutOnceAndOnlyForTheApprovedParameters() throws Exception {
    Future<Decision<Score>> call = call(80_000);
    ApprovalRequest r = notices.nextRequest();
    reviewers.as(RITA, () -> service.approve(r.id(), WHY, r.actionDigest()));
    Decision<Score> d = call.get(10, TimeUnit.SECONDS);

    refused(Refusal.DIGEST_MISMATCH, () -> service.authorize(r.id(), new Score(0.99, d.output().explanation())));
    ApprovedAction action = service.authorize(r.id(), d.output());

    assertThat(action.action(Score.class)).isEqualTo(d.output());
    assertThat(action.request().id()).isEqualTo(r.id());
    refused(Refusal.ALREADY_CONSUMED, () -> service.authorize(r.id(), d.output()));
  }

  @Test
  void anApprovalForOneRequestCannotBeReplayedOntoAnother() throws Exception {
    call(80_000);
    ApprovalRequest first = notices.nextRequest();
    Future<Decision<Score>> second = call(90_000);
    ApprovalRequest other = notices.nextRequest();

    refused(Refusal.DIGEST_MISMATCH, () -> reviewers.as(RITA, () -> service.approve(other.id(), WHY, first.actionDigest())));
    reviewers.as(RITA, () -> service.approve(first.id(), WHY, first.actionDigest()));

    assertThat(second).isNotDone();
    assertThat(service.find(other.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(service.attempts(other.id())).extracting(ReviewAttempt::refusal).containsExactly(Refusal.DIGEST_MISMATCH);
    refused(Refusal.NOT_APPROVED, () -> service.authorize(other.id(), score(applicant(90_000))));
    // the approved action of the first request, presented for the first request's id, still matches only there
    refused(Refusal.DIGEST_MISMATCH, () -> service.authorize(first.id(), score(applicant(90_000))));
  }

  @Test
  void aDuplicateApproveIsIdempotent() throws Exception {
    Future<Decision<Score>> call = call(80_000);
    ApprovalRequest r = notices.nextRequest();

    ReviewResult first = reviewers.as(RITA, () -> service.approve(r.id(), WHY));
    ReviewResult again = reviewers.as(RITA, () -> service.approve(r.id(), WHY));

    assertThat(first.effect()).isEqualTo(ReviewResult.Effect.DECIDED);
    assertThat(again.effect()).isEqualTo(ReviewResult.Effect.DUPLICATE);
    assertThat(again.request()).isEqualTo(first.request());
    call.get(10, TimeUnit.SECONDS);
    assertThat(log.events()).filteredOn(e -> e.type().equals(EventTypes.APPROVAL_GRANTED)).hasSize(1);
    // a second reviewer's approval after the end is an "already decided", not a silent success
    refused(Refusal.ALREADY_DECIDED, () -> reviewers.as(RAJ, () -> service.approve(r.id(), WHY)));
  }

  @Test
  void anOverrideIsRunOnlyWithTheReviewersOutput() throws Exception {
    Future<Decision<Score>> call = call(80_000);
    ApprovalRequest r = notices.nextRequest();
    Score manual = new Score(0.2, "manual");
    reviewers.as(RITA, () -> service.override(r.id(), "collateral not counted", manual));
    call.get(10, TimeUnit.SECONDS);

    refused(Refusal.DIGEST_MISMATCH, () -> service.authorize(r.id(), score(applicant(80_000))));
    assertThat(service.authorize(r.id(), manual).action(Score.class)).isEqualTo(manual);
  }

  @Test
  void anApprovalNoLongerAppliesOnceThePolicyChanged() throws Exception {
    Future<Decision<Score>> call = call(80_000);
    ApprovalRequest r = notices.nextRequest();
    reviewers.as(RITA, () -> service.approve(r.id(), WHY));
    Decision<Score> d = call.get(10, TimeUnit.SECONDS);

    aims.setPolicy(SYSTEM, largeLoansToReview("p-2"));

    refused(Refusal.POLICY_CHANGED, () -> service.authorize(r.id(), d.output()));
  }
}
