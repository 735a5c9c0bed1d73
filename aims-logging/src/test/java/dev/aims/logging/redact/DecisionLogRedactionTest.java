package dev.aims.logging.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redaction as the decision log sees it: through a real {@link Aims} and its event encoder. */
class DecisionLogRedactionTest {
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final byte[] KEY = "a 32 byte key for the join hash!".getBytes(StandardCharsets.UTF_8);

  static final String EMAIL = "jane.doe@example.com";
  static final String IBAN = "DE89 3704 0044 0532 0130 00";
  static final String CARD = "4111 1111 1111 1111";

  record LoanApplication(
      String customerId, String name, String email, String iban, String cardNumber, double amount,
      String note) {}

  static LoanApplication application() {
    return new LoanApplication("C-1001", "Jane Doe", EMAIL, IBAN, CARD, 25_000,
        "Pay out to " + IBAN.replace(" ", "") + "; card on file " + CARD.replace(" ", "-")
            + "; questions to " + EMAIL);
  }

  static AiSystem creditScoring() {
    return AiSystem.builder("credit-scoring").owner("risk-team")
        .purpose("score consumer loan applications").riskTier(RiskTier.HIGH).allowModel(SCORER).build();
  }

  static AiSystem supportBot() {
    return AiSystem.builder("support-bot").owner("support")
        .purpose("answer customer questions").riskTier(RiskTier.LIMITED).anyModel().build();
  }

  static PersonalDataRedactor creditScoringRedactor() {
    return PersonalDataRedactor.builder()
        .keyedHash("input.customer_id", KEY)
        .mask("input.name")
        .withDefaultDetectors()
        .build();
  }

  static Aims aims(InMemoryDecisionLog log) {
    return Aims.builder()
        .register(creditScoring())
        .register(supportBot())
        .redactor("credit-scoring", creditScoringRedactor())
        .decisionLog(log)
        .build();
  }

  static ObjectNode score(Aims aims, InMemoryDecisionLog log) {
    aims.system("credit-scoring").useCase("score").input(application())
        .call(a -> "approved; confirmation sent to " + a.email());
    List<ObjectNode> finals = log.json(e -> e.type().equals(EventTypes.DECISION_FINAL)
        && e.system().equals("credit-scoring"));
    return finals.get(finals.size() - 1);
  }

  @Test
  void anEmailIbanAndCardNumberInAnInputAreAbsentFromTheLogAndReplacedPerTheRules() {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();

    ObjectNode record = score(aims(log), log);

    for (ObjectNode body : log.json(e -> true)) {
      assertThat(CanonicalJson.write(body)).doesNotContain(
          EMAIL, IBAN, IBAN.replace(" ", ""), CARD, CARD.replace(" ", ""), CARD.replace(" ", "-"),
          "Jane Doe", "C-1001");
    }
    assertThat(record.at("/input/email").asText()).isEqualTo("[email]");
    assertThat(record.at("/input/iban").asText()).isEqualTo("[iban]");
    assertThat(record.at("/input/card_number").asText()).isEqualTo("[card]");
    assertThat(record.at("/input/note").asText())
        .isEqualTo("Pay out to [iban]; card on file [card]; questions to [email]");
    assertThat(record.at("/input/name").asText()).isEqualTo("[masked]");
    assertThat(record.at("/input/customer_id").asText()).matches("hmac-sha256:[0-9a-f]{64}");
    assertThat(record.at("/input/amount").asDouble()).isEqualTo(25_000);
    assertThat(record.at("/output").asText()).isEqualTo("approved; confirmation sent to [email]");
  }

  @Test
  void theRedactedFormIsDeterministicSoTheSameInputJoinsAcrossDecisions() {
    InMemoryDecisionLog first = InMemoryDecisionLog.create();
    InMemoryDecisionLog second = InMemoryDecisionLog.create();
    Aims aims = aims(first);

    ObjectNode a = score(aims, first);
    ObjectNode b = score(aims, first);
    ObjectNode c = score(aims(second), second);

    assertThat(a.get("decision_id")).isNotEqualTo(b.get("decision_id"));
    assertThat(CanonicalJson.write(a.get("input"))).isEqualTo(CanonicalJson.write(b.get("input")))
        .isEqualTo(CanonicalJson.write(c.get("input")));
    assertThat(CanonicalJson.write(a.get("output"))).isEqualTo(CanonicalJson.write(c.get("output")));
  }

  @Test
  void redactionIsConfiguredPerSystemAndAnotherSystemStaysUnredacted() {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    Aims aims = aims(log);

    score(aims, log);
    aims.system("support-bot").useCase("answer").model(SCORER)
        .input("my card " + CARD + " was charged twice, mail me at " + EMAIL).call(in -> "sorry!");

    ObjectNode bot = log.json(e -> e.type().equals(EventTypes.DECISION_FINAL)
        && e.system().equals("support-bot")).get(0);
    assertThat(bot.get("input").asText()).contains(CARD, EMAIL);
    ObjectNode scoring = log.json(e -> e.type().equals(EventTypes.DECISION_FINAL)
        && e.system().equals("credit-scoring")).get(0);
    assertThat(CanonicalJson.write(scoring)).doesNotContain(EMAIL, CARD);
  }

  @Test
  void aDefaultRedactorCoversSystemsWithoutTheirOwn() {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    Aims aims = Aims.builder()
        .register(creditScoring()).register(supportBot())
        .redactor(PersonalDataRedactor.builder().withDefaultDetectors().build())
        .decisionLog(log)
        .build();

    aims.system("support-bot").useCase("answer").model(SCORER)
        .input("call me on +44 (0)20 7946 0958 or at 192.168.10.20").call(in -> "will do");

    assertThat(log.json(e -> e.type().equals(EventTypes.DECISION_FINAL)).get(0).get("input").asText())
        .isEqualTo("call me on [phone] or at [ipv4]");
  }
}
