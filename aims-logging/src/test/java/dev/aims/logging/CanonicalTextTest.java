package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CanonicalTextTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  static String text(JsonNode node) {
    StringBuilder out = new StringBuilder();
    CanonicalText.append(node, out);
    return out.toString();
  }

  static void assertSameAsCanonicalJson(double d) {
    DoubleNode node = DoubleNode.valueOf(d);
    assertThat(text(node)).as("double %s (bits %x)", d, Double.doubleToRawLongBits(d))
        .isEqualTo(CanonicalJson.write(node));
  }

  @Test
  void writesEveryKindOfDoubleAsCanonicalJsonDoes() {
    double[] special = {0.1, 0.2, 0.3, 0.31, 1.0 / 3, 2.0 / 3, 12_000, 58_000.5, 1e21, 1e22, 1e-6, 1e-7, 123e-20,
        5e-324, Double.MIN_NORMAL, Math.nextUp(Double.MIN_NORMAL), Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE,
        2.82879384806159e17, 1.9400994884341945e25, 5.0e-324 * 3, 9007199254740993.0, 4.35, 0.1 + 0.2, 100, 1,
        -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.5, 2e-3, 1.0e23, 8.41e21, 9.5e-5};
    for (double d : special) {
      assertSameAsCanonicalJson(d);
      assertSameAsCanonicalJson(-d);
      assertSameAsCanonicalJson(Math.nextUp(d));
      assertSameAsCanonicalJson(Math.nextDown(d));
    }
    SplittableRandom random = new SplittableRandom(20261123);
    for (int i = 0; i < 50_000; i++) {
      assertSameAsCanonicalJson(Double.longBitsToDouble(random.nextLong())); // any bit pattern
      long scaled = random.nextLong(1, 10_000_000_000L);
      assertSameAsCanonicalJson(scaled / Math.pow(10, random.nextInt(0, 12))); // the decimals applications log
      assertSameAsCanonicalJson(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
    }
  }

  @Test
  void writesObjectsArraysStringsAndNumbersAsCanonicalJsonDoes() {
    ObjectNode node = JSON.objectNode();
    node.put("z", "quote \" backslash \\ tab \t newline \n bell \u0007 é 漢 \uD83D\uDE00 lone \uD800 x \uDC00");
    node.put("a", 42);
    node.put("big", new BigInteger("123456789012345678901234567890"));
    node.put("dec", new BigDecimal("0.1000"));
    node.put("f", 0.1f);
    node.put("long", Long.MIN_VALUE);
    node.putNull("nothing");
    node.put("yes", true);
    node.putArray("list").add(1).add("two").add(3.5).addObject().put("b", 1).put("a", 2);
    node.putObject("nested").put("é", 1).put("e", 2).put("E", 3);
    assertThat(text(node)).isEqualTo(CanonicalJson.write(node));
  }

  @Test
  void aPreparedRecordIsTheCanonicalJsonOfBodyAndEnvelope() {
    ObjectNode body = JSON.objectNode();
    body.put("type", "decision.final");
    body.put("ts", "2026-11-23T14:05:31.512Z");
    body.put("decision_id", "5b0c7a52");
    body.putObject("input").put("amount", 12_000.0).put("debt_ratio", 0.31);
    body.putObject("output").put("score", 0.8731);
    body.put("reasons", "r"); // between "prev" and "seq"
    body.put("policy_version", "2026-11");
    body.put("verdict", "ALLOW"); // after "v"
    String prev = "ab".repeat(32);
    long seq = 1234;
    RecordLayout.Prepared p = RecordLayout.prepare(body, "node-1");
    String unhashed = new String(p.head, StandardCharsets.UTF_8) + prev + new String(p.mid, StandardCharsets.UTF_8)
        + seq + new String(p.tail, StandardCharsets.UTF_8) + "}";

    ObjectNode record = body.deepCopy();
    record.put("v", RecordLayout.SCHEMA_VERSION);
    record.put("seq", seq);
    record.put("stream", "node-1");
    record.put("prev", prev);
    assertThat(unhashed).isEqualTo(CanonicalJson.write(record));
  }
}
