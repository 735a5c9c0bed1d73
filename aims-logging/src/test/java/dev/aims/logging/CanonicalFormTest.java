package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CanonicalForm}, the byte-level check, against the definition: "parse with Jackson, write
 * again with {@link CanonicalJson}, compare bytes" (after strict UTF-8 decoding).
 */
class CanonicalFormTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * The definition: strict UTF-8, parse, re-canonicalise with the number rule of the line's version
   * ({@link CanonicalJson#writeParsed}: in version 2 every number is the double it denotes), compare bytes.
   */
  static boolean canonicalByDefinition(byte[] text, int version) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text));
    } catch (CharacterCodingException e) {
      return false;
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (Exception e) {
      return false;
    }
    if (tree == null || !tree.isObject()) {
      return false;
    }
    return java.util.Arrays.equals(CanonicalJson.writeParsed(tree, version).getBytes(StandardCharsets.UTF_8), text);
  }

  /** The check under test, on a whole object text (the verifier gives it the line without its hash member). */
  static boolean canonicalByScan(byte[] text, int version) {
    if (text.length < 2 || text[text.length - 1] != '}') {
      return false;
    }
    CanonicalForm form = new CanonicalForm();
    return form.check(text, 0, text.length - 1) == null && form.checkNumbers(version) == null;
  }

  @Test
  void agreesWithParseAndRecanonicaliseOnManyGeneratedAndMutatedLines() {
    Random random = new Random(20261203);
    int canonical = 0;
    int not = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] text = CanonicalJson.bytes(object(random, 0));
      for (int m = 0; m < 6; m++) {
        byte[] candidate = m == 0 ? text : mutate(text, random);
        for (int version = 1; version <= 2; version++) {
          boolean expected = canonicalByDefinition(candidate, version);
          assertThat(canonicalByScan(candidate, version))
              .as("version %d, %s", version, new String(candidate, StandardCharsets.ISO_8859_1))
              .isEqualTo(expected);
          if (expected) {
            canonical++;
          } else {
            not++;
          }
        }
      }
    }
    // both answers occur often, so neither half of the comparison is empty
    assertThat(canonical).isGreaterThan(40_000);
    assertThat(not).isGreaterThan(70_000);
  }

  @Test
  void agreesOnPlainDecimalsOfEveryLengthAndPlace() {
    Random random = new Random(11);
    int canonical = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder digits = new StringBuilder();
      for (int k = 1 + random.nextInt(18); k > 0; k--) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      int point = random.nextInt(digits.length());
      String intPart = digits.substring(0, point).replaceFirst("^0+", "");
      String token = (random.nextBoolean() ? "-" : "") + (intPart.isEmpty() ? "0" : intPart) + "."
          + (point == digits.length() ? "5" : digits.substring(point));
      byte[] text = ("{\"a\":" + token + "}").getBytes(StandardCharsets.US_ASCII);
      boolean expected = canonicalByDefinition(text, 1);
      assertThat(canonicalByScan(text, 1)).as(token).isEqualTo(expected);
      canonical += expected ? 1 : 0;
    }
    assertThat(canonical).isGreaterThan(12_000);
  }

  @Test
  void agreesOnJacksonsOwnUnsortedOutput() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] text = MAPPER.writeValueAsBytes(object(random, 0));
      assertThat(canonicalByScan(text, 1)).as(new String(text, StandardCharsets.UTF_8))
          .isEqualTo(canonicalByDefinition(text, 1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "whitespace                 | '{\"a\": 1}'                   | unexpected byte 0x20",
      "keys out of order          | '{\"b\":1,\"a\":2}'            | keys out of order",
      "repeated key               | '{\"a\":1,\"a\":1}'            | keys out of order or repeated",
      "nested keys out of order   | '{\"a\":{\"y\":1,\"x\":2}}'    | keys out of order",
      "escaped slash              | '{\"a\":\"\\/\"}'              | escape \\/ is not canonical",
      "needless unicode escape    | '{\"a\":\"\\u0041\"}'          | needs no escape",
      "short form exists          | '{\"a\":\"\\u000a\"}'          | has a short form",
      "upper-case hex             | '{\"a\":\"\\u001F\"}'          | four lower-case hex digits",
      "escaped surrogate pair     | '{\"a\":\"\\ud83d\\ude00\"}'   | surrogate pair is written as UTF-8",
      "raw control character      | '{\"a\":\"\t\"}'               | control character",
      "trailing zero              | '{\"a\":1.50}'                 | not in canonical form (1.5)",
      "integral fraction          | '{\"a\":2.0}'                  | not in canonical form (2)",
      "upper-case exponent        | '{\"a\":1E+21}'                | not in canonical form (1e+21)",
      "minus zero                 | '{\"a\":-0}'                   | -0 is written 0",
      "leading zero               | '{\"a\":01}'                   | leading zero",
      "plus sign                  | '{\"a\":+1}'                   | unexpected byte 0x2b",
      "infinity as a number       | '{\"a\":1e999}'                | not in canonical form (\"Infinity\")",
      "trailing comma             | '{\"a\":1,}'                   | expected a key",
      "bare word                  | '{\"a\":True}'                 | unexpected byte 0x54",
  })
  void namesEachViolation(String what, String text, String why) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    CanonicalForm form = new CanonicalForm();
    String problem = form.check(bytes, 0, bytes.length - 1);
    if (problem == null) {
      problem = form.checkNumbers(1);
    }
    assertThat(problem).as(what).isNotNull().contains(why);
    assertThat(canonicalByDefinition(bytes, 1)).as("the definition agrees that it is not canonical").isFalse();
  }

  @Test
  void refusesInvalidUtf8OfEveryKind() {
    byte[][] bad = {
        {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, // overlong
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        {(byte) 0xc3}, {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};
    for (byte[] b : bad) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      text.writeBytes("{\"a\":\"x".getBytes(StandardCharsets.US_ASCII));
      text.writeBytes(b);
      text.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
      byte[] bytes = text.toByteArray();
      assertThat(new CanonicalForm().check(bytes, 0, bytes.length - 1)).contains("not valid UTF-8");
      assertThat(canonicalByDefinition(bytes, 1)).isFalse();
    }
  }

  @Test
  void keysAreOrderedByUtf16CodeUnitsNotByUtf8Bytes() {
    // U+FF21 sorts after U+1F600 in UTF-8 bytes but before it in UTF-16 (the pair starts with D83D)
    ObjectNode n = F.objectNode();
    n.put("\uD83D\uDE00", 1);
    n.put("\uFF21", 2);
    byte[] canonical = CanonicalJson.bytes(n);
    assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo("{\"\uD83D\uDE00\":1,\"\uFF21\":2}");
    assertThat(canonicalByScan(canonical, 1)).isTrue();
    byte[] swapped = "{\"\uFF21\":2,\"\uD83D\uDE00\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(canonicalByScan(swapped, 1)).isFalse();
  }

  @Test
  void largeIntegersAreCanonicalInVersionOneOnly() {
    byte[] big = "{\"a\":9007199254740993}".getBytes(StandardCharsets.US_ASCII);
    assertThat(canonicalByScan(big, 1)).isTrue();
    assertThat(canonicalByScan(big, 2)).isFalse();
    byte[] limit = "{\"a\":-9007199254740992}".getBytes(StandardCharsets.US_ASCII);
    assertThat(canonicalByScan(limit, 2)).isTrue();
  }

  // ---- generation ----------------------------------------------------------------------------

  private static ObjectNode object(Random r, int depth) {
    ObjectNode n = F.objectNode();
    int members = r.nextInt(depth == 0 ? 8 : 4);
    for (int i = 0; i < members; i++) {
      n.set(string(r, 4), value(r, depth + 1));
    }
    return n;
  }

  private static JsonNode value(Random r, int depth) {
    int kind = r.nextInt(depth > 3 ? 7 : 9);
    return switch (kind) {
      case 0 -> F.textNode(string(r, 12));
      case 1 -> F.numberNode(r.nextInt(2001) - 1000);
      case 2 -> F.numberNode(r.nextLong());
      case 3 -> F.numberNode(doubleValue(r));
      case 4 -> F.numberNode(new BigInteger(70, r).negate());
      case 5 -> F.booleanNode(r.nextBoolean());
      case 6 -> F.nullNode();
      case 7 -> object(r, depth);
      default -> {
        ArrayNode a = F.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        yield a;
      }
    };
  }

  private static double doubleValue(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Double.longBitsToDouble(r.nextLong());
      case 1 -> r.nextInt(100_000) / 100.0;
      case 2 -> Math.scalb(1.0, r.nextInt(200) - 100);
      case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(50) - 25);
      case 4 -> (double) r.nextInt(1000);
      default -> -r.nextGaussian() * 1e21;
    };
  }

  private static final String ALPHABET = "abcAZ09_ -\"\\/\u0000\u0001\b\f\n\r\t\u001f\u007f\u00e9\u2028\ue000\uffff\uff21";

  private static String string(Random r, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(max + 1); i > 0; i--) {
      switch (r.nextInt(10)) {
        case 0 -> s.append("\uD83D\uDE00"); // a pair
        case 1 -> s.append((char) (0xD800 + r.nextInt(0x800))); // often lone
        default -> s.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
      }
    }
    return s.toString();
  }

  private static final String[] INSERTS = {" ", "\n", ",", "\"", "\\", "0", "-", ".", "e", "E", "+", "\\u00", "}",
      "]", "{", "[", ":", "\\/", "\\u0041", "\\ud83d\\ude00", "\\uD800"};

  /** Something near {@code text}: one small edit that may or may not keep it canonical. */
  private static byte[] mutate(byte[] text, Random r) {
    int at = r.nextInt(text.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (r.nextInt(6)) {
      case 0 -> { // insert
        out.write(text, 0, at);
        out.writeBytes(INSERTS[r.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8));
        out.write(text, at, text.length - at);
      }
      case 1 -> { // delete a byte
        out.write(text, 0, at);
        out.write(text, at + 1, text.length - at - 1);
      }
      case 2 -> { // replace with a random byte (often breaks UTF-8)
        byte[] copy = text.clone();
        copy[at] = (byte) r.nextInt(256);
        return copy;
      }
      case 3 -> { // change a digit (numbers may become non-canonical or stay canonical)
        byte[] copy = text.clone();
        for (int i = at; i < copy.length; i++) {
          if (copy[i] >= '0' && copy[i] <= '9') {
            copy[i] = (byte) ('0' + r.nextInt(10));
            break;
          }
        }
        return copy;
      }
      case 4 -> { // swap two adjacent bytes
        byte[] copy = text.clone();
        if (at + 1 < copy.length) {
          byte t = copy[at];
          copy[at] = copy[at + 1];
          copy[at + 1] = t;
        }
        return copy;
      }
      default -> { // a lower-case letter upper-cased (hex escapes, exponents, literals)
        byte[] copy = text.clone();
        for (int i = at; i < copy.length; i++) {
          if (copy[i] >= 'a' && copy[i] <= 'z') {
            copy[i] = (byte) (copy[i] - 32);
            break;
          }
        }
        return copy;
      }
    }
    return out.toByteArray();
  }
}
