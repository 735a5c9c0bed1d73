package dev.aims.core.event;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * Canonical JSON as RFC 8785 (JCS) defines it: object keys sorted by UTF-16 code units, no
 * insignificant whitespace, strings escaped minimally, numbers exactly as ECMAScript's
 * {@code Number::toString} writes the IEEE 754 double, UTF-8. This is the form of records of
 * schema version 2 ({@link #write}); {@link #writeParsed} re-canonicalises a parsed record line of
 * either version.
 *
 * <p>Where JSON or RFC 8785 has no answer, the choice is deterministic so that a hash over the
 * form is stable across re-serialisation:
 * <ul>
 *   <li>NaN and the infinities are written as the strings {@code "NaN"}, {@code "Infinity"} and
 *       {@code "-Infinity"}; {@code -0} as {@code 0} (as ECMAScript does).
 *   <li>An integer (int, long, {@link BigInteger}) of magnitude above 2<sup>53</sup>, where not
 *       every integer is a double, is written as a JSON string of its exact decimal digits
 *       ({@code "9007199254740993"}), so it is kept exactly and the number form stays RFC 8785's.
 *   <li>A {@link BigDecimal} is written as a number when the number form of its nearest double
 *       denotes exactly its value ({@code 0.1}, {@code 1.10} as {@code 1.1}); otherwise as a string
 *       of its exact value in plain notation without trailing zeros after the point
 *       ({@code "0.1000000000000000000001"}), or, when that would need more than
 *       {@value #PLAIN_LIMIT} zeros of padding (scale beyond ±{@value #PLAIN_LIMIT}), in
 *       {@code d.ddde±n} notation.
 *   <li>A lone UTF-16 surrogate is written as a {@code \\uXXXX} escape rather than as invalid UTF-8.
 * </ul>
 *
 * <p>Records of schema version 1 were written with an older number form ({@link #numberV1}):
 * shortest digits by a search that missed the shortest for some powers of two, and integers of
 * any size as exact digits. {@link #writeParsed} with version 1 reproduces it for the verifier.
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Comparator<Map.Entry<String, JsonNode>> BY_KEY = Map.Entry.comparingByKey();
  /** 2<sup>53</sup>: below it every integer is a double, and an integral double's own digits are its shortest form. */
  private static final double TWO_53 = 9007199254740992.0;
  /** 2<sup>53</sup>: an integer of larger magnitude is written as a string (not every one of them is a double). */
  private static final long MAX_EXACT_INTEGER = 1L << 53;
  /** A {@link BigDecimal} string with a scale beyond ± this is written with an exponent rather than padded with zeros. */
  static final int PLAIN_LIMIT = 1000;
  /** The longest ECMAScript form of a double, e.g. {@code -1.2345678901234567e-308} or {@code -0.0000012345678901234567}. */
  private static final int MAX_DOUBLE_CHARS = 25;

  /** How numbers are written: what {@link #write} writes, or how a line of a given schema version is re-canonicalised. */
  private enum Numbers {
    /** Schema version 2 from values: the rules in the class comment. */
    V2,
    /**
     * A tree parsed from a version 2 line: every JSON number is a double (RFC 8785), so an
     * integer token is read as the double it denotes ({@code 1152921504606847000} is 2<sup>60</sup>).
     */
    V2_PARSED,
    /** Schema version 1: integers as their exact digits, every other number by {@link #numberV1}. */
    V1
  }

  private CanonicalJson() {}

  /** The canonical form of {@code node} (schema version 2). */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    append(node, Numbers.V2, out);
    return out.toString();
  }

  /**
   * The canonical form of a tree parsed from a record line of schema version {@code schemaVersion}
   * (1 or 2): the line's own bytes exactly when the line is canonical. For version 2 every number
   * is taken as the double it denotes and written by {@link #numberV2}; for version 1 integers keep
   * their exact digits and other numbers are written by {@link #numberV1}. Strings, keys and
   * structure are written as {@link #write} writes them.
   */
  public static String writeParsed(JsonNode parsed, int schemaVersion) {
    Numbers rule = switch (schemaVersion) {
      case 1 -> Numbers.V1;
      case 2 -> Numbers.V2_PARSED;
      default -> throw new IllegalArgumentException("no canonical form for schema version " + schemaVersion);
    };
    StringBuilder out = new StringBuilder(256);
    append(parsed, rule, out);
    return out.toString();
  }

  public static byte[] bytes(JsonNode node) {
    return write(node).getBytes(StandardCharsets.UTF_8);
  }

  /** Appends the canonical form of {@code node} to {@code out}: what {@link #write} returns. */
  public static void append(JsonNode node, StringBuilder out) {
    append(node, Numbers.V2, out);
  }

  private static void append(JsonNode node, Numbers rule, StringBuilder out) {
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
          append(members[i].getValue(), rule, out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(node.get(i), rule, out);
        }
        out.append(']');
      }
      case STRING -> appendString(node.textValue(), out);
      case NUMBER -> appendNumber(node, rule, out);
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
        if (node.isIntegralNumber()) { // quotes beyond 2^53, a sign, the digits: log10(2) < 1/3
          return node.canConvertToLong() ? 22 : 4 + node.bigIntegerValue().bitLength() / 3;
        }
        if (node.isBigDecimal()) { // see appendDecimalString: quotes, sign, point, exponent
          BigDecimal v = node.decimalValue();
          return 3 + Math.max(MAX_DOUBLE_CHARS, v.precision() + 15L + Math.min(Math.abs((long) v.scale()), PLAIN_LIMIT));
        }
        return MAX_DOUBLE_CHARS; // also covers "NaN" and "-Infinity" with their quotes
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

  private static void appendNumber(JsonNode node, Numbers rule, StringBuilder out) {
    switch (rule) {
      case V2 -> {
        if (node.isIntegralNumber()) {
          if (node.canConvertToLong()) {
            appendLong(node.longValue(), out);
          } else {
            appendBigInteger(node.bigIntegerValue(), out);
          }
        } else if (node.isBigDecimal()) {
          appendBigDecimal(node.decimalValue(), out);
        } else {
          appendDouble(node.doubleValue(), out);
        }
      }
      case V2_PARSED -> appendDouble(node.doubleValue(), out); // correctly rounded for long, BigInteger and BigDecimal
      case V1 -> {
        if (node.isIntegralNumber()) {
          if (node.canConvertToLong()) {
            out.append(node.longValue());
          } else {
            out.append(node.bigIntegerValue());
          }
        } else {
          appendDoubleV1(node.isBigDecimal() ? node.decimalValue().doubleValue() : node.doubleValue(), out);
        }
      }
    }
  }

  /**
   * The canonical text of {@code d} in records of schema version 2: ECMAScript
   * {@code Number::toString(d)} for a finite double (the shortest decimal that reads back as
   * {@code d}, and of those the nearest; plain digits for 10<sup>-7</sup> &le; |d| &lt;
   * 10<sup>21</sup>, else {@code d.ddde±n}; {@code -0} as {@code 0}), and the JSON strings
   * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, quotes included, otherwise.
   */
  public static String numberV2(double d) {
    StringBuilder out = new StringBuilder(MAX_DOUBLE_CHARS);
    appendDouble(d, out);
    return out.toString();
  }

  /**
   * The canonical text of {@code d} in records of schema version 1, exactly as they were written:
   * the form of {@link #numberV2} except that the digits came from a search that, where the
   * rounding interval of {@code d} is not symmetric (a power of two), could miss the shortest
   * decimal and write 17 digits ({@code 5.9604644775390625e-8} for 2<sup>-24</sup>, where
   * ECMAScript writes {@code 5.960464477539063e-8}). Version 1 wrote integers (long, BigInteger)
   * as their exact digits whatever their size; {@link #writeParsed} does that for version 1.
   */
  public static String numberV1(double d) {
    StringBuilder out = new StringBuilder(MAX_DOUBLE_CHARS);
    appendDoubleV1(d, out);
    return out.toString();
  }

  /** {@code v} as a JSON number if |v| &le; 2<sup>53</sup>, else as a JSON string of its digits. */
  static void appendLong(long v, StringBuilder out) {
    if (-MAX_EXACT_INTEGER <= v && v <= MAX_EXACT_INTEGER) {
      out.append(v);
    } else {
      out.append('"').append(v).append('"');
    }
  }

  /** As {@link #appendLong}. */
  static void appendBigInteger(BigInteger v, StringBuilder out) {
    if (v.bitLength() < 64) {
      appendLong(v.longValue(), out);
    } else {
      out.append('"').append(v).append('"');
    }
  }

  /**
   * {@code v} as the number {@link #numberV2} writes for its nearest double when that number
   * denotes exactly {@code v}, else as a JSON string of {@code v}'s exact value.
   */
  static void appendBigDecimal(BigDecimal v, StringBuilder out) {
    double d = v.doubleValue();
    if (Double.isFinite(d)) {
      int start = out.length();
      appendDouble(d, out);
      // at most 15 significant digits, inside the normal range: the only such decimal that reads
      // back as d, so it is d's shortest form (see appendDouble) and denotes v without a check
      int adjusted = v.precision() - v.scale() - 1;
      if (v.precision() <= 15 && -307 <= adjusted && adjusted <= 307
          || new BigDecimal(out.substring(start)).compareTo(v) == 0) {
        return;
      }
      out.setLength(start);
    }
    appendDecimalString(v, out);
  }

  /**
   * A JSON string of {@code v}'s exact value without trailing zeros after the point: plain digits
   * ({@code "-0.000123"}, {@code "12345678901234567890"}) unless that would need more than
   * {@value #PLAIN_LIMIT} zeros of padding, then one digit, the point and the other digits if
   * any, and {@code e±n} ({@code "1.5e+100000"}).
   */
  private static void appendDecimalString(BigDecimal v, StringBuilder out) {
    BigDecimal t = v.stripTrailingZeros();
    out.append('"');
    if (Math.abs((long) t.scale()) <= PLAIN_LIMIT) {
      out.append(t.toPlainString());
    } else {
      if (t.signum() < 0) {
        out.append('-');
      }
      String digits = t.unscaledValue().abs().toString();
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      long e = digits.length() - 1L - t.scale();
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
    out.append('"');
  }

  /**
   * {@link #numberV2}, appended: ECMAScript {@code Number::toString}, which RFC 8785 prescribes.
   *
   * <p>The digits come from the first of these that applies:
   * <ol>
   *   <li>An integral double below 2<sup>53</sup>: its own digits. A decimal that reads back as it is
   *       within half an ulp (at most ½) of it, so it is either the integer itself or has a
   *       fractional digit, and then more significant digits.
   *   <li>{@link #appendFewDecimals m × 10<sup>-k</sup>} with m below 10<sup>15</sup> and the least k
   *       for which it reads back as {@code d} (0.31, 0.0645, 58000.5): arithmetic only. Any two
   *       decimals of at most 15 significant digits read back as different normal doubles, so no
   *       other decimal that short reads back as {@code d}: it is the shortest, and the nearest.
   *   <li>Otherwise {@link #appendShortest Schubfach}, as jackson-core ships it.
   * </ol>
   * {@code CanonicalJsonNodeOracleTest} checks the result against Node's {@code String(x)}.
   */
  static void appendDouble(double d, StringBuilder out) {
    if (!appendSpecial(d, out)) {
      if (d < 0) {
        out.append('-');
        d = -d;
      }
      if (d < TWO_53 && d == (long) d) {
        out.append((long) d);
      } else if (d < Double.MIN_NORMAL || !appendFewDecimals(d, out)) {
        appendShortest(d, out);
      }
    }
  }

  /**
   * Positive finite {@code d} from the digits of jackson-core's Schubfach ({@code
   * NumberOutput.toString(d, true)}, Raffaello Giulietti's algorithm, which JDK 19 adopted for
   * {@code Double.toString}): the shortest decimal that reads back as {@code d}, and of those the
   * nearest, as ECMAScript asks, with one exception that only the smallest subnormals reach: where
   * a one-digit decimal reads back as {@code d}, Java's specification picks the nearest of one or
   * two digits ({@code 4.9E-324} for {@code Double.MIN_VALUE}), ECMAScript the nearest of one digit
   * ({@code 5e-324}); {@link #oneDigit} corrects that.
   */
  private static void appendShortest(double d, StringBuilder out) {
    String s = NumberOutput.toString(d, true); // "123.45", "0.00123" or "1.2345E-7"
    char[] digits = new char[s.length()];
    int k = javaDigits(s, digits);
    int n = javaExponent(s);
    if (k == 2 && d < Double.MIN_NORMAL) {
      int c = oneDigit(d, digits[0] - '0', n);
      if (c == 10) {
        digits[0] = '1';
        k = 1;
        n++;
      } else if (c > 0) {
        digits[0] = (char) ('0' + c);
        k = 1;
      }
    }
    appendDecimal(digits, k, n, out);
  }

  /**
   * For a subnormal {@code d} whose nearest two-digit decimal is 0.ab × 10<sup>n</sup>: the digit c
   * of the nearest one-digit decimal 0.c × 10<sup>n</sup> that reads back as {@code d} (10 for
   * 1 × 10<sup>n</sup>), or 0 if none does. Only the two one-digit decimals around {@code d}, a and
   * a + 1, can be the nearest.
   */
  private static int oneDigit(double d, int a, int n) {
    boolean low = a > 0 && Double.parseDouble(a + "E" + (n - 1)) == d;
    boolean high = Double.parseDouble((a + 1) + "E" + (n - 1)) == d;
    if (low && high) {
      BigDecimal exact = new BigDecimal(d);
      int cmp = exact.subtract(new BigDecimal(a + "E" + (n - 1)))
          .compareTo(new BigDecimal((a + 1) + "E" + (n - 1)).subtract(exact));
      return cmp < 0 || cmp == 0 && a % 2 == 0 ? a : a + 1;
    }
    return low ? a : high ? a + 1 : 0;
  }

  /** Writes the significant digits of a {@code Double.toString}-style string into {@code digits}; returns how many. */
  private static int javaDigits(String s, char[] digits) {
    int e = s.indexOf('E');
    int end = e < 0 ? s.length() : e;
    int k = 0;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c != '.' && (c != '0' || k > 0)) {
        digits[k++] = c;
      }
    }
    while (k > 0 && digits[k - 1] == '0') {
      k--;
    }
    return k;
  }

  /** n such that a {@code Double.toString}-style string is 0.digits × 10<sup>n</sup>. */
  private static int javaExponent(String s) {
    int e = s.indexOf('E');
    int end = e < 0 ? s.length() : e;
    int point = s.indexOf('.');
    int n = point < 0 ? end : point; // digits before the point
    if (n == 1 && s.charAt(0) == '0') { // "0.00123": no digit before the point, and a place for each leading zero after it
      n = 0;
      for (int i = point + 1; i < end && s.charAt(i) == '0'; i++) {
        n--;
      }
    }
    return n + (e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10));
  }

  /** The number form of schema version 1: {@link #numberV1}, appended. Unchanged since version 1; for the verifier. */
  static void appendDoubleV1(double d, StringBuilder out) {
    if (!appendSpecial(d, out)) {
      if (d < 0) {
        out.append('-');
        d = -d;
      }
      if (d < TWO_53 && d == (long) d) {
        out.append((long) d);
      } else if (d < Double.MIN_NORMAL || !appendFewDecimals(d, out) && !appendUpTo15DigitsV1(d, out)) {
        appendSearchedV1(d, out);
      }
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
   * so it is the shortest and nearest. No string, no allocation but the digits.
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

  /** Version 1: positive normal {@code d} from JDK 17's {@code Double.toString} digits if there are at most 15; false (nothing written) if not. */
  private static boolean appendUpTo15DigitsV1(double d, StringBuilder out) {
    String s = Double.toString(d); // "123.45", "0.00123" or "1.2345E-7"
    char[] digits = new char[s.length()];
    int k = javaDigits(s, digits);
    if (k > 15) {
      return false;
    }
    appendDecimal(digits, k, javaExponent(s), out);
    return true;
  }

  /** Version 1: the digits of {@link #shortestV1}. */
  private static void appendSearchedV1(double d, StringBuilder out) {
    BigDecimal exact = shortestV1(d);
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

  /**
   * Version 1's search: the exact value of positive {@code d} rounded to 1, 2, … 17 digits, the
   * first that reads back as {@code d}. This is where version 1 differs from ECMAScript: rounding
   * to n digits yields the nearest n-digit decimal, which for a power of two (whose lower
   * neighbour is half as far as the upper) can lie outside the interval that reads back as
   * {@code d} while the other n-digit decimal beside it lies inside; then a digit too many is
   * written.
   */
  private static BigDecimal shortestV1(double d) {
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
