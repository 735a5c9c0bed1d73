package dev.aims.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
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
  private static final Comparator<Map.Entry<String, JsonNode>> BY_KEY = Map.Entry.comparingByKey();
  /** 2<sup>53</sup>: below it every integer is a double, and an integral double's own digits are its shortest form. */
  private static final double TWO_53 = 9007199254740992.0;
  /** The longest ECMAScript form of a double, e.g. {@code -1.2345678901234567e-308} or {@code -0.0000012345678901234567}. */
  private static final int MAX_DOUBLE_CHARS = 25;

  private CanonicalJson() {}

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    append(node, out);
    return out.toString();
  }

  public static byte[] bytes(JsonNode node) {
    return write(node).getBytes(StandardCharsets.UTF_8);
  }

  /** Appends the canonical form of {@code node} to {@code out}: what {@link #write} returns. */
  public static void append(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
        Map.Entry<String, JsonNode>[] members = new Map.Entry[node.size()];
        int n = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          members[n++] = e;
        }
        Arrays.sort(members, BY_KEY); // String order is UTF-16 code unit order, as RFC 8785 asks
        out.append('{');
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          appendString(members[i].getKey(), out);
          out.append(':');
          append(members[i].getValue(), out);
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

  /**
   * An upper bound of the UTF-8 length of {@code node}'s canonical form, computed from node counts
   * and string lengths without writing it. Stops adding once the bound exceeds {@code limit}, so
   * the answer is exact only in that it is {@code <= limit} exactly when the bound is.
   */
  static long maxUtf8Length(JsonNode node, long limit) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        long n = 2; // {}
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext() && n <= limit) {
          Map.Entry<String, JsonNode> e = it.next();
          n += maxUtf8Length(e.getKey()) + 2; // : and ,
          n += maxUtf8Length(e.getValue(), limit - n);
        }
        return n;
      }
      case ARRAY -> {
        long n = 2; // []
        for (int i = 0; i < node.size() && n <= limit; i++) {
          n += 1 + maxUtf8Length(node.get(i), limit - n);
        }
        return n;
      }
      case STRING -> {
        return maxUtf8Length(node.textValue());
      }
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          return MAX_DOUBLE_CHARS; // also covers "NaN" and "-Infinity" with their quotes
        }
        return node.canConvertToLong() ? 20 : 2 + node.bigIntegerValue().bitLength() / 3; // log10(2) < 1/3
      }
      case BOOLEAN -> {
        return 5;
      }
      case NULL, MISSING -> {
        return 4;
      }
      default -> {
        return limit + 1; // binary and POJO nodes: not bounded here, so the caller measures them
      }
    }
  }

  /** Quotes plus at most 6 bytes per char: {@code \\u001f} is the longest escape, a surrogate pair is 4 bytes. */
  private static long maxUtf8Length(String s) {
    return 2 + 6L * s.length();
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

  /**
   * ECMAScript Number::toString, which RFC 8785 prescribes for numbers: the shortest decimal that
   * reads back as {@code d}, and of those the nearest.
   *
   * <p>Four ways to find it, the first that applies:
   * <ol>
   *   <li>An integral double below 2<sup>53</sup>: its own digits. A decimal that reads back as it is
   *       within half an ulp (at most ½) of it, so it is either the integer itself or has a
   *       fractional digit, and then more significant digits.
   *   <li>{@link #appendFewDecimals m × 10<sup>-k</sup>} with m below 10<sup>15</sup> and the least k
   *       for which it reads back as {@code d} (0.31, 0.0645, 58000.5): arithmetic only.
   *   <li>{@link Double#toString}'s digits when there are at most 15 of them (normal doubles). Any two
   *       decimals of at most 15 significant digits read back as different doubles, so no shorter
   *       decimal reads back as {@code d}; and the search below, which rounds the exact value to 1,
   *       2, … digits, finds a decimal of at most 15 digits that reads back as {@code d}, which must
   *       then be the same one.
   *   <li>Otherwise (16–17 digits, subnormals) {@link #appendDoubleBySearch the search}: JDK 17's
   *       {@code Double.toString} is not always shortest (JDK-4511638).
   * </ol>
   * {@code CanonicalJsonDoubleTest} checks they agree with the search on 600,000 doubles.
   */
  static void appendDouble(double d, StringBuilder out) {
    if (!appendSpecial(d, out)) {
      if (d < 0) {
        out.append('-');
        d = -d;
      }
      if (d < TWO_53 && d == (long) d) {
        out.append((long) d);
      } else if (d < Double.MIN_NORMAL || !appendFewDecimals(d, out) && !appendUpTo15Digits(d, out)) {
        appendSearched(d, out);
      }
    }
  }

  /** The reference: {@link #appendDouble} with the search for every double. For tests. */
  static void appendDoubleBySearch(double d, StringBuilder out) {
    if (!appendSpecial(d, out)) {
      if (d < 0) {
        out.append('-');
        d = -d;
      }
      appendSearched(d, out);
    }
  }

  /** NaN, the infinities and zeros (-0 too); false for any other double. */
  private static boolean appendSpecial(double d, StringBuilder out) {
    if (Double.isNaN(d)) {
      appendString("NaN", out);
    } else if (Double.isInfinite(d)) {
      appendString(d > 0 ? "Infinity" : "-Infinity", out);
    } else if (d == 0) {
      out.append('0');
    } else {
      return false;
    }
    return true;
  }

  /** 10<sup>0</sup> … 10<sup>22</sup>: every one is exactly a double. */
  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int k = 0; k < POW10.length; k++) {
      POW10[k] = p;
      p *= 10;
    }
  }

  /**
   * Positive normal non-integral {@code d} as m × 10<sup>-k</sup> for the least k whose m (an
   * integer below 10<sup>15</sup>) reads back as {@code d}; false (nothing written) if there is none.
   * The check {@code m / 10^k == d} is exact: m and 10<sup>k</sup> (k ≤ 22) are doubles, and the
   * division rounds the true quotient correctly, as parsing the decimal does. A decimal of at most
   * 15 significant digits that reads back as {@code d} is the only one (see {@link #appendDouble}),
   * so it is the shortest and nearest. No string, no {@code Double.toString}.
   */
  private static boolean appendFewDecimals(double d, StringBuilder out) {
    for (int k = 1; k < POW10.length; k++) {
      double scaled = d * POW10[k];
      if (scaled >= 1e15) {
        return false;
      }
      double m = Math.rint(scaled);
      if (m < 1e15 && m / POW10[k] == d) {
        long digits = (long) m;
        int z = 0;
        while (digits % 10 == 0) { // not expected for the least k, but cheap to be sure
          digits /= 10;
          z++;
        }
        char[] buf = new char[19];
        int len = 0;
        for (long t = digits; t > 0; t /= 10) {
          len++;
        }
        for (int i = len - 1; i >= 0; i--) {
          buf[i] = (char) ('0' + digits % 10);
          digits /= 10;
        }
        // value = 0.buf × 10^n with n = (digits of m) - k = len + z - k
        appendDecimal(buf, len, len + z - k, out);
        return true;
      }
    }
    return false;
  }

  /** Positive normal {@code d} from {@code Double.toString}'s digits if there are at most 15; false (nothing written) if not. */
  private static boolean appendUpTo15Digits(double d, StringBuilder out) {
    String s = Double.toString(d); // "123.45", "0.00123" or "1.2345E-7"
    int e = s.indexOf('E');
    int end = e < 0 ? s.length() : e;
    char[] digits = new char[end];
    int k = 0;
    int point = 0; // digits before the point, less leading zeros after it
    boolean afterPoint = false;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        point = k;
        afterPoint = true;
      } else if (c != '0' || k > 0) {
        digits[k++] = c;
      } else if (afterPoint) {
        point--; // a leading zero after the point: 0.00123 = 0.123 × 10^-2
      }
    }
    // value = 0.digits × 10^n; a leading zero before the point ("0.5") adds no digit and no place
    int n = point + (e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10));
    while (k > 0 && digits[k - 1] == '0') {
      k--;
    }
    if (k > 15) {
      return false;
    }
    appendDecimal(digits, k, n, out);
    return true;
  }

  private static void appendSearched(double d, StringBuilder out) {
    BigDecimal exact = shortest(d);
    char[] digits = exact.unscaledValue().toString().toCharArray();
    appendDecimal(digits, digits.length, exact.precision() - exact.scale(), out);
  }

  /** Writes 0.digits[0..k) × 10^n (no leading or trailing zero digits) as ECMAScript Number::toString does. */
  private static void appendDecimal(char[] digits, int k, int n, StringBuilder out) {
    if (k <= n && n <= 21) {
      out.append(digits, 0, k);
      appendZeros(n - k, out);
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k - n);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      appendZeros(-n, out);
      out.append(digits, 0, k);
    } else {
      int e = n - 1;
      out.append(digits[0]);
      if (k > 1) {
        out.append('.').append(digits, 1, k - 1);
      }
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
  }

  private static void appendZeros(int count, StringBuilder out) {
    for (int i = 0; i < count; i++) {
      out.append('0');
    }
  }

  /** The shortest decimal that reads back as positive {@code d}, and of those the closest (ECMAScript's rule). */
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

  /** Appends {@code s} as a canonical JSON string, quotes included. */
  public static void appendString(String s, StringBuilder out) {
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
