package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import dev.aims.core.testing.ValidationSuite;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelValidationGateTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String OTHER_DIGEST = "sha256:" + "cd".repeat(32);
  final TestClock clock = clock();

  /** A golden set of three loans: the scorer approves below 50 000, refers above. */
  ValidationSuite<Double, String> suite(double minimumAccuracy) {
    return ValidationSuite.<Double, String>named("loan-golden-v1")
        .example(900.0, "approve").example(20_000.0, "approve").example(90_000.0, "refer")
        .metric("accuracy", ValidationSuite.accuracy()).atLeast("accuracy", minimumAccuracy);
  }

  static String scorer(double amount) {
    return amount < 50_000 ? "approve" : "refer";
  }

  AiSystem.Builder high(ValidationGate gate) {
    return AiSystem.builder("credit-scoring").owner("risk-team").purpose("score loans").riskTier(RiskTier.HIGH)
        .validationGate(gate).allowModel(SCORER, DIGEST);
  }

  @Test
  void anAllowedModelWithoutValidationOnAHighRiskSystemIsRefusedNamingTheSystemAndTheModel() {
    assertThatThrownBy(() -> high(ValidationGate.REFUSE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AI system 'credit-scoring' (HIGH risk) may not allow model acme:scorer:2.1: no validation"
            + " record for it");
    // at start-up from a register file too
    String json = """
        {"systems":[{"id":"credit-scoring","owner":"risk","purpose":"score","riskTier":"HIGH","validationGate":"REFUSE",
          "allowedModels":[{"provider":"acme","name":"scorer","version":"2.1","digest":"%s"}]}]}""".formatted(DIGEST);
    assertThatThrownBy(() -> AiRegister.readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        "register.json")).hasMessage("register.json: systems[0]: AI system 'credit-scoring' (HIGH risk) may not"
            + " allow model acme:scorer:2.1: no validation record for it");
  }

  @Test
  void aModelWithoutADeclaredArtefactDigestCannotBeValidated() {
    assertThatThrownBy(() -> AiSystem.builder("credit-scoring").owner("risk-team").purpose("score loans")
        .riskTier(RiskTier.HIGH).validationGate(ValidationGate.REFUSE).allowModel(SCORER)
        .validation(suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, ModelValidationGateTest::scorer)).build())
        .hasMessageContaining("may not allow model acme:scorer:2.1: the entry declares no artefact digest");
  }

  @Test
  void aPassingSuiteLetsTheModelInAndTheRegisterEntryCitesItsRecordInTheLog() {
    ModelValidation record = suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, ModelValidationGateTest::scorer);
    assertThat(record.passed()).isTrue();
    assertThat(record.metrics()).containsEntry("accuracy", 1.0);
    InMemoryDecisionLog log = InMemoryDecisionLog.create();

    Aims.builder().register(high(ValidationGate.REFUSE).validation(record).build()).decisionLog(log).clock(clock)
        .build();

    JsonNode definition = log.json(e -> e.type().equals(EventTypes.REGISTER_CHANGED)).get(0).get("definition");
    assertThat(definition.path("validation_gate").asText()).isEqualTo("REFUSE");
    assertThat(definition.at("/validations/0/suite").asText()).isEqualTo("loan-golden-v1");
    assertThat(definition.at("/validations/0/artefact_digest").asText()).isEqualTo(DIGEST);
    assertThat(definition.at("/validations/0/passed").asBoolean()).isTrue();
    assertThat(definition.at("/artefacts/0/digest").asText()).isEqualTo(DIGEST);
  }

  @Test
  void aFailingSuiteKeepsTheModelOutAndItsRecordSaysWhy() {
    // the model under test refers everything: one of three right
    ModelValidation failed = suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, amount -> "refer");

    assertThat(failed.passed()).isFalse();
    assertThat(failed.failures()).containsExactly("accuracy 0.3333333333333333 < 0.9");
    assertThatThrownBy(() -> high(ValidationGate.REFUSE).validation(failed).build())
        .hasMessage("AI system 'credit-scoring' (HIGH risk) may not allow model acme:scorer:2.1: validation"
            + " 'loan-golden-v1' failed (accuracy 0.3333333333333333 < 0.9)");
  }

  @Test
  void aRecordForAnotherArtefactDigestIsRefused() {
    ModelValidation other = suite(0.9).run(SCORER, OTHER_DIGEST, "ml-lead", clock, ModelValidationGateTest::scorer);

    assertThatThrownBy(() -> high(ValidationGate.REFUSE).validation(other).build())
        .hasMessage("AI system 'credit-scoring' (HIGH risk) may not allow model acme:scorer:2.1: its validation"
            + " record(s) are for artefact [" + OTHER_DIGEST + "], not the declared " + DIGEST);
  }

  @Test
  void anUpdateThatAllowsAnUnvalidatedVersionIsRefusedAndTheRegisterKeepsTheOldEntry() {
    ModelValidation record = suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, ModelValidationGateTest::scorer);
    Aims aims = Aims.builder().register(high(ValidationGate.REFUSE).validation(record).build()).clock(clock).build();

    assertThatThrownBy(() -> aims.register().update(aims.register().get("credit-scoring").toBuilder()
        .allowModel(OTHER, OTHER_DIGEST).build()))
        .hasMessageContaining("may not allow model acme:scorer:3.0-beta: no validation record for it");
    assertThat(aims.register().get("credit-scoring").allowedModels()).containsExactly(SCORER);
  }

  @Test
  void withTheReviewGateACallWithAnUnvalidatedModelGoesToAHuman() {
    AtomicInteger reviews = new AtomicInteger();
    Aims aims = Aims.builder().register(high(ValidationGate.REVIEW).build()).clock(clock)
        .approvalGate(request -> {
          reviews.incrementAndGet();
          assertThat(request.reasons()).singleElement().satisfies(r -> assertThat(r.message())
              .isEqualTo("model acme:scorer:2.1 of HIGH-risk system 'credit-scoring' is not validated: no"
                  + " validation record for it"));
          return CompletableFuture.completedFuture(ReviewOutcome.approved(REVIEWER, "checked by hand",
              clock.instant()));
        }).build();

    Decision<Score> d = aims.system("credit-scoring").useCase("score").model(SCORER).input(applicant(900))
        .call(Fixtures::score);

    assertThat(d.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(reviews).hasValue(1);
  }

  @Test
  void lowerRiskTiersAndTheDefaultGateAreNotChecked() {
    assertThat(AiSystem.builder("bot").owner("o").purpose("p").riskTier(RiskTier.LIMITED)
        .validationGate(ValidationGate.REFUSE).allowModel(SCORER).build().unvalidated(SCORER)).isEmpty();
    assertThat(creditScoring().validationGate()).isEqualTo(ValidationGate.OFF);
  }

  @Test
  void aRecordFileThatClaimsAPassItsMetricsDoNotShowIsRefused() {
    ModelValidation failed = suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, amount -> "refer");
    String forged = failed.toJson().replace("\"passed\" : false", "\"passed\" : true");

    assertThat(ModelValidation.fromJson(failed.toJson(), "v.json")).isEqualTo(failed);
    assertThatThrownBy(() -> ModelValidation.fromJson(forged, "v.json"))
        .hasMessage("v.json: says passed=true but its metrics miss: accuracy 0.3333333333333333 < 0.9");
  }

  @Test
  void badRecordsAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> ModelValidation.of("s", SCORER, "md5:abc", Map.of("a", 1.0), Map.of("a", 0.5), "x",
        Instant.EPOCH)).hasMessageContaining("artefactDigest of validation 's' must be sha256:");
    assertThatThrownBy(() -> ModelValidation.of("s", SCORER, DIGEST, Map.of("a", 1.0), Map.of("b", 0.5), "x",
        Instant.EPOCH)).hasMessage("validation 's' has a threshold for metric 'b' but no such metric (metrics: [a])");
    assertThatThrownBy(() -> ModelValidation.of("s", SCORER, DIGEST, Map.of("a", 1.0), Map.of(), "x", Instant.EPOCH))
        .hasMessageContaining("has no threshold");
    assertThatThrownBy(() -> suite(0.9).run(SCORER, DIGEST, "ml-lead", clock, amount -> {
      throw new IllegalStateException("model offline");
    })).hasMessageContaining("the model failed on golden example 0");
    assertThat(List.of(ValidationGate.values())).containsExactly(ValidationGate.OFF, ValidationGate.REFUSE,
        ValidationGate.REVIEW);
  }
}
