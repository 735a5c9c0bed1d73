package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StopSwitchAndLogFailureTest {
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();

  @Test
  void aStoppedSystemRefusesNewCallsUntilResumed() {
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).build();

    aims.stop("credit-scoring", "scores drifting", ADMIN);
    assertThat(aims.isStopped("credit-scoring")).isTrue();
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SYSTEM_STOPPED))
        .hasMessageContaining("scores drifting");
    aims.resume("credit-scoring", "retrained", ADMIN);

    assertThat(aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score).outcome())
        .isEqualTo(Outcome.ALLOWED);
    assertThat(log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(ADMIN));
    assertThat(log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).hasSize(1);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).extracting(DecisionEvent::outcome)
        .containsExactly(Outcome.REFUSED, Outcome.ALLOWED);
  }

  @Test
  void aCallInFlightWhenTheSystemIsStoppedIsNotActedUpon() throws Exception {
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).build();
    CountDownLatch inModel = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean modelFinished = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        aims.system("credit-scoring").useCase("score").input(applicant(1)).call(a -> {
          inModel.countDown();
          stopped.await();
          modelFinished.set(true);
          return score(a);
        });
      } catch (Exception e) {
        thrown.set(e);
      }
    });
    caller.start();
    inModel.await();
    aims.stop("credit-scoring", "incident", ADMIN);
    stopped.countDown();
    caller.join();

    assertThat(modelFinished).isTrue();
    assertThat(thrown.get()).isInstanceOf(DecisionRefusedException.class).hasMessageContaining("during the model call");
  }

  /** A log that fails every append, as a full disk would. */
  static final class BrokenLog implements DecisionLog {
    volatile boolean broken;

    @Override
    public void append(LogEntry entry) {
      if (broken) {
        throw new DecisionLogException("disk full", null);
      }
    }

    @Override
    public Optional<String> failure() {
      return Optional.empty();
    }
  }

  @Test
  void aHighRiskSystemRefusesToActWhenItsDecisionCannotBeLogged() {
    BrokenLog broken = new BrokenLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(broken).meterRegistry(registry).build();
    broken.broken = true;

    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.LOG_UNAVAILABLE))
        .hasMessageContaining("disk full");
    assertThat(registry.get(AimsMetricNames.LOG_FAILURES).tag("system", "credit-scoring").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(AimsMetricNames.DECISIONS).tag("outcome", "refused").counter().count()).isEqualTo(1);
  }

  @Test
  void aLowerRiskSystemCarriesOnAndCountsTheFailure() {
    BrokenLog broken = new BrokenLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Aims aims = Aims.builder().register(chatbot()).decisionLog(broken).meterRegistry(registry).build();
    broken.broken = true;

    Decision<String> d = aims.system("support-bot").useCase("answer").model(OTHER).input("hi").call(q -> "hello");

    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(registry.get(AimsMetricNames.LOG_FAILURES).tag("system", "support-bot").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aLogInAFailedStateStopsHighRiskCallsBeforeTheModelRuns() {
    AtomicBoolean modelCalled = new AtomicBoolean();
    DecisionLog failed = new DecisionLog() {
      @Override
      public void append(LogEntry entry) {}

      @Override
      public Optional<String> failure() {
        return Optional.of("fsync failed: EIO");
      }
    };
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(failed).build();

    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(applicant(1)).call(a -> {
      modelCalled.set(true);
      return score(a);
    })).isInstanceOf(DecisionRefusedException.class).hasMessageContaining("fsync failed: EIO");
    assertThat(modelCalled).isFalse();
  }
}
