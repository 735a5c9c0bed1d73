package dev.aims.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The number rules of schema version 2 beyond doubles (integers beyond 2<sup>53</sup>, big
 * decimals, the specials), the same by the tree path and the one pass; version 1's form kept for
 * the verifier; and the size bound the payload cap relies on.
 */
class CanonicalNumbersTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final ObjectMapper MAPPER = EventEncoder.newMapper();
  final NumberPaths paths = new NumberPaths();

  /** {@code value} by the tree path and by the one pass, which must agree. */
  String canonical(Object value) {
    String tree = CanonicalJson.write(MAPPER.valueToTree(value));
    assertThat(paths.onePass(value)).as("one pass of %s (%s)", value, value.getClass().getSimpleName()).isEqualTo(tree);
    return tree;
  }

  @Test
  void integersUpToTwoToThe53AreNumbersAndLargerOnesStringsOfTheirExactDigits() {
    long twoTo53 = 1L << 53;
    assertThat(canonical(twoTo53)).isEqualTo("9007199254740992");
    assertThat(canonical(-twoTo53)).isEqualTo("-9007199254740992");
    assertThat(canonical(twoTo53 + 1)).isEqualTo("\"9007199254740993\"");
    assertThat(canonical(-twoTo53 - 1)).isEqualTo("\"-9007199254740993\"");
    assertThat(canonical(Long.MAX_VALUE)).isEqualTo("\"9223372036854775807\"");
    assertThat(canonical(Long.MIN_VALUE)).isEqualTo("\"-9223372036854775808\"");
    assertThat(canonical(Integer.MIN_VALUE)).isEqualTo("-2147483648");
    assertThat(canonical((short) -7)).isEqualTo("-7");
    assertThat(canonical(0L)).isEqualTo("0");
    assertThat(canonical(BigInteger.valueOf(twoTo53))).isEqualTo("9007199254740992");
    assertThat(canonical(BigInteger.valueOf(twoTo53 + 1))).isEqualTo("\"9007199254740993\"");
    assertThat(canonical(new BigInteger("123456789012345678901234567890"))).isEqualTo("\"123456789012345678901234567890\"");
    assertThat(canonical(new BigInteger("-123456789012345678901234567890"))).isEqualTo("\"-123456789012345678901234567890\"");
    assertThat(canonical(BigInteger.TWO.pow(64))).isEqualTo("\"18446744073709551616\"");
    // a double beyond 2^53 is a double: ECMAScript's form, not a string
    assertThat(canonical(0x1p60)).isEqualTo("1152921504606847000");
    assertThat(canonical(9007199254740993.0)).isEqualTo("9007199254740992");
  }

  @Test
  void aBigDecimalIsANumberWhenItsDoubleDenotesItExactlyAndOtherwiseAStringOfItsExactValue() {
    assertThat(canonical(new BigDecimal("0.1"))).isEqualTo("0.1");
    assertThat(canonical(new BigDecimal("1.10"))).isEqualTo("1.1");
    assertThat(canonical(new BigDecimal("-12345.678"))).isEqualTo("-12345.678");
    assertThat(canonical(new BigDecimal("0E-10"))).isEqualTo("0");
    assertThat(canonical(new BigDecimal("0E+500"))).isEqualTo("0");
    assertThat(canonical(new BigDecimal("1E+21"))).isEqualTo("1e+21");
    assertThat(canonical(new BigDecimal("5e-324"))).isEqualTo("5e-324");
    assertThat(canonical(new BigDecimal("0.1000000000000000055511151231257827"))) // 34 digits, not 0.1's double
        .isEqualTo("\"0.1000000000000000055511151231257827\"");
    assertThat(canonical(new BigDecimal("0.1000000000000000000001"))).isEqualTo("\"0.1000000000000000000001\"");
    assertThat(canonical(new BigDecimal("9007199254740993"))).isEqualTo("\"9007199254740993\"");
    assertThat(canonical(new BigDecimal("12345678901234567890.00"))).isEqualTo("\"12345678901234567890\"");
    assertThat(canonical(new BigDecimal("-1.2345678901234567890"))).isEqualTo("\"-1.234567890123456789\"");
    // beyond the double range: a string, plain up to 1000 zeros of padding, then with an exponent
    assertThat(canonical(new BigDecimal("1E+400"))).isEqualTo("\"1" + "0".repeat(400) + "\"");
    assertThat(canonical(new BigDecimal("-1E-400"))).isEqualTo("\"-0." + "0".repeat(399) + "1\"");
    assertThat(canonical(new BigDecimal("1E+1000"))).isEqualTo("\"1" + "0".repeat(1000) + "\"");
    assertThat(canonical(new BigDecimal("1E+1001"))).isEqualTo("\"1e+1001\"");
    assertThat(canonical(new BigDecimal("-2.50E+1000000000"))).isEqualTo("\"-2.5e+1000000000\"");
    assertThat(canonical(new BigDecimal("7E-1000000000"))).isEqualTo("\"7e-1000000000\"");
    // the exact value of Double.MIN_VALUE has 751 digits and a scale of 1074: Java writes it 4.9406…E-324
    BigDecimal minValue = new BigDecimal(Double.MIN_VALUE);
    assertThat(canonical(minValue)).isEqualTo('"' + minValue.toString().replace('E', 'e') + '"').hasSize(751 + 8)
        .startsWith("\"4.9406564584124654417");
  }

  @Test
  void zeroNanAndInfinitiesFollowTheirRule() {
    assertThat(canonical(-0.0)).isEqualTo("0");
    assertThat(canonical(0.0)).isEqualTo("0");
    assertThat(canonical(Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(canonical(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
    assertThat(canonical(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
    assertThat(canonical(Float.NaN)).isEqualTo("\"NaN\"");
    assertThat(canonical(0.1f)).isEqualTo("0.10000000149011612"); // the float's double
    assertThat(CanonicalJson.numberV2(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.numberV2(Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(CanonicalJson.numberV1(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
  }

  @Test
  void anEventFullOfAwkwardNumbersHasTheSameBytesByTheOnePassAndTheTree() throws Exception {
    Map<String, Object> numbers = new LinkedHashMap<>();
    numbers.put("longs", List.of(1L << 53, (1L << 53) + 1, -(1L << 53) - 1, Long.MIN_VALUE, Long.MAX_VALUE, 0L));
    numbers.put("big integers", List.of(new BigInteger("-123456789012345678901234567890"), BigInteger.TEN));
    numbers.put("big decimals", List.of(new BigDecimal("0.1"), new BigDecimal("1.10"),
        new BigDecimal("0.1000000000000000000001"), new BigDecimal("1E+400"), new BigDecimal("-2.5E+1000000000"),
        new BigDecimal("9007199254740993"), new BigDecimal(Double.MIN_VALUE)));
    numbers.put("doubles", List.of(0x1p-24, 0x1p60, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, 1e21, 1e-7));
    EventEncoder encoder = EventEncoder.plain();
    DecisionEvent event = CanonicalBodyTest.decision(numbers, List.of(numbers, 2.5f));

    CanonicalBody direct = encoder.writeDirect(event, new CanonicalWriter());

    assertThat(direct.toByteArray()).isEqualTo(CanonicalJson.bytes(encoder.encode(event)));
    assertThat(direct.toString()).contains("\"longs\":[9007199254740992,\"9007199254740993\",\"-9007199254740993\","
        + "\"-9223372036854775808\",\"9223372036854775807\",0]", "5.960464477539063e-8", "\"-2.5e+1000000000\"");
  }

  @Test
  void aParsedLineIsReCanonicalisedByTheNumberRulesOfItsSchemaVersion() throws Exception {
    // version 2: every number is the double it denotes, so 2^60's form stays and 2^53 + 1 does not
    String v2 = "{\"a\":1152921504606847000,\"b\":\"9007199254740993\",\"c\":5.960464477539063e-8,\"d\":1e+21}";
    assertThat(CanonicalJson.writeParsed(MAPPER.readTree(v2), 2)).isEqualTo(v2);
    assertThat(CanonicalJson.writeParsed(MAPPER.readTree("{\"a\":9007199254740993}"), 2))
        .isEqualTo("{\"a\":9007199254740992}");
    assertThat(CanonicalJson.writeParsed(MAPPER.readTree("{\"c\":5.9604644775390625e-8}"), 2))
        .isEqualTo("{\"c\":5.960464477539063e-8}");
    // version 1: integers of any size as their digits, doubles by version 1's search
    String v1 = "{\"a\":9007199254740993,\"b\":123456789012345678901234567890,\"c\":5.9604644775390625e-8}";
    assertThat(CanonicalJson.writeParsed(MAPPER.readTree(v1), 1)).isEqualTo(v1);
    assertThat(CanonicalJson.writeParsed(MAPPER.readTree(v1), 2)).isNotEqualTo(v1);
    assertThatThrownBy(() -> CanonicalJson.writeParsed(JSON.objectNode(), 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema version 3");
  }

  @Test
  void version1sNumberFormIsKeptForTheVerifier() throws Exception {
    assertThat(CanonicalJson.numberV1(0x1p-24)).isEqualTo("5.9604644775390625e-8");
    assertThat(CanonicalJson.numberV2(0x1p-24)).isEqualTo("5.960464477539063e-8");
    assertThat(CanonicalJson.numberV1(0x1p-1017)).isEqualTo("7.1202363472230444e-307");
    assertThat(CanonicalJson.numberV1(0x1p+86)).isEqualTo("7.737125245533627e+25"); // most it got right
    assertThat(CanonicalJson.numberV2(0x1p+86)).isEqualTo("7.737125245533627e+25");
    // the output of version 1 for a tree, kept as a fixture
    assertThat(CanonicalJson.writeParsed(mixed(), 1)).isEqualTo("{\"a\":42,\"big\":123456789012345678901234567890,"
        + "\"dec\":0.1,\"f\":0.10000000149011612,\"list\":[1,\"two\",3.5,{\"a\":2,\"b\":1}],\"long\":-9223372036854775808,"
        + "\"nested\":{\"E\":3,\"e\":2,\"\u00e9\":1},\"nothing\":null,\"yes\":true,"
        + "\"z\":\"quote \\\" backslash \\\\ tab \\t newline \\n bell \\u0007 \u00e9 \u6f22 \ud83d\ude00 lone \\ud800"
        + " x \\udc00\"}");
    assertThat(CanonicalJson.write(mixed())).isEqualTo("{\"a\":42,\"big\":\"123456789012345678901234567890\","
        + "\"dec\":0.1,\"f\":0.10000000149011612,\"list\":[1,\"two\",3.5,{\"a\":2,\"b\":1}],\"long\":\"-9223372036854775808\","
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
    worst.put("bigdec string", new BigDecimal("-0.1000000000000000000001"));
    worst.put("bigdec padded", new BigDecimal("-1E-1000"));
    worst.put("bigdec padded up", new BigDecimal("-1.5E+1000"));
    worst.put("bigdec exponent", new BigDecimal("-1.23E-1000000000"));
    worst.put("bigdec trailing zeros", new BigDecimal("-1.000000000000000000000000000000E+1100"));
    worst.put("bigdec min", new BigDecimal(-Double.MIN_VALUE));
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
