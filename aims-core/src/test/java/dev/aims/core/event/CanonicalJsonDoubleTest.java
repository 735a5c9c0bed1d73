package dev.aims.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalJson}'s fast paths for doubles (integral values, {@code Double.toString}'s digits
 * when there are at most 15) against the reference search, and its size bound against real sizes.
 */
class CanonicalJsonDoubleTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  static void assertSameAsSearch(double d) {
    StringBuilder fast = new StringBuilder();
    CanonicalJson.appendDouble(d, fast);
    StringBuilder searched = new StringBuilder();
    CanonicalJson.appendDoubleBySearch(d, searched);
    assertThat(fast.toString()).as("double %s (bits %x)", d, Double.doubleToRawLongBits(d))
        .isEqualTo(searched.toString());
  }

  @Test
  void everyKindOfDoubleIsWrittenAsTheSearchWritesIt() {
    double[] special = {0.1, 0.2, 0.3, 0.31, 1.0 / 3, 2.0 / 3, 12_000, 58_000.5, 1e21, 1e22, 1e-6, 1e-7, 123e-20,
        5e-324, Double.MIN_NORMAL, Math.nextUp(Double.MIN_NORMAL), Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE,
        2.82879384806159e17, 1.9400994884341945e25, 5.0e-324 * 3, 9007199254740993.0, 9007199254740992.0,
        9007199254740991.0, 4.35, 0.1 + 0.2, 100, 1, 10, 1e15, 1e16, 1e17, 123456789012345678.0, 0.5, 0.001,
        0.0001, 1e7, 9999999.999, 1e-3 - 1e-19, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, -1.5, 2e-3, 1.0e23, 8.41e21, 9.5e-5};
    for (double d : special) {
      assertSameAsSearch(d);
      assertSameAsSearch(-d);
      assertSameAsSearch(Math.nextUp(d));
      assertSameAsSearch(Math.nextDown(d));
    }
    SplittableRandom random = new SplittableRandom(20261123);
    for (int i = 0; i < 150_000; i++) {
      assertSameAsSearch(Double.longBitsToDouble(random.nextLong())); // any bit pattern
      long scaled = random.nextLong(1, 10_000_000_000L);
      assertSameAsSearch(scaled / Math.pow(10, random.nextInt(0, 12))); // the decimals applications log
      assertSameAsSearch(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
      assertSameAsSearch(random.nextLong(-(1L << 54), 1L << 54)); // integers, some beyond 2^53
    }
  }

  @Test
  void objectsArraysStringsAndNumbersAreWrittenAsBefore() {
    ObjectNode node = mixed();
    // the output of the implementation before the fast paths, kept as a fixture
    assertThat(CanonicalJson.write(node)).isEqualTo("{\"a\":42,\"big\":123456789012345678901234567890,\"dec\":0.1,"
        + "\"f\":0.10000000149011612,\"list\":[1,\"two\",3.5,{\"a\":2,\"b\":1}],\"long\":-9223372036854775808,"
        + "\"nested\":{\"E\":3,\"e\":2,\"\u00e9\":1},\"nothing\":null,\"yes\":true,"
        + "\"z\":\"quote \\\" backslash \\\\ tab \\t newline \\n bell \\u0007 \u00e9 \u6f22 \ud83d\ude00 lone \\ud800"
        + " x \\udc00\"}");
  }

  @Test
  void theSizeBoundIsNeverBelowTheRealSize() {
    ObjectNode worst = JSON.objectNode();
    worst.put("controls", "\u0001\u0002\u001f\u0000");
    worst.put("lone", "\ud800\udc00\udc00\ud800");
    worst.put("wide", "\u6f22\u6f22\uffff");
    worst.put("d1", -1.2345678901234567e-308);
    worst.put("d2", -0.0000012345678901234567);
    worst.put("d3", -123456789012345678901.0);
    worst.put("nan", Double.NEGATIVE_INFINITY);
    worst.put("min", Long.MIN_VALUE);
    worst.put("big", new BigInteger("-" + "9".repeat(100)));
    worst.put("bigdec", new BigDecimal("-1.2345678901234567e-300"));
    worst.putArray("empty");
    worst.putObject("nested").set("x", mixed());
    for (JsonNode n : new JsonNode[] {worst, mixed(), JSON.textNode(""), JSON.arrayNode(), JSON.nullNode()}) {
      long real = CanonicalJson.bytes(n).length;
      assertThat(CanonicalJson.maxUtf8Length(n, Long.MAX_VALUE / 2)).as("%s", n).isGreaterThanOrEqualTo(real);
    }
    // each field alone is at its worst per char or per number
    worst.properties().forEach(e -> assertThat(CanonicalJson.maxUtf8Length(e.getValue(), Long.MAX_VALUE / 2))
        .as(e.getKey()).isGreaterThanOrEqualTo(CanonicalJson.write(e.getValue()).getBytes(StandardCharsets.UTF_8).length));
    // past the limit it stops early but still answers above the limit
    assertThat(CanonicalJson.maxUtf8Length(worst, 10)).isGreaterThan(10);
  }

  static ObjectNode mixed() {
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
    return node;
  }
}
