package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A retry that gives the first attempt's idempotency key finds its request; one request per key. */
class IdempotencyKeyTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final TestNotifier notices = new TestNotifier();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).notifier(notices)
      .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();
  final Aims aims = aims(service, log, clock, "p-1");

  @AfterEach
  void close() {
    service.close();
  }

  long requests() {
    return service.list(ApprovalQuery.all()).items().size();
  }

  @Test
  void aRetryAfterARejectionGetsTheSameRejectionAndMakesNoSecondRequest() throws Exception {
    CompletableFuture<Decision<Score>> first = CompletableFuture.supplyAsync(
        () -> largeLoan(aims, 80_000).idempotencyKey("loan-7").call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();
    reviewers.as(RITA, () -> service.reject(r.id(), "income could not be verified"));
    assertThat(first).failsWithin(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> largeLoan(aims, 80_000).idempotencyKey("loan-7").call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRejectedException.class,
            e -> assertThat(e.review().resolution()).isEqualTo(Resolution.REJECTED));
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void anApprovalIsHandedOutOnceSoARetryAfterItIsRefused() throws Exception {
    CompletableFuture<Decision<Score>> first = CompletableFuture.supplyAsync(
        () -> largeLoan(aims, 80_000).idempotencyKey("loan-8").call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();
    reviewers.as(RITA, () -> service.approve(r.id(), WHY));
    assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPROVED);

    assertThatThrownBy(() -> largeLoan(aims, 80_000).idempotencyKey("loan-8").call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class).hasMessageContaining("already handed out");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void aKeyGivenForAnotherActionIsRefusedNamingTheKey() {
    CompletableFuture.runAsync(() -> largeLoan(aims, 80_000).idempotencyKey("loan-9").call(Fixtures::score));
    notices.nextRequest();

    assertThatThrownBy(() -> largeLoan(aims, 90_000).idempotencyKey("loan-9").call(Fixtures::score))
        .isInstanceOf(DecisionRefusedException.class).hasMessageContaining("'loan-9'")
        .hasMessageContaining("another action");
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void theSameKeyOfAnotherRequesterIsAnotherCall() {
    CompletableFuture.runAsync(() -> largeLoan(aims, 80_000).idempotencyKey("k").call(Fixtures::score));
    notices.nextRequest();
    CompletableFuture.runAsync(() -> largeLoan(aims, 80_000).requester("other-service").idempotencyKey("k")
        .call(Fixtures::score));
    notices.nextRequest();

    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void aBlankOrOverlongKeyIsRefusedByName() {
    assertThatThrownBy(() -> largeLoan(aims, 80_000).idempotencyKey(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> largeLoan(aims, 80_000).idempotencyKey("x".repeat(201)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey must be at most 200");
  }
}
