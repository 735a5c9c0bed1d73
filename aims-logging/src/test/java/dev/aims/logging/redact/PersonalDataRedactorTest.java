package dev.aims.logging.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Redactor;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PersonalDataRedactorTest {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
  final ObjectMapper mapper = EventEncoder.newMapper();

  ObjectNode body(String json) throws Exception {
    return (ObjectNode) mapper.readTree(json);
  }

  static PersonalDataRedactor defaults() {
    return PersonalDataRedactor.builder().withDefaultDetectors().build();
  }

  // --- field rules

  @Test
  void maskReplacesTheValueAndDropRemovesTheField() throws Exception {
    ObjectNode body = body("""
        {"input": {"name": "Jane Doe", "dob": "1990-01-01", "amount": 5000,
                   "people": [{"ssn": "123-45-6789"}, {"ssn": "987-65-4321"}]}}""");

    PersonalDataRedactor.builder().mask("input.name").drop("input.dob").mask("input.people.ssn")
        .build().redact(body);

    assertThat(CanonicalJson.write(body)).isEqualTo(
        "{\"input\":{\"amount\":5000,\"name\":\"[masked]\",\"people\":[{\"ssn\":\"[masked]\"},"
            + "{\"ssn\":\"[masked]\"}]}}");
  }

  @Test
  void aWildcardMatchesEveryFieldAndAnAbsentPathIsIgnored() throws Exception {
    ObjectNode body = body("{\"output\": {\"a\": 1, \"b\": {\"c\": 2}}}");

    PersonalDataRedactor.builder().mask("output.*").drop("input.missing.field").build().redact(body);

    assertThat(CanonicalJson.write(body)).isEqualTo("{\"output\":{\"a\":\"[masked]\",\"b\":\"[masked]\"}}");
  }

  @Test
  void keyedHashIsTheHmacOfTheCanonicalJsonSoEqualValuesJoin() throws Exception {
    ObjectNode first = body("{\"input\": {\"customer\": \"C-1001\", \"address\": {\"zip\": \"10115\", \"city\": \"Berlin\"}}}");
    ObjectNode second = body("{\"input\": {\"customer\": \"C-1001\", \"address\": {\"city\": \"Berlin\", \"zip\": \"10115\"}}}");
    PersonalDataRedactor redactor = PersonalDataRedactor.builder()
        .keyedHash("input.customer", KEY).keyedHash("input.address", KEY).build();

    redactor.redact(first);
    redactor.redact(second);

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = "hmac-sha256:" + java.util.HexFormat.of()
        .formatHex(mac.doFinal("\"C-1001\"".getBytes(StandardCharsets.UTF_8)));
    assertThat(first.at("/input/customer").asText()).isEqualTo(expected);
    assertThat(first.at("/input/address").asText()).matches("hmac-sha256:[0-9a-f]{64}");
    assertThat(first).isEqualTo(second); // key order does not matter: the canonical form is hashed
  }

  @Test
  void differentKeysGiveDifferentHashes() throws Exception {
    ObjectNode a = body("{\"input\": {\"customer\": \"C-1001\"}}");
    ObjectNode b = a.deepCopy();

    PersonalDataRedactor.builder().keyedHash("input.customer", KEY).build().redact(a);
    PersonalDataRedactor.builder().keyedHash("input.customer", OTHER_KEY).build().redact(b);

    assertThat(a.at("/input/customer").asText()).isNotEqualTo(b.at("/input/customer").asText());
  }

  @Test
  void theKeyIsCopiedSoChangingTheCallersArrayChangesNothing() throws Exception {
    byte[] key = KEY.clone();
    PersonalDataRedactor redactor = PersonalDataRedactor.builder().keyedHash("input.id", key).build();
    ObjectNode before = body("{\"input\": {\"id\": 7}}");
    redactor.redact(before);

    key[0] ^= 1;
    ObjectNode after = body("{\"input\": {\"id\": 7}}");
    redactor.redact(after);

    assertThat(after).isEqualTo(before);
  }

  // --- detectors in the body

  @Test
  void fieldRulesRunFirstThenDetectorsReplaceMatchesWithTypedPlaceholders() throws Exception {
    ObjectNode body = body("""
        {"input": {"customer_email": "jane@example.com",
                   "note": "IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111, mail j@x.org,",
                   "ip": "from 192.168.0.1 or 2001:db8::7, call +49 30 1234567"},
         "rationale": "called 030 1234567",
         "reasons": [{"message": "jane@example.com"}]}""");

    PersonalDataRedactor.builder().keyedHash("input.customer_email", KEY).withDefaultDetectors()
        .build().redact(body);

    assertThat(body.at("/input/customer_email").asText()).startsWith("hmac-sha256:");
    assertThat(body.at("/input/note").asText())
        .isEqualTo("IBAN [iban], card [card], mail [email],");
    assertThat(body.at("/input/ip").asText()).isEqualTo("from [ipv4] or [ipv6], call [phone]");
    assertThat(body.at("/rationale").asText()).isEqualTo("called [phone]");
    // reasons are not scanned by default
    assertThat(body.at("/reasons/0/message").asText()).isEqualTo("jane@example.com");
  }

  @Test
  void scanChoosesTheSubtreesDetectorsWalk() throws Exception {
    ObjectNode body = body("{\"input\": \"jane@example.com\", \"error\": \"bad address jane@example.com\"}");

    PersonalDataRedactor.builder().withDefaultDetectors().scan("error").build().redact(body);

    assertThat(body.get("input").asText()).isEqualTo("jane@example.com");
    assertThat(body.get("error").asText()).isEqualTo("bad address [email]");
  }

  @Test
  void anIntegralNumberThatIsACardBecomesThePlaceholderString() throws Exception {
    ObjectNode body = body("{\"input\": {\"card\": 4111111111111111, \"amount\": 1500000, \"rate\": 0.4111111111111111}}");

    defaults().redact(body);

    assertThat(body.at("/input/card").isTextual()).isTrue();
    assertThat(body.at("/input/card").asText()).isEqualTo("[card]");
    assertThat(body.at("/input/amount").asLong()).isEqualTo(1500000);
    assertThat(body.at("/input/rate").isNumber()).isTrue();
  }

  @Test
  void detectorsWalkArraysAndNestedObjects() throws Exception {
    ObjectNode body = body("{\"output\": [[\"a@example.com\", {\"x\": [\"10.0.0.1\"]}], null, true]}");

    defaults().redact(body);

    assertThat(CanonicalJson.write(body)).isEqualTo("{\"output\":[[\"[email]\",{\"x\":[\"[ipv4]\"]}],null,true]}");
  }

  @Test
  void aPluggedInDetectorRunsAfterTheOthersInTheOrderGiven() {
    PersonalDataRedactor redactor = PersonalDataRedactor.builder()
        .withDefaultDetectors()
        .detectors(PiiDetector.ofPattern("customer-id", Pattern.compile("\\bC-\\d{6}\\b")))
        .build();

    assertThat(redactor.redactText("customer C-123456 wrote from jane@example.com"))
        .isEqualTo("customer [customer-id] wrote from [email]");
  }

  @Test
  void fieldNamesAreNotScanned() throws Exception {
    ObjectNode body = body("{\"input\": {\"jane@example.com\": 1}}");

    defaults().redact(body);

    assertThat(body.at("/input").fieldNames().next()).isEqualTo("jane@example.com");
  }

  // --- never throws

  @Test
  void aFailingDetectorLosesTheTextInsteadOfLeakingItOrThrowing() throws Exception {
    PiiDetector broken = new PiiDetector() {
      @Override
      public String kind() {
        return "broken";
      }

      @Override
      public List<Match> find(String text) {
        throw new IllegalStateException("boom");
      }
    };
    ObjectNode body = body("{\"input\": {\"note\": \"jane@example.com\", \"n\": 5}}");

    PersonalDataRedactor.builder().detectors(broken).build().redact(body);

    assertThat(body.at("/input/note").asText()).isEqualTo(PersonalDataRedactor.DETECTOR_FAILED);
  }

  @Test
  void matchesOutOfOrderOrOutOfRangeAreSkipped() {
    PiiDetector sloppy = new PiiDetector() {
      @Override
      public String kind() {
        return "sloppy";
      }

      @Override
      public List<Match> find(String text) {
        List<Match> matches = new ArrayList<>();
        matches.add(new Match(4, 6));
        matches.add(new Match(0, 2)); // before the previous one
        matches.add(null);
        matches.add(new Match(7, 99)); // past the end
        return matches;
      }
    };

    assertThat(PersonalDataRedactor.builder().detectors(sloppy).build().redactText("abcdefghij"))
        .isEqualTo("abcd[sloppy]ghij");
  }

  @Test
  void nullsEmptyValuesAndLoneSurrogatesPassThrough() throws Exception {
    PersonalDataRedactor redactor = defaults();
    assertThatNoException().isThrownBy(() -> redactor.redact(null));
    assertThat(redactor.redactText(null)).isNull();
    assertThat(redactor.redactText("")).isEmpty();

    String odd = "\uD800 jane@example.com \uDC00 \uD83D\uDE00 4111 1111 1111 1111\uDBFF";
    assertThat(redactor.redactText(odd)).isEqualTo("\uD800 [email] \uDC00 \uD83D\uDE00 [card]\uDBFF");

    ObjectNode body = body("{\"input\": null, \"output\": {}, \"rationale\": \"\"}");
    redactor.redact(body);
    assertThat(CanonicalJson.write(body)).isEqualTo("{\"input\":null,\"output\":{},\"rationale\":\"\"}");
  }

  @Test
  void hugeAndAdversarialStringsAreScannedInLinearTime() {
    PersonalDataRedactor redactor = defaults();
    String[] inputs = {
        "a".repeat(2_000_000),
        "1".repeat(2_000_000),
        "1 ".repeat(1_000_000),
        "a@".repeat(1_000_000),
        "a.".repeat(1_000_000) + "@",
        "1:".repeat(1_000_000),
        "DE89 ".repeat(400_000),
        "(0".repeat(1_000_000),
        "+1 ".repeat(700_000),
    };
    long started = System.nanoTime();
    for (String input : inputs) {
      assertThat(redactor.redactText(input)).isNotNull();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aDeeplyNestedBodyDoesNotOverflowTheStack() throws Exception {
    ObjectNode body = mapper.createObjectNode();
    JsonNode node = body.putArray("input");
    for (int i = 0; i < 100_000; i++) {
      node = ((com.fasterxml.jackson.databind.node.ArrayNode) node).addArray();
    }
    ((com.fasterxml.jackson.databind.node.ArrayNode) node).add("jane@example.com");

    defaults().redact(body);

    assertThat(node.get(0).asText()).isEqualTo("[email]");
  }

  @Test
  void oneRedactorGivesTheSameResultOnManyThreadsAtOnce() throws Exception {
    PersonalDataRedactor redactor = PersonalDataRedactor.builder()
        .keyedHash("input.customer", KEY).withDefaultDetectors().build();
    String json = "{\"input\": {\"customer\": \"C-1\", \"note\": \"jane@example.com 4111 1111 1111 1111"
        + " DE89 3704 0044 0532 0130 00 +49 30 1234567 10.0.0.1 2001:db8::1\"}}";
    ObjectNode expected = body(json);
    redactor.redact(expected);

    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ObjectNode>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          List<ObjectNode> out = new ArrayList<>();
          for (int i = 0; i < 500; i++) {
            ObjectNode b = body(json);
            redactor.redact(b);
            out.add(b);
          }
          return out;
        }));
      }
      start.countDown();
      for (Future<List<ObjectNode>> f : results) {
        assertThat(f.get()).allSatisfy(b -> assertThat(b).isEqualTo(expected));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected.at("/input/note").asText())
        .isEqualTo("[email] [card] [iban] [phone] [ipv4] [ipv6]");
  }

  // --- builder

  @Test
  void theBuilderRejectsBadPathsNamingTheParameter() {
    PersonalDataRedactor.Builder b = PersonalDataRedactor.builder();
    assertThatThrownBy(() -> b.mask(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("path must not be null");
    assertThatThrownBy(() -> b.drop(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must not be blank");
    assertThatThrownBy(() -> b.mask("input..email")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path 'input..email' has an empty segment");
    assertThatThrownBy(() -> b.scan("input.")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scan path 'input.' has an empty segment");
    assertThatThrownBy(() -> b.scan()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scan needs at least one path");
  }

  @Test
  void theBuilderRejectsShortKeysTwoRulesForOnePathAndDuplicateDetectors() {
    PersonalDataRedactor.Builder b = PersonalDataRedactor.builder().mask("input.email");
    assertThatThrownBy(() -> b.keyedHash("input.id", new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key for keyedHash('input.id') must be at least 16 bytes but was 15");
    assertThatThrownBy(() -> b.keyedHash("input.id", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> b.drop("input.email")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path 'input.email' already has a rule (mask)");
    b.withDefaultDetectors();
    assertThatThrownBy(() -> b.detectors(PiiDetector.email()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a detector of kind 'email' was already added");
    assertThatThrownBy(() -> b.detectors((PiiDetector) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("detectors[0] must not be null");
    b.scan("input");
    assertThatThrownBy(() -> b.scan("output")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("scan paths were already set");
  }

  @Test
  void theBuilderRejectsDetectorKindsThatWouldNotMakeAPlaceholder() {
    assertThatThrownBy(() -> PiiDetector.ofPattern("Bad Kind]", Pattern.compile("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kind must be 1 to 32 characters");
    assertThatThrownBy(() -> PiiDetector.ofPattern("ok", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("pattern must not be null");
  }

  @Test
  void buildFailsForARedactorThatWouldDoNothing() {
    assertThatThrownBy(() -> PersonalDataRedactor.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Redactor.none()");
    assertThatThrownBy(() -> PersonalDataRedactor.builder().mask("input.x").scan("input").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no detectors");
  }

  @Test
  void itIsARedactorThatComposes() throws Exception {
    Redactor r = defaults().andThen(Redactor.maskFields("output"));
    ObjectNode body = body("{\"input\": \"jane@example.com\", \"output\": \"x\"}");

    r.redact(body);

    assertThat(CanonicalJson.write(body)).isEqualTo("{\"input\":\"[email]\",\"output\":\"[masked]\"}");
  }
}
