package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncCallTest {
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final Aims aims = Aims.builder()
      .register(creditScoring())
      .policy("credit-scoring", DecisionPolicy.of("p",
          NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
      .approvalGate(request -> CompletableFuture.supplyAsync(
          () -> ReviewOutcome.approved(REVIEWER, "fine", java.time.Instant.now())))
      .decisionLog(log)
      .build();

  @Test
  void anAsynchronousCallCompletesWithTheDecision() throws Exception {
    CompletionStage<Decision<Score>> stage = aims.system("credit-scoring").useCase("score")
        .input(applicant(1)).feature("amount", 1).callAsync(a -> CompletableFuture.supplyAsync(() -> score(a)));

    Decision<Score> d = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(1);
  }

  @Test
  void anAsynchronousReviewIsAwaitedWithoutBlocking() throws Exception {
    Decision<Score> d = aims.system("credit-scoring").useCase("score").input(applicant(90_000))
        .feature("amount", 90_000)
        .callAsync(a -> CompletableFuture.completedFuture(score(a)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
  }

  @Test
  void aFailedModelStageFailsTheDecisionWithTheSameException() {
    IllegalStateException failure = new IllegalStateException("timeout");
    CompletableFuture<Decision<Score>> f = aims.system("credit-scoring").useCase("score").input(applicant(1))
        .<Score>callAsync(a -> CompletableFuture.failedFuture(failure)).toCompletableFuture();

    assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isSameAs(failure);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aDeniedAsynchronousCallNeverStartsTheModel() {
    CompletableFuture<Decision<Score>> f = aims.system("credit-scoring").useCase("score").model(OTHER)
        .input(applicant(1))
        .<Score>callAsync(a -> {
          throw new AssertionError("model must not be called");
        }).toCompletableFuture();

    assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DecisionDeniedException.class);
  }

  @Test
  void aNullStageOrNullOutputIsAFailedDecision() {
    CompletableFuture<Decision<Score>> nullStage = aims.system("credit-scoring").useCase("score").input(applicant(1))
        .<Score>callAsync(a -> null).toCompletableFuture();
    CompletableFuture<Decision<Score>> nullOutput = aims.system("credit-scoring").useCase("score").input(applicant(1))
        .<Score>callAsync(a -> CompletableFuture.completedFuture(null)).toCompletableFuture();

    assertThat(nullStage).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(ModelOutputException.class);
    assertThat(nullOutput).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(ModelOutputException.class);
  }
}
