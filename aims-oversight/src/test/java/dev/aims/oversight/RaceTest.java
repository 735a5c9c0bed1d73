package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Resolution;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Races with real threads, started together by a latch; each repeated to give the race a chance. */
class RaceTest {
  static final int ROUNDS = 200;
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final ExecutorService threads = Executors.newFixedThreadPool(8);
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers)
      .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).rubberStampFloor(Duration.ZERO).build();

  @AfterEach
  void close() {
    threads.shutdownNow();
    service.close();
  }

  /** Runs the actions at once; each result is the action's value or the exception it threw. */
  List<Object> together(List<Callable<Object>> actions) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> running = new ArrayList<>();
    for (Callable<Object> a : actions) {
      running.add(threads.submit(() -> {
        go.await();
        try {
          return a.call();
        } catch (RuntimeException e) {
          return e;
        }
      }));
    }
    go.countDown();
    List<Object> results = new ArrayList<>();
    for (Future<Object> f : running) {
      results.add(f.get(10, TimeUnit.SECONDS));
    }
    return results;
  }

  Callable<Object> as(Reviewer who, java.util.function.Supplier<Object> action) {
    return () -> reviewers.as(who, action);
  }

  static long decided(List<Object> results) {
    return results.stream().filter(r -> r instanceof ReviewResult rr && rr.effect() == ReviewResult.Effect.DECIDED)
        .count();
  }

  static long refused(List<Object> results, Refusal refusal) {
    return results.stream().filter(r -> r instanceof ApprovalRefusedException e && e.refusal() == refusal).count();
  }

  @Test
  void twoReviewersApprovingAtOnceMakeExactlyOneTransitionAndTheOtherHearsAlreadyDecided() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      UUID id = UUID.randomUUID();
      CompletableFuture<ReviewOutcome> outcome = service.submit(reviewRequest(id, 80_000, clock.instant()))
          .toCompletableFuture();

      List<Object> results = together(List.of(as(RITA, () -> service.approve(id, WHY)),
          as(RAJ, () -> service.approve(id, WHY))));

      assertThat(decided(results)).isEqualTo(1);
      assertThat(refused(results, Refusal.ALREADY_DECIDED)).isEqualTo(1);
      assertThat(outcome.get(10, TimeUnit.SECONDS).resolution()).isEqualTo(Resolution.APPROVED);
      assertThat(service.attempts(id)).hasSize(2).extracting(ReviewAttempt::refusal)
          .containsExactlyInAnyOrder(null, Refusal.ALREADY_DECIDED);
    }
  }

  @Test
  void approveAndRejectRacingEndInExactlyOneStateAndBothAttemptsAreRecorded() throws Exception {
    int approvedWins = 0;
    for (int i = 0; i < ROUNDS; i++) {
      UUID id = UUID.randomUUID();
      CompletableFuture<ReviewOutcome> outcome = service.submit(reviewRequest(id, 80_000, clock.instant()))
          .toCompletableFuture();

      List<Object> results = together(List.of(as(RITA, () -> service.approve(id, WHY)),
          as(RAJ, () -> service.reject(id, "the amount is far too high"))));

      assertThat(decided(results)).isEqualTo(1);
      assertThat(refused(results, Refusal.ALREADY_DECIDED)).isEqualTo(1);
      ApprovalStatus end = service.find(id).orElseThrow().status();
      Resolution resolution = outcome.get(10, TimeUnit.SECONDS).resolution();
      assertThat(end).isIn(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED);
      assertThat(resolution.name()).isEqualTo(end.name());
      ReviewResult winner = (ReviewResult) results.stream().filter(r -> r instanceof ReviewResult).findFirst().orElseThrow();
      assertThat(winner.request().status()).isEqualTo(end);
      assertThat(service.attempts(id)).hasSize(2);
      approvedWins += end == ApprovalStatus.APPROVED ? 1 : 0;
    }
    assertThat(approvedWins).isBetween(0, ROUNDS);
  }

  @Test
  void anApprovalRacingTheExpirySweepLosesToExpiry() throws Exception {
    for (int i = 0; i < ROUNDS; i++) {
      UUID id = UUID.randomUUID();
      CompletableFuture<ReviewOutcome> outcome = service.submit(reviewRequest(id, 80_000, clock.instant()))
          .toCompletableFuture();
      clock.advance(Duration.ofHours(1)); // exactly the deadline

      List<Object> results = together(List.of(as(RITA, () -> service.approve(id, WHY)), () -> service.sweep()));

      assertThat(results.get(0)).isInstanceOfSatisfying(ApprovalRefusedException.class,
          e -> assertThat(e.refusal()).isIn(Refusal.DEADLINE_PASSED, Refusal.ALREADY_DECIDED));
      assertThat(outcome.get(10, TimeUnit.SECONDS).resolution()).isEqualTo(Resolution.EXPIRED);
      assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
    }
  }

  @Test
  void aThousandRequestsDecidedByEightReviewerThreadsEachEndOnce() throws Exception {
    int n = 1_000;
    List<UUID> ids = new ArrayList<>();
    ConcurrentHashMap<UUID, AtomicInteger> completions = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      completions.put(id, new AtomicInteger());
      service.submit(reviewRequest(id, 80_000, clock.instant()))
          .whenComplete((o, e) -> completions.get(id).incrementAndGet());
    }
    Reviewer[] pool = new Reviewer[8];
    for (int t = 0; t < pool.length; t++) {
      pool[t] = Reviewer.of("reviewer-" + t, REVIEWER_ROLE);
    }
    List<Callable<Object>> workers = new ArrayList<>();
    AtomicInteger decisions = new AtomicInteger();
    AtomicInteger anomalies = new AtomicInteger();
    for (int t = 0; t < pool.length; t++) {
      Reviewer who = pool[t];
      boolean rejects = t % 3 == 0;
      workers.add(as(who, () -> {
        List<UUID> mine = new ArrayList<>(ids);
        Collections.shuffle(mine);
        for (UUID id : mine) {
          try {
            ReviewResult r = rejects ? service.reject(id, "too risky for the bank") : service.approve(id, WHY);
            if (r.effect() == ReviewResult.Effect.DECIDED) {
              decisions.incrementAndGet();
            }
          } catch (ApprovalRefusedException e) {
            if (e.refusal() != Refusal.ALREADY_DECIDED) {
              anomalies.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }

    together(workers);

    assertThat(anomalies).hasValue(0);
    assertThat(decisions).hasValue(n);
    assertThat(completions.values()).allSatisfy(c -> assertThat(c).hasValue(1));
    assertThat(service.list(ApprovalQuery.pending())).satisfies(p -> assertThat(p.items()).isEmpty());
  }
}
