package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.ReviewOutcome;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeparationOfDutiesTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  ApprovalService service;
  UUID id;
  CompletableFuture<ReviewOutcome> outcome;

  @BeforeEach
  void oneRequest() {
    service = ApprovalService.builder().clock(clock).reviewers(reviewers).meterRegistry(registry)
        .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer().requiring(2)).build();
    id = UUID.randomUUID();
    outcome = service.submit(reviewRequest(id, 80_000, clock.instant())).toCompletableFuture();
  }

  @AfterEach
  void close() {
    service.close();
  }

  Refusal refusalOf(Reviewer who, Runnable action) {
    Throwable[] thrown = new Throwable[1];
    reviewers.as(who, () -> {
      try {
        action.run();
      } catch (ApprovalRefusedException e) {
        thrown[0] = e;
      }
    });
    assertThat(thrown[0]).as("a refusal").isNotNull();
    return ((ApprovalRefusedException) thrown[0]).refusal();
  }

  double refused(String reason) {
    var c = registry.find(ApprovalMetricNames.APPROVALS_REFUSED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequestEvenWithTheRole() {
    assertThat(refusalOf(LOAN_SERVICE, () -> service.approve(id, WHY))).isEqualTo(Refusal.SELF_REVIEW);
    assertThat(refusalOf(LOAN_SERVICE, () -> service.override(id, WHY, score(applicant(1))))).isEqualTo(Refusal.SELF_REVIEW);

    assertThat(service.find(id).orElseThrow().approvedBy()).isEmpty();
    assertThat(service.attempts(id)).extracting(ReviewAttempt::reviewer, ReviewAttempt::refusal)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("loan-service", Refusal.SELF_REVIEW));
    assertThat(refused("self_review")).isEqualTo(2);
    assertThat(outcome).isNotDone();
  }

  @Test
  void aReviewerWithoutTheRequiredRoleIsRefusedAndRecorded() {
    assertThat(refusalOf(INTERN, () -> service.approve(id, WHY))).isEqualTo(Refusal.MISSING_ROLE);
    assertThat(refusalOf(INTERN, () -> service.reject(id, "I do not like it at all"))).isEqualTo(Refusal.MISSING_ROLE);

    assertThat(service.attempts(id)).hasSize(2).allSatisfy(a -> {
      assertThat(a.reviewer()).isEqualTo("ivan");
      assertThat(a.role()).isEqualTo(REVIEWER_ROLE);
      assertThat(a.accepted()).isFalse();
    });
    assertThat(refused("missing_role")).isEqualTo(2);
    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void onePersonApprovingTwiceCountsOnceTowardsK() {
    reviewers.as(RITA, () -> service.approve(id, WHY));
    ReviewResult again = reviewers.as(RITA, () -> service.approve(id, WHY));

    assertThat(again.effect()).isEqualTo(ReviewResult.Effect.DUPLICATE);
    assertThat(service.find(id).orElseThrow().approvedBy()).containsExactly("rita");
    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(service.attempts(id)).extracting(ReviewAttempt::refusal).containsExactly(null, Refusal.DUPLICATE);
    assertThat(refused("duplicate")).as("a duplicate is idempotent, not a refusal").isZero();
    assertThat(outcome).isNotDone();
  }

  @Test
  void theSamePersonInAnotherCaseOrWithSpacesIsTheSameIdentity() {
    Reviewer requesterShouting = Reviewer.of(" LOAN-SERVICE ", REVIEWER_ROLE);
    assertThat(refusalOf(requesterShouting, () -> service.approve(id, WHY))).isEqualTo(Refusal.SELF_REVIEW);

    reviewers.as(RITA, () -> service.approve(id, WHY));
    ReviewResult again = reviewers.as(Reviewer.of("Rita", REVIEWER_ROLE), () -> service.approve(id, WHY));
    assertThat(again.effect()).isEqualTo(ReviewResult.Effect.DUPLICATE);
    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(Reviewer.sameIdentity("\uFF21lice", "alice")).as("NFKC: fullwidth A").isTrue();
    assertThat(Reviewer.sameIdentity("alice", "alicia")).isFalse();
    assertThat(Reviewer.sameIdentity(null, "alice")).isFalse();
  }

  @Test
  void anOverrideAfterYourOwnApprovalIsRefusedNotADuplicate() {
    reviewers.as(RITA, () -> service.approve(id, WHY));
    assertThat(refusalOf(RITA, () -> service.override(id, WHY, score(applicant(1)))))
        .isEqualTo(Refusal.OVERRIDE_NOT_ALLOWED);
    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(outcome).isNotDone();
  }

  @Test
  void nobodyAuthenticatedMeansNoAction() {
    assertThatThrownBy(() -> service.approve(id, WHY)).isInstanceOfSatisfying(ApprovalRefusedException.class,
        e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_AUTHENTICATED));
    assertThat(refused("not_authenticated")).isEqualTo(1);
    assertThat(outcome).isNotDone();
  }

  @Test
  void anUnknownRequestIsRefused() {
    assertThat(refusalOf(RITA, () -> service.approve(UUID.randomUUID(), WHY))).isEqualTo(Refusal.UNKNOWN_REQUEST);
  }

  @Test
  void identityComesFromTheContextNotFromTheRationale() {
    assertThat(refusalOf(INTERN, () -> service.approve(id, "approved on behalf of sam (AIMS_REVIEWER)")))
        .isEqualTo(Refusal.MISSING_ROLE);
    assertThat(service.attempts(id).get(0).reviewer()).isEqualTo("ivan");
  }
}
