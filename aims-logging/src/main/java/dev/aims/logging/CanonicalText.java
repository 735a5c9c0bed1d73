package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Appends the canonical JSON of a value to a {@link StringBuilder}: the same characters as
 * {@link dev.aims.core.event.CanonicalJson#write}, written in place so that {@link RecordLayout}
 * lays out a record in one pass.
 *
 * <p>It differs from {@code CanonicalJson} only in how it finds a double's shortest decimal:
 * {@code CanonicalJson} searches with {@link BigDecimal} rounding (about a microsecond per double,
 * most of a record's layout time). Here {@link Double#toString} is tried first, and its digits are
 * taken when there are at most 15 of them: any two decimals of at most 15 significant digits read
 * back as different doubles, so no shorter decimal can read back as {@code d}, and the error of a
 * decimal that reads back as {@code d} (at most half an ulp, 2<sup>-53</sup>·d) is less than half a
 * unit in its 15th digit, so it is also the nearest, which is what the search would find. Otherwise
 * (16–17 digits, subnormals) the search runs as in {@code CanonicalJson}.
 * {@code CanonicalTextTest} checks the two agree.
 */
final class CanonicalText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Comparator<Map.Entry<String, JsonNode>> BY_KEY = Map.Entry.comparingByKey();

  private CanonicalText() {}

  static void append(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          members.add(e);
        }
        members.sort(BY_KEY); // String order is UTF-16 code unit order, as RFC 8785 asks
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          appendString(members.get(i).getKey(), out);
          out.append(':');
          append(members.get(i).getValue(), out);
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
      if (node.canConvertToLong()) {
        out.append(node.longValue());
      } else {
        out.append(node.bigIntegerValue());
      }
    } else if (node.isBigDecimal()) {
      appendDouble(node.decimalValue().doubleValue(), out);
    } else {
      appendDouble(node.doubleValue(), out);
    }
  }

  /** ECMAScript Number::toString, as {@code CanonicalJson} writes it. */
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
      out.append('0');
      return;
    }
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    BigDecimal exact = shortest(d);
    String digits = exact.unscaledValue().toString();
    int k = digits.length();
    int n = exact.precision() - exact.scale();
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

  /** The shortest decimal that reads back as positive {@code d}, and of those the closest. */
  static BigDecimal shortest(double d) {
    if (d >= Double.MIN_NORMAL) {
      String s = Double.toString(d);
      BigDecimal quick = new BigDecimal(s).stripTrailingZeros();
      if (quick.precision() <= 15 && Double.parseDouble(s) == d) {
        return quick;
      }
    }
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        return rounded.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  static void appendString(String s, StringBuilder out) {
    out.append('"');
    int n = s.length();
    int i = 0;
    while (i < n && !needsCare(s.charAt(i))) {
      i++;
    }
    if (i == n) { // the usual case: nothing to escape, one bulk copy
      out.append(s).append('"');
      return;
    }
    out.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (!needsCare(c)) {
        out.append(c);
        continue;
      }
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

  /** Characters that may need an escape: controls, quote, backslash, and surrogates (lone ones are escaped). */
  private static boolean needsCare(char c) {
    return c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c);
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
