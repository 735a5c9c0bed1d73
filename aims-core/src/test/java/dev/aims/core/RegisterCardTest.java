package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisterCardTest {
  static final String REGISTER = """
      {"systems":[{"id":"credit-scoring","owner":"risk-team","purpose":"score loans","riskTier":"HIGH",
        "allowedModels":[{"provider":"acme","name":"scorer","version":"2.1"}],"reviewCadence":"P90D",
        "card":{"intendedUse":"pre-screen consumer loans up to 50 000 EUR","dataInputs":["income","amount"],
          "dataOutputs":["score"],"affectedPersons":["loan applicants"],
          "oversight":"loans above 50 000 EUR wait for a credit officer","impactAssessment":"DPIA-2026-07",
          "lastReviewed":"2026-09-01"}}]}""";
  final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");

  static List<AiSystem> read(String json) throws Exception {
    return AiRegister.readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "register.json");
  }

  @Test
  void theCardIsRecordedWithTheEntryWhenLoadedAndWhenChanged() throws Exception {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    Aims aims = Aims.builder().registerAll(read(REGISTER)).decisionLog(log).clock(clock).build();
    AiSystem loaded = aims.register().get("credit-scoring");
    aims.register().update(loaded.toBuilder().card(new SystemCard(loaded.card().intendedUse(),
        loaded.card().dataInputs(), loaded.card().dataOutputs(), loaded.card().affectedPersons(),
        loaded.card().oversight(), "DPIA-2026-11", clock.instant())).build());

    List<JsonNode> changes = log.json(e -> e.type().equals(EventTypes.REGISTER_CHANGED)).stream()
        .map(n -> n.get("definition")).map(JsonNode.class::cast).toList();
    assertThat(changes).hasSize(2);
    JsonNode card = changes.get(0).get("card");
    assertThat(card.get("intended_use").asText()).isEqualTo("pre-screen consumer loans up to 50 000 EUR");
    assertThat(card.get("data_inputs")).hasSize(2);
    assertThat(card.get("affected_persons").get(0).asText()).isEqualTo("loan applicants");
    assertThat(card.get("oversight").asText()).startsWith("loans above");
    assertThat(card.get("last_reviewed").asText()).isEqualTo("2026-09-01T00:00:00.000000Z");
    assertThat(changes.get(0).get("review_cadence").asLong()).isEqualTo(Duration.ofDays(90).toSeconds());
    assertThat(changes.get(1).at("/card/impact_assessment").asText()).isEqualTo("DPIA-2026-11");
  }

  @Test
  void anEntryWithoutACardOrAGateEncodesAsBefore() {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    Aims.builder().register(creditScoring()).decisionLog(log).clock(clock).build();

    JsonNode def = log.json(e -> e.type().equals(EventTypes.REGISTER_CHANGED)).get(0).get("definition");
    List<String> fields = new java.util.ArrayList<>();
    def.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder("id", "name", "owner", "purpose", "risk_tier", "allowed_models",
        "any_model", "review_cadence", "on_log_failure");
  }

  @Test
  void anEntryPastItsReviewCadenceRaisesTheOverdueMeter() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    clock.set(Instant.parse("2026-11-30T00:00:00Z")); // last review 2026-09-01 + 90 days = 2026-11-30
    Aims aims = Aims.builder().registerAll(read(REGISTER)).register(chatbot()).meterRegistry(registry).clock(clock)
        .build();
    assertThat(aims.register().get("credit-scoring").nextReviewDue()).contains(Instant.parse("2026-11-30T00:00:00Z"));

    assertThat(registry.get("aims.register.review.overdue").tag("system", "credit-scoring").gauge().value()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(registry.get("aims.register.review.overdue").tag("system", "credit-scoring").gauge().value())
        .isEqualTo(1);
    // no last review given: nothing to measure from
    assertThat(registry.get("aims.register.review.overdue").tag("system", "support-bot").gauge().value()).isZero();
  }

  @Test
  void aCardWithAnUnknownFieldOrABadDateIsRefusedWithItsPath() {
    assertThatThrownBy(() -> read(REGISTER.replace("\"oversight\"", "\"oversite\"")))
        .hasMessageContaining("register.json: systems[0].card: unknown field 'oversite'");
    assertThatThrownBy(() -> read(REGISTER.replace("2026-09-01", "last spring")))
        .hasMessageContaining("systems[0].card.lastReviewed: 'last spring' is not a date");
    assertThatThrownBy(() -> read(REGISTER.replace("\"intendedUse\":\"pre-screen consumer loans up to 50 000 EUR\",", "")))
        .hasMessageContaining("systems[0].card.intendedUse: missing");
  }
}
