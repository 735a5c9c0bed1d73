package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.event.LogEntry;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Whoever creates a log, store or scheduler closes it; nothing runs before the service is attached. */
class OwnershipAndStartUpTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();

  /** A scheduler that counts what the service schedules on it. */
  static final class CountingScheduler extends ScheduledThreadPoolExecutor {
    final AtomicInteger periodic = new AtomicInteger();

    CountingScheduler() {
      super(1);
      setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      periodic.incrementAndGet();
      return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }
  }

  static final class ClosableLog implements DecisionLog {
    final InMemoryDecisionLog inner = InMemoryDecisionLog.create();
    volatile boolean closed;

    @Override
    public void append(LogEntry entry) {
      inner.append(entry);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aimsDoesNotCloseADecisionLogItWasGiven() {
    ClosableLog log = new ClosableLog();
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).build();

    aims.close();

    assertThat(log.closed).isFalse();
  }

  @Test
  void theServiceDoesNotCloseAStoreItWasGivenButClosesItsDefault() {
    ObservedStore store = new ObservedStore();
    ApprovalService service = ApprovalService.builder().reviewers(reviewers).store(store).build();

    service.close();

    assertThat(store.closed).isFalse();
    store.close();
  }

  @Test
  void theSweepIsScheduledOnlyWhenTheServiceIsAttachedAndOnTheApplicationsScheduler() {
    CountingScheduler scheduler = new CountingScheduler();
    ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers)
        .sweepEvery(Duration.ofMillis(50)).scheduler(scheduler).build();

    assertThat(scheduler.periodic).as("nothing is swept before attach").hasValue(0);

    aims(service, InMemoryDecisionLog.create(), clock, "p-1");

    assertThat(scheduler.periodic).hasValue(1);
    service.close();
    assertThat(scheduler.isShutdown()).as("the application's scheduler stays the application's").isFalse();
    assertThat(scheduler.getQueue()).as("the service's sweep is cancelled on it").isEmpty();
    scheduler.shutdownNow();
  }

  @Test
  void aStoreFailureIsClassifiedByItsTypeNotItsPackage() {
    ObservedStore store = new ObservedStore();
    ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).store(store)
        .sweepEvery(Duration.ZERO).build();
    aims(service, InMemoryDecisionLog.create(), clock, "p-1");
    UUID id = UUID.randomUUID();
    service.submit(reviewRequest(id, 80_000, clock.instant()));

    // a plain exception thrown from code in a dev.aims package is still a store failure
    store.failApply = () -> new dev.aims.oversight.internal.ExampleFailure("connection reset");
    assertThatThrownBy(() -> reviewers.as(RITA, () -> service.approve(id, WHY)))
        .isInstanceOf(ApprovalStoreException.class).hasMessageContaining("nothing was changed");

    // the store's own kinds pass through as they are
    store.failApply = () -> new ApprovalStoreException("database down", id, null);
    assertThatThrownBy(() -> reviewers.as(RITA, () -> service.approve(id, WHY)))
        .isInstanceOf(ApprovalStoreException.class).hasMessage("database down");
    service.close();
  }
}
