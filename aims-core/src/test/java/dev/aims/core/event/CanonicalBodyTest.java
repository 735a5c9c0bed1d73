package dev.aims.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.Redactor;
import dev.aims.core.Verdict;
import dev.aims.core.policy.Reason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The one-pass encoding ({@link EventEncoder#encodeCanonical}) against the tree path it replaces:
 * the same bytes for every kind of value, and the tree path wherever the one pass cannot be exact.
 */
class CanonicalBodyTest {
  final EventEncoder encoder = EventEncoder.plain();

  record Application(String applicationId, double amount, int termMonths, double debtRatio, float rate,
      List<String> tags, Map<String, Object> extra) {}

  record Scored(double score, String grade, boolean approved, BigDecimal limit, BigInteger big, long id,
      short level, byte[] blob, Instant at, Duration took, UUID ref, Verdict verdict, char initial) {}

  static DecisionEvent decision(Object input, Object output) {
    Map<String, Object> features = new LinkedHashMap<>(); // not in key order on purpose
    features.put("term_months", 36);
    features.put("amount", 12_000.0);
    features.put("debt_ratio", 0.31);
    features.put("Zeta", "upper case sorts first");
    features.put("\u00e9t\u00e9", 1);
    return new DecisionEvent(EventTypes.DECISION_FINAL, Instant.parse("2026-11-23T14:05:31.512Z"),
        UUID.fromString("5b0c7a52-3f0e-4a8e-9d1f-2c6b8e41a9d7"), "credit-scoring", "score",
        ModelRef.of("acme", "scorer", "2.1"), null, input, output, null, features, null,
        Verdict.ALLOW, Outcome.ALLOWED, List.of(new Reason("large-loan", "2026-11", Verdict.ALLOW, "below 50000")),
        "2026-11", 3.42, null, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        Actor.of("svc-loan-origination", "service"), null, null);
  }

  static Map<String, Object> awkward() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("quote\"back\\slash", "a\"\\\b\f\n\r\t\u0001\u001f\u007f/\u2028\u00e9");
    m.put("emoji", "\ud83d\ude00 and a lone high \ud800 and a lone low \udc00 and reversed \udc00\ud800");
    m.put("high high low", "\ud800\ud800\udc00");
    m.put("", "empty key");
    m.put("nested", Map.of("b", List.of(3, 2, 1), "a", Map.of("y", true, "x", false)));
    m.put("nulls", Arrays.asList(null, 1, null));
    m.put("empty", Map.of());
    m.put("none", List.of());
    m.put("doubles", List.of(0.1, 1e21, 1e-7, -0.0, 123e-20, Double.NaN, Double.NEGATIVE_INFINITY, 5e-324,
        9007199254740993.0, 0.1 + 0.2));
    m.put("sorted already", new TreeMap<>(Map.of("a", 1, "b", 2)));
    m.put("null value", null);
    return m;
  }

  /** The one pass alone, with no fall-back: fails if it cannot write {@code event}. */
  CanonicalBody direct(AimsEvent event) throws Exception {
    return encoder.writeDirect(event, new CanonicalWriter());
  }

  byte[] tree(AimsEvent event) {
    return CanonicalJson.bytes(encoder.encode(event));
  }

  static void assertMembersMatch(CanonicalBody body, ObjectNode tree) {
    List<String> keys = new ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    keys.sort(null);
    assertThat(body.size()).isEqualTo(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      assertThat(body.key(i)).isEqualTo(keys.get(i));
      byte[] member = new byte[body.memberLength(i)];
      assertThat(body.copyMember(i, member, 0)).isEqualTo(member.length);
      StringBuilder expected = new StringBuilder();
      CanonicalJson.appendString(keys.get(i), expected);
      expected.append(':');
      CanonicalJson.append(tree.get(keys.get(i)), expected);
      assertThat(new String(member, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }
  }

  @Test
  void aDecisionWrittenStraightFromItsObjectsHasTheBytesOfItsTree() throws Exception {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("z", 1);
    extra.put("a", List.of(Map.of("k", 2.5)));
    DecisionEvent event = decision(
        new Application("APP-1", 12_000, 36, 0.31, 0.1f, List.of("new", "mobile"), extra),
        new Scored(0.8731, "B+", true, new BigDecimal("1.10"), new BigInteger("123456789012345678901234567890"),
            Long.MIN_VALUE, (short) -7, new byte[] {0, 1, 2, -1, 127}, Instant.parse("2026-01-02T03:04:05.000000006Z"),
            Duration.ofMillis(1500), UUID.fromString("00000000-0000-0001-0000-000000000002"), Verdict.REVIEW, 'q'));

    CanonicalBody body = direct(event);

    assertThat(body.toByteArray()).isEqualTo(tree(event));
    assertThat(body.toString()).isEqualTo(CanonicalJson.write(encoder.encode(event)));
    assertThat(body.type()).isEqualTo(EventTypes.DECISION_FINAL);
    assertMembersMatch(body, encoder.encode(event));
  }

  @Test
  void escapesSurrogatesUnsortedMapsAndSpecialNumbersAreWrittenAsTheTreeWritesThem() throws Exception {
    DecisionEvent event = decision(awkward(), List.of(awkward(), "text", 42, 2.5f));

    assertThat(direct(event).toString()).isEqualTo(new String(tree(event), StandardCharsets.UTF_8));
    assertThat(direct(event).toByteArray()).isEqualTo(tree(event));
  }

  @Test
  void oneWriterReusedForEventsOfDifferentShapesWritesEachAsItsTree() throws Exception {
    CanonicalWriter writer = new CanonicalWriter();
    String a = "alpha";
    String b = "beta";
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put(a, 1);
    ab.put(b, 2);
    Map<String, Object> ba = new LinkedHashMap<>(); // the same key instances, the other way round
    ba.put(b, 2);
    ba.put(a, 1);
    List<DecisionEvent> events = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      events.add(decision(ab, ba));
      events.add(decision(ba, List.of(ab, ba)));
      events.add(decision(awkward(), "plain"));
      events.add(decision(Map.of(), 7));
    }
    for (int i = 0; i < 40; i++) { // more shapes than the writer remembers
      events.add(decision(Map.of("k" + i, i, "j" + i, -i, "l" + i, i / 2.0), Map.of()));
    }
    events.addAll(events.subList(0, 12));
    for (DecisionEvent event : events) {
      assertThat(encoder.writeDirect(event, writer).toByteArray()).isEqualTo(tree(event));
      writer.forgetKeys();
    }
  }

  @Test
  void randomDoublesAndLongsAreWrittenAsTheTreeWritesThem() throws Exception {
    SplittableRandom random = new SplittableRandom(11_23);
    double[] doubles = new double[20_000];
    long[] longs = new long[2_000];
    for (int i = 0; i < doubles.length; i += 4) {
      doubles[i] = Double.longBitsToDouble(random.nextLong());
      doubles[i + 1] = random.nextLong(1, 10_000_000_000L) / Math.pow(10, random.nextInt(0, 14));
      doubles[i + 2] = random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
      doubles[i + 3] = -random.nextInt(0, 1_000_000) / 100.0;
    }
    for (int i = 0; i < longs.length; i++) {
      longs[i] = random.nextLong();
    }
    DecisionEvent event = decision(doubles, longs);
    EventEncoder roomy = new EventEncoder(system -> Redactor.none(), 16 << 20);

    assertThat(roomy.writeDirect(event, new CanonicalWriter()).toByteArray())
        .isEqualTo(CanonicalJson.bytes(roomy.encode(event)));
  }

  /** Jackson cannot serialise this: no properties and a self-reference through a getter. */
  static final class Opaque {
    public Opaque getSelf() {
      return this;
    }
  }

  /** A property and an any-getter entry with the same name: a tree keeps the last one. */
  static final class Twice {
    public int getA() {
      return 1;
    }

    @JsonAnyGetter
    public Map<String, Object> more() {
      return Map.of("a", 2);
    }
  }

  record Raw(@JsonRawValue String json) {}

  @Test
  void whatTheOnePassCannotWriteExactlyGoesThroughTheTreeWithTheSameResult() throws Exception {
    List<DecisionEvent> events = List.of(
        decision(new Opaque(), "fine"), // unserialisable: a marker
        decision("x".repeat(EventEncoder.DEFAULT_MAX_PAYLOAD_BYTES), "short"), // over the cap: truncated
        decision(new Twice(), "fine"), // a key twice
        decision(new Raw("{\"b\":1,  \"a\":2}"), "fine")); // raw JSON
    for (DecisionEvent event : events) {
      assertThatThrownBy(() -> direct(event)).as("the one pass refuses %s", event.input().getClass())
          .isInstanceOfAny(RuntimeException.class, java.io.IOException.class);

      CanonicalBody body = encoder.encodeCanonical(event);

      assertThat(body.toByteArray()).isEqualTo(tree(event));
      assertMembersMatch(body, encoder.encode(event));
    }
    JsonNode capped = encoder.encode(events.get(1)).get("input");
    assertThat(capped.get("aims_truncated").asBoolean()).isTrue();
    assertThat(encoder.encode(events.get(2)).get("input").get("a").asInt()).isEqualTo(2);
  }

  @Test
  void aPayloadExactlyAtTheCapIsKeptByTheOnePass() throws Exception {
    // a JSON string of the cap's size: quotes plus cap - 2 characters
    DecisionEvent event = decision("y".repeat(EventEncoder.DEFAULT_MAX_PAYLOAD_BYTES - 2), "short");

    CanonicalBody body = direct(event);

    assertThat(body.toByteArray()).isEqualTo(tree(event));
    assertThat(encoder.encode(event).get("input").isTextual()).isTrue();
  }

  @Test
  void aSystemWithARedactorIsEncodedThroughItsTree() {
    EventEncoder masking = new EventEncoder(system -> Redactor.maskFields("input.secret"), 4096);
    DecisionEvent event = decision(Map.of("secret", "jane.doe@example.com", "kept", 1), "fine");

    CanonicalBody body = masking.encodeCanonical(event);

    assertThat(body.toString()).doesNotContain("jane.doe").contains("\"kept\":1");
    assertThat(body.toByteArray()).isEqualTo(CanonicalJson.bytes(masking.encode(event)));
  }

  @Test
  void aLogEntryGivesTheSameCanonicalBodyWhetherOrNotItsTreeWasBuiltFirst() {
    DecisionEvent event = decision(awkward(), "fine");
    LogEntry treeFirst = new LogEntry(event, encoder);
    byte[] fromTree = CanonicalJson.bytes(treeFirst.body());

    assertThat(treeFirst.canonical().toByteArray()).isEqualTo(fromTree);
    assertThat(new LogEntry(event, encoder).canonical().toByteArray()).isEqualTo(fromTree);
    assertThat(new LogEntry(event, encoder).canonicalBody()).isEqualTo(new String(fromTree, StandardCharsets.UTF_8));
  }

  @Test
  void aBodyMadeFromATreeIsItsCanonicalJsonSplitAtItsMembers() throws Exception {
    ObjectNode tree = (ObjectNode) encoder.mapper().readTree("{\"b\":[1,{\"d\":1,\"c\":2}],\"a\":\"\u00e9\","
        + "\"type\":\"log.checkpoint\",\"\":null}");

    CanonicalBody body = CanonicalBody.of(tree);

    assertThat(body.toByteArray()).isEqualTo(CanonicalJson.bytes(tree));
    assertThat(body.length()).isEqualTo(CanonicalJson.bytes(tree).length);
    assertThat(body.type()).isEqualTo("log.checkpoint");
    assertMembersMatch(body, tree);
  }
}
