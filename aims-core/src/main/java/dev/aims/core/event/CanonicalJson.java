package dev.aims.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * insignificant whitespace, strings escaped minimally, numbers in ECMAScript form, UTF-8.
 *
 * <p>Where JSON has no answer, the choice is deterministic so that a hash over the form is stable
 * across re-serialisation: NaN and infinities are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}; a lone UTF-16 surrogate is written as a
 * {@code \\uXXXX} escape rather than as invalid UTF-8.
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    append(node, out);
    return out.toString();
  }

  public static byte[] bytes(JsonNode node) {
    return write(node).getBytes(StandardCharsets.UTF_8);
  }

  private static void append(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          names.add(e.getKey());
        }
        Collections.sort(names); // String order is UTF-16 code unit order, as RFC 8785 asks
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          appendString(names.get(i), out);
          out.append(':');
          append(node.get(names.get(i)), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> appendString(node.textValue(), out);
      case NUMBER -> appendNumber(node, out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL, MISSING -> out.append("null");
      case BINARY, POJO -> appendString(node.asText(), out);
    }
  }

  private static void appendNumber(JsonNode node, StringBuilder out) {
    if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isBigDecimal()) {
      appendDouble(node.decimalValue().doubleValue(), out);
    } else {
      appendDouble(node.doubleValue(), out);
    }
  }

  /** ECMAScript Number::toString, which RFC 8785 prescribes for numbers. */
  static void appendDouble(double d, StringBuilder out) {
    if (Double.isNaN(d)) {
      appendString("NaN", out);
      return;
    }
    if (Double.isInfinite(d)) {
      appendString(d > 0 ? "Infinity" : "-Infinity", out);
      return;
    }
    if (d == 0) {
      out.append('0'); // -0 too
      return;
    }
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    BigDecimal exact = shortest(d);
    String digits = exact.unscaledValue().toString();
    int k = digits.length();
    int n = exact.precision() - exact.scale(); // value = 0.digits × 10^n
    if (k <= n && n <= 21) {
      out.append(digits);
      out.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
  }

  /**
   * The shortest decimal that reads back as {@code d}, and of those the closest (ECMAScript's rule).
   * JDK 17's {@code Double.toString} is not always shortest (JDK-4511638), so it is searched for.
   */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return rounded.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static void appendString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            appendEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  private static void appendEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
