package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.EventTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordEncodingTest {
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();

  ObjectNode finalRecord() {
    List<ObjectNode> finals = log.json(e -> e.type().equals(EventTypes.DECISION_FINAL));
    assertThat(finals).hasSize(1);
    return finals.get(0);
  }

  /** Jackson cannot serialise this: it has no properties and a self-reference through a getter. */
  static final class Opaque {
    public Opaque getSelf() {
      return this;
    }
  }

  @Test
  void anInputJacksonCannotSerialiseIsRecordedAsAMarkerNamingTheType() {
    Aims aims = Aims.builder().register(chatbot()).decisionLog(log).build();

    Decision<String> d = aims.system("support-bot").useCase("answer").model(SCORER).input(new Opaque())
        .call(in -> "fine");

    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    JsonNode input = finalRecord().get("input");
    assertThat(input.get("aims_unserializable").asText()).isEqualTo(Opaque.class.getName());
    assertThat(input.get("error").asText()).isNotBlank();
    assertThat(finalRecord().get("output").asText()).isEqualTo("fine");
  }

  @Test
  void aTenMegabyteInputIsCappedWithTheDigestOfTheFullValue() throws Exception {
    Aims aims = Aims.builder().register(chatbot()).decisionLog(log).build();
    String huge = "x".repeat(10 * 1024 * 1024);

    aims.system("support-bot").useCase("answer").model(SCORER).input(huge).call(in -> "short");

    JsonNode input = finalRecord().get("input");
    byte[] full = ("\"" + huge + "\"").getBytes(StandardCharsets.UTF_8);
    assertThat(input.get("aims_truncated").asBoolean()).isTrue();
    assertThat(input.get("bytes").asLong()).isEqualTo(full.length);
    assertThat(input.get("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(full)));
    assertThat(input.get("preview").asText()).hasSize(256).startsWith("\"xxx");
    assertThat(CanonicalJson.bytes(finalRecord()).length).isLessThan(2048);
  }

  @Test
  void maskedFieldsNeverReachTheRecordAndOtherSystemsAreUntouched() {
    Aims aims = Aims.builder()
        .register(creditScoring()).register(chatbot())
        .redactor("credit-scoring", Redactor.maskFields("input.email", "output.*"))
        .decisionLog(log).build();

    aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score);

    ObjectNode record = finalRecord();
    assertThat(record.get("input").get("email").asText()).isEqualTo("[masked]");
    assertThat(record.get("input").get("amount").asDouble()).isEqualTo(1.0);
    assertThat(record.get("output").get("value").asText()).isEqualTo("[masked]");
    assertThat(CanonicalJson.write(record)).doesNotContain("jane.doe@example.com");
  }

  @Test
  void maskingWalksArrays() {
    ObjectNode body = EventEncoder.newMapper().createObjectNode();
    body.putObject("input").putArray("people").addObject().put("email", "a@b.c").put("age", 3);

    Redactor.maskFields("input.people.email").redact(body);

    assertThat(body.at("/input/people/0/email").asText()).isEqualTo("[masked]");
    assertThat(body.at("/input/people/0/age").asInt()).isEqualTo(3);
  }

  @Test
  void protectedAttributesStayOutOfTheLogUnlessConfigured() {
    Aims quiet = Aims.builder().register(creditScoring()).decisionLog(log).build();
    quiet.system("credit-scoring").useCase("score").input(applicant(1)).protectedAttribute("age_band", "65+")
        .call(Fixtures::score);
    assertThat(finalRecord().has("protected_attributes")).isFalse();
    assertThat(CanonicalJson.write(finalRecord())).doesNotContain("65+");

    InMemoryDecisionLog second = InMemoryDecisionLog.create();
    Aims loud = Aims.builder().register(creditScoring()).decisionLog(second).logProtectedAttributes(true).build();
    loud.system("credit-scoring").useCase("score").input(applicant(1)).protectedAttribute("age_band", "65+")
        .call(Fixtures::score);
    assertThat(second.json(e -> e.type().equals(EventTypes.DECISION_FINAL)).get(0)
        .get("protected_attributes").get("age_band").asText()).isEqualTo("65+");
  }

  @Test
  void recordsUseTheContractsSnakeCaseFieldNames() {
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).build();
    aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score);

    assertThat(finalRecord().properties()).extracting(e -> e.getKey())
        .contains("type", "ts", "decision_id", "system", "use_case", "model", "input", "output", "verdict",
            "outcome", "reasons", "latency_ms", "policy_version");
    assertThat(finalRecord().get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(finalRecord().get("model").get("version").asText()).isEqualTo("2.1");
  }
}
