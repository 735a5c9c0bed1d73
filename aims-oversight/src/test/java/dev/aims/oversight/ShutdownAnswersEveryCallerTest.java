package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing the approval service answers every waiting caller and writes each refusal before the log closes. */
class ShutdownAnswersEveryCallerTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final TestNotifier notices = new TestNotifier();
  final ExecutorService callers = Executors.newCachedThreadPool();

  /** A log that remembers how many decisions had ended when it was closed, and refuses appends after. */
  static final class OrderedLog implements DecisionLog {
    final InMemoryDecisionLog inner = InMemoryDecisionLog.create();
    volatile int finalsAtClose = -1;

    @Override
    public void append(LogEntry entry) {
      if (finalsAtClose >= 0) {
        throw new IllegalStateException("the decision log is closed");
      }
      inner.append(entry);
    }

    @Override
    public void close() {
      finalsAtClose = inner.events(EventTypes.DECISION_FINAL, DecisionEvent.class).size();
    }
  }

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  static Throwable failure(Future<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void closingRefusesEveryWaitingCallerAndEachRefusalIsLoggedBeforeTheLogCloses() throws Exception {
    OrderedLog log = new OrderedLog();
    ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).notifier(notices)
        .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();
    Aims aims = Aims.builder().register(creditScoring()).policy(SYSTEM, largeLoansToReview("p-1"))
        .redactor(SYSTEM, redactor()).approvalGate(service).decisionLog(log).clock(clock).build();
    service.attach(aims);
    List<Future<Decision<Score>>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score)));
      notices.nextRequest();
    }

    // the order a host shuts down in: approvals end, then Aims, then the log its creator owns
    service.close();
    aims.close();
    log.close();

    for (Future<Decision<Score>> call : waiting) {
      assertThat(failure(call)).isInstanceOfSatisfying(DecisionRefusedException.class, e -> {
        assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SHUTDOWN);
        assertThat(e.getMessage()).contains("the approval service is shutting down").contains("retry the call");
      });
    }
    assertThat(log.finalsAtClose).as("every refusal was written before the log closed").isEqualTo(5);
    assertThat(log.inner.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(5).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(e.error()).startsWith("shutdown: the approval service is shutting down");
    });
    assertThat(aims.reviewsInFlight()).isZero();
  }

  @Test
  void aCallSubmittedAfterCloseIsRefusedForShutdown() {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers)
        .sweepEvery(Duration.ZERO).build();
    Aims aims = aims(service, log, clock, "p-1");
    service.close();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> largeLoan(aims, 80_000).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SHUTDOWN))
        .hasMessageContaining("the approval service is closed");
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.error()).startsWith("shutdown: "));
  }

  @Test
  void aThousandWaitingCallersAreAllAnsweredAndLoggedWithinFiveSeconds() throws Exception {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers)
        .sweepEvery(Duration.ZERO).build();
    Aims aims = aims(service, log, clock, "p-1");
    List<CompletableFuture<Decision<Score>>> waiting = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      waiting.add(largeLoan(aims, 80_000).callAsync(a -> CompletableFuture.completedFuture(score(a)))
          .toCompletableFuture());
    }
    assertThat(aims.reviewsInFlight()).isEqualTo(1_000);

    long start = System.nanoTime();
    service.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(waiting).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(1_000)
        .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.REFUSED));
  }
}
