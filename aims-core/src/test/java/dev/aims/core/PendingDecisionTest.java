package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link DecisionCall#submit}: a handle returned before the reviewer acts. */
class PendingDecisionTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final CompletableFuture<ReviewOutcome> answer = new CompletableFuture<>();
  final List<ReviewRequest> requests = new ArrayList<>();
  final Aims aims = aims(request -> {
    requests.add(request);
    return answer;
  });

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

  static DecisionCall<Applicant> loan(Aims aims, double amount) {
    return aims.system("credit-scoring").useCase("score").input(applicant(amount)).feature("amount", amount);
  }

  PendingDecision<Score> largeLoan() {
    return loan(aims, 80_000).submit(Fixtures::score);
  }

  static Throwable failure(PendingDecision<?> pending) {
    CompletableFuture<?> f = pending.decision().toCompletableFuture();
    assertThat(f).failsWithin(10, TimeUnit.SECONDS);
    try {
      f.get();
      throw new AssertionError("the decision succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theHandleReturnsBeforeTheReviewerActsAndCompletesOnApproval() throws Exception {
    PendingDecision<Score> pending = largeLoan();

    assertThat(pending.isDone()).isFalse();
    assertThat(pending.decision().toCompletableFuture().isDone()).isFalse();
    DecisionEvent proposed = log.events(EventTypes.DECISION_PROPOSED, DecisionEvent.class).get(0);
    assertThat(pending.decisionId()).isEqualTo(proposed.decisionId()).isEqualTo(requests.get(0).decisionId());
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).isEmpty();

    answer.complete(ReviewOutcome.approved(REVIEWER, "income verified", clock.instant()));

    Decision<Score> d = pending.decision().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(pending.isDone()).isTrue();
    assertThat(d.id()).isEqualTo(pending.decisionId());
    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(d.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(d.output()).isEqualTo(score(applicant(80_000)));
    assertThat(d.review().actor()).isEqualTo(REVIEWER);
    assertThat(log.events()).extracting(AimsEvent::type).containsExactly(
        EventTypes.REGISTER_CHANGED, EventTypes.POLICY_CHANGED, EventTypes.DECISION_PROPOSED,
        EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED, EventTypes.DECISION_FINAL);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).decisionId())
        .isEqualTo(pending.decisionId());
  }

  @Test
  void anOverrideCompletesWithTheReviewersOutput() throws Exception {
    PendingDecision<Score> pending = largeLoan();
    Score replacement = new Score(0.1);

    answer.complete(ReviewOutcome.overridden(REVIEWER, "too risky", replacement, clock.instant()));

    Decision<Score> d = pending.decision().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(d.outcome()).isEqualTo(Outcome.OVERRIDDEN);
    assertThat(d.output()).isEqualTo(replacement);
    assertThat(log.events(EventTypes.DECISION_OVERRIDDEN, DecisionEvent.class)).hasSize(1);
  }

  @Test
  void aRejectionFailsTheHandleWithDecisionRejectedException() {
    PendingDecision<Score> pending = largeLoan();

    answer.complete(ReviewOutcome.rejected(REVIEWER, "income not verified", clock.instant()));

    Throwable t = failure(pending);
    assertThat(t).isInstanceOf(DecisionRejectedException.class);
    assertThat(((DecisionRejectedException) t).review().resolution()).isEqualTo(Resolution.REJECTED);
    assertThat(((DecisionRejectedException) t).decisionId()).isEqualTo(pending.decisionId());
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.REJECTED);
  }

  @Test
  void anExpiryFailsTheHandleWithDecisionRejectedException() {
    PendingDecision<Score> pending = largeLoan();

    answer.complete(ReviewOutcome.expired(clock.instant()));

    Throwable t = failure(pending);
    assertThat(t).isInstanceOf(DecisionRejectedException.class);
    assertThat(((DecisionRejectedException) t).review().resolution()).isEqualTo(Resolution.EXPIRED);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.EXPIRED);
  }

  @Test
  void aGateThatFailsLaterOrThrowsFailsTheHandleWithDecisionRefusedException() {
    PendingDecision<Score> pending = largeLoan();
    assertThat(pending.isDone()).isFalse();
    answer.completeExceptionally(new IllegalStateException("store unreachable"));

    Throwable later = failure(pending);
    assertThat(later).isInstanceOf(DecisionRefusedException.class).hasMessageContaining("store unreachable");
    assertThat(((DecisionRefusedException) later).refusal()).isEqualTo(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE);

    Aims throwing = aims(request -> {
      throw new IllegalStateException("gate bug");
    });
    PendingDecision<Score> refused = loan(throwing, 80_000).submit(Fixtures::score);
    assertThat(refused.isDone()).isTrue();
    assertThat(failure(refused)).isInstanceOf(DecisionRefusedException.class).hasMessageContaining("gate bug");
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).extracting(DecisionEvent::outcome)
        .containsExactly(Outcome.REFUSED, Outcome.REFUSED);
  }

  @Test
  void anAllowedDecisionIsCompleteAtOnce() {
    PendingDecision<Score> pending = loan(aims, 1_000).submit(Fixtures::score);

    assertThat(pending.isDone()).isTrue();
    Decision<Score> d = pending.decision().toCompletableFuture().join();
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.id()).isEqualTo(pending.decisionId());
    assertThat(requests).isEmpty();
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(1);
  }

  @Test
  void aDenialThrowsAtOnceAndNeverReachesTheGate() {
    AtomicBoolean called = new AtomicBoolean();
    assertThatThrownBy(() -> loan(aims, 80_000).model(OTHER).submit(a -> {
      called.set(true);
      return score(a);
    })).isInstanceOf(DecisionDeniedException.class);

    assertThat(called).isFalse();
    assertThat(requests).isEmpty();
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome())
        .isEqualTo(Outcome.DENIED);
  }

  @Test
  void theModelsExceptionIsThrownUnchanged() {
    IOException failure = new IOException("model down");
    assertThatThrownBy(() -> loan(aims, 80_000).<Score, IOException>submit(a -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(requests).isEmpty();
  }

  @Test
  void callersCannotCompleteTheHandle() {
    PendingDecision<Score> pending = largeLoan();

    pending.decision().toCompletableFuture().complete(null);
    pending.decision().toCompletableFuture().cancel(true);

    assertThat(pending.isDone()).isFalse();
    answer.complete(ReviewOutcome.approved(REVIEWER, "fine", clock.instant()));
    assertThat(pending.decision().toCompletableFuture().join().outcome()).isEqualTo(Outcome.APPROVED);
  }
}
