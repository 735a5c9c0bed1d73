package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.policy.ConfidenceFloor;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.policy.RiskTierGate;
import dev.aims.core.policy.Stage;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BoundaryTest {
  static Aims aims(AiSystem system, DecisionBoundary... boundaries) {
    return Aims.builder().register(system).policy(system.id(), DecisionPolicy.of("v1", boundaries))
        .approvalGate(r -> CompletableFuture.completedFuture(ReviewOutcome.approved(REVIEWER, "ok",
            java.time.Instant.EPOCH)))
        .build();
  }

  @Test
  void anOutputThresholdReadsAFieldOfTheOutput() {
    Aims aims = aims(creditScoring(), NumericThreshold.onOutput("low-score", Score.class, Score::value)
        .version("3").below(0.5, Verdict.DENY));

    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("u").input(applicant(500_000))
        .call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionDeniedException.class, e -> assertThat(e.reasons()).singleElement()
            .satisfies(r -> {
              assertThat(r.boundary()).isEqualTo("low-score");
              assertThat(r.version()).isEqualTo("3");
              assertThat(r.message()).contains("is below 0.5");
            }));
    assertThat(aims.system("credit-scoring").useCase("u").input(applicant(0)).call(Fixtures::score).verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void anOutputOfAnotherTypeCountsAsMissing() {
    Aims aims = aims(chatbot(), NumericThreshold.onOutput("low-score", Score.class, Score::value)
        .ifMissing(Verdict.DENY).below(0.5, Verdict.DENY));
    assertThatThrownBy(() -> aims.system("support-bot").useCase("u").model(SCORER).input("q").call(q -> "text"))
        .isInstanceOf(DecisionDeniedException.class).hasMessageContaining("missing");
  }

  @Test
  void aConfidenceBelowTheFloorOrNoneAtAllGoesToReview() {
    Aims aims = aims(creditScoring(), ConfidenceFloor.of("confident", 0.8, Verdict.REVIEW));
    Decision<Score> low = aims.system("credit-scoring").useCase("u").input(applicant(1))
        .invoke(a -> ModelResult.of(score(a)).withConfidence(0.55));
    Decision<Score> none = aims.system("credit-scoring").useCase("u").input(applicant(1)).call(Fixtures::score);
    Decision<Score> high = aims.system("credit-scoring").useCase("u").input(applicant(1))
        .invoke(a -> ModelResult.of(score(a)).withConfidence(0.95));

    assertThat(low.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(low.reasons().get(0).message()).contains("0.55 is below the floor 0.8");
    assertThat(none.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(high.verdict()).isEqualTo(Verdict.ALLOW);
    assertThatThrownBy(() -> ConfidenceFloor.of("c", 1.5, Verdict.REVIEW)).hasMessageContaining("[0, 1]");
  }

  @Test
  void aRiskTierGateSendsEveryDecisionOfAStricterSystemToReview() {
    DecisionBoundary gate = RiskTierGate.atOrAbove(RiskTier.HIGH, Verdict.REVIEW);
    Decision<Score> high = aims(creditScoring(), gate).system("credit-scoring").useCase("u").input(applicant(1))
        .call(Fixtures::score);
    Decision<String> limited = aims(chatbot(), gate).system("support-bot").useCase("u").model(SCORER).input("q")
        .call(q -> "a");

    assertThat(high.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(high.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(limited.verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aCustomPredicateBoundarySeesInputFeaturesAndProtectedAttributes() {
    DecisionBoundary minors = DecisionBoundary.when("no-minors", Stage.INPUT,
        ctx -> "under-18".equals(ctx.protectedAttributes().get("age_band")), Verdict.DENY, "applicant is a minor");
    Aims aims = aims(creditScoring(), minors);

    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("u").input(applicant(1))
        .protectedAttribute("age_band", "under-18").call(Fixtures::score))
        .isInstanceOf(DecisionDeniedException.class).hasMessageContaining("applicant is a minor");
  }

  @Test
  void aResponseFromAnUnregisteredModelGoesToReview() {
    Decision<Score> d = aims(creditScoring()).system("credit-scoring").useCase("u").input(applicant(1))
        .invoke(a -> ModelResult.of(score(a)).withResponseModel(OTHER));
    assertThat(d.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(d.reasons().get(0).boundary()).isEqualTo("aims.response-model-in-register");
  }
}
