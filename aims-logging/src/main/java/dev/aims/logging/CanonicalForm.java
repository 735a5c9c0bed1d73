package dev.aims.logging;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.aims.core.event.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Checks in one pass over the bytes that a record is exactly its own canonical form, as
 * {@link CanonicalJson} writes it: valid UTF-8 (strict), no whitespace, object keys strictly
 * increasing in UTF-16 order at every depth, strings escaped minimally (lone surrogates as
 * {@code \\uXXXX}, lower-case hex), numbers exactly in the canonical form of the record's schema
 * version. The answer is the same as parsing the record with Jackson, writing it again with
 * {@link CanonicalJson} and comparing bytes ({@code CanonicalFormTest} checks that over many
 * generated lines), without building a tree or a string.
 *
 * <p>It also notes where the top-level envelope members are, so that {@link LineScanner} reads
 * them without a second walk. One instance per thread: it keeps its scratch space.
 */
final class CanonicalForm {
  /** 2<sup>53</sup>: schema version 2 writes larger integers as strings, a double cannot hold them all. */
  private static final long TWO_53 = 1L << 53;
  private static final int MAX_DEPTH = StreamReadConstraints.defaults().getMaxNestingDepth();
  private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.defaults().getMaxNumberLength();
  private static final byte[] TWO_53_DIGITS = Long.toString(TWO_53).getBytes(StandardCharsets.US_ASCII);

  // top-level members, [start, end) of the value; -1 if absent
  int seqStart = -1;
  int seqEnd;
  int prevStart = -1;
  int prevEnd;
  int typeStart = -1;
  int typeEnd;
  int tsStart = -1;
  int tsEnd;
  int streamStart = -1;
  int streamEnd;
  int vStart = -1;
  int vEnd;

  private byte[] b = new byte[0];
  private int lineStart;
  private @Nullable String error;
  /** Fraction or exponent numbers, [start, end) pairs: checked once the version is known. */
  private int[] fractions = new int[16];
  private int fractionCount;
  /** An integer token beyond 2<sup>53</sup> in magnitude (allowed in version 1 only). */
  private int[] bigIntegers = new int[8];
  private int bigIntegerCount;

  /**
   * Checks {@code buf[from, membersEnd)} followed by a closing brace, the record without its
   * trailing {@code hash} member: {@code buf[from]} is the opening brace, {@code membersEnd} the
   * position of the {@code ,"hash"} that follows the last member.
   *
   * @return null if canonical, else why not
   */
  @Nullable String check(byte[] buf, int from, int membersEnd) {
    b = buf;
    lineStart = from;
    error = null;
    fractionCount = 0;
    bigIntegerCount = 0;
    seqStart = prevStart = typeStart = tsStart = streamStart = vStart = -1;
    if (buf[from] != '{') {
      return "a record is a JSON object";
    }
    int p = members(from + 1, membersEnd, 1, membersEnd);
    if (p < 0) {
      return error;
    }
    if (p != membersEnd) {
      return "unexpected byte at " + (p - from);
    }
    return null;
  }

  /**
   * Checks the numbers collected by {@link #check} against the form of schema {@code version}
   * (1 or 2); null if they are all in it.
   */
  @Nullable String checkNumbers(int version) {
    if (version >= 2) {
      // an integer a double cannot hold is a string in version 2; an integer token this large is only
      // canonical as the ECMAScript form of a double (1e20 is written 100000000000000000000)
      for (int i = 0; i < bigIntegerCount; i += 2) {
        int s = bigIntegers[i];
        int e = bigIntegers[i + 1];
        String token = new String(b, s, e - s, StandardCharsets.US_ASCII);
        if (!numberV2(Double.parseDouble(token)).equals(token)) {
          return "integer " + token + " at byte " + (s - lineStart) + " is beyond 2^53 and not a double's ECMAScript"
              + " form (schema version 2 writes such an integer as a string)";
        }
      }
    }
    for (int i = 0; i < fractionCount; i += 2) {
      int s = fractions[i];
      int e = fractions[i + 1];
      if (isShortPlainDecimal(s, e)) {
        continue;
      }
      String token = new String(b, s, e - s, StandardCharsets.US_ASCII);
      double d = Double.parseDouble(token);
      String canonical = version >= 2 ? numberV2(d) : numberV1(d);
      if (!canonical.equals(token)) {
        return "number " + token + " at byte " + (s - lineStart) + " is not in canonical form (" + canonical + ")";
      }
    }
    return null;
  }

  /**
   * True for a token such as {@code 0.0645} or {@code -58000.5} that is its own canonical form in
   * both versions, found without parsing: no exponent, at most 15 significant digits, no trailing
   * zero, at least 10<sup>-6</sup>. Distinct decimals of at most 15 significant digits read back as
   * distinct doubles, so no shorter decimal reads back as this one's double, and ECMAScript writes
   * such a value in plain notation with exactly these digits. Anything else goes the slow way.
   */
  private boolean isShortPlainDecimal(int s, int e) {
    int i = b[s] == '-' ? s + 1 : s;
    int intStart = i;
    while (i < e && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    int intEnd = i;
    if (i >= e || b[i] != '.') {
      return false;
    }
    int fracStart = ++i;
    while (i < e && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    if (i != e || b[e - 1] == '0') {
      return false;
    }
    int significant;
    if (intEnd - intStart == 1 && b[intStart] == '0') {
      int zeros = 0;
      while (b[fracStart + zeros] == '0') {
        zeros++;
      }
      if (zeros > 5) {
        return false;
      }
      significant = e - fracStart - zeros;
    } else {
      significant = intEnd - intStart + e - fracStart;
    }
    return significant <= 15;
  }

  private static String numberV1(double d) {
    return CanonicalJson.numberV1(d);
  }

  private static String numberV2(double d) {
    return CanonicalJson.numberV2(d);
  }

  private int fail(String why, int at) {
    error = why + " at byte " + (at - lineStart);
    return -1;
  }

  /**
   * Members of an object from {@code p} (just after its brace) to its closing brace, which is at
   * {@code close} for the top level (the brace is implicit there) or found for nested objects
   * ({@code close} < 0). Returns the index after the object (after its brace; {@code close} for the
   * top level), or -1.
   */
  private int members(int p, int end, int depth, int close) {
    if (depth > MAX_DEPTH) {
      return fail("nested deeper than " + MAX_DEPTH, p);
    }
    int prevKeyStart = -1;
    int prevKeyEnd = -1;
    boolean prevKeyPlain = true;
    if (p == close) {
      return p;
    }
    if (close < 0 && p < end && b[p] == '}') {
      return p + 1;
    }
    while (true) {
      if (p >= end || b[p] != '"') {
        return fail("expected a key", p);
      }
      int keyStart = p + 1;
      inKey = true;
      int afterKey = string(p, end);
      inKey = false;
      if (afterKey < 0) {
        return -1;
      }
      int keyEnd = afterKey - 1;
      boolean keyPlain = plain;
      if (prevKeyStart >= 0 && compareKeys(prevKeyStart, prevKeyEnd, prevKeyPlain, keyStart, keyEnd, keyPlain) >= 0) {
        return fail("keys out of order or repeated", keyStart - 1);
      }
      prevKeyStart = keyStart;
      prevKeyEnd = keyEnd;
      prevKeyPlain = keyPlain;
      if (afterKey >= end || b[afterKey] != ':') {
        return fail("expected ':'", afterKey);
      }
      int valueStart = afterKey + 1;
      int valueEnd = value(valueStart, end, depth);
      if (valueEnd < 0) {
        return -1;
      }
      if (depth == 1) {
        envelope(keyStart, keyEnd, valueStart, valueEnd);
      }
      p = valueEnd;
      if (p == close) {
        return p;
      }
      if (p >= end) {
        return fail("object not closed", p);
      }
      if (b[p] == '}' && close < 0) {
        return p + 1;
      }
      if (b[p] != ',') {
        return fail("expected ',' or '}'", p);
      }
      p++;
    }
  }

  private void envelope(int keyStart, int keyEnd, int valueStart, int valueEnd) {
    switch (keyEnd - keyStart) {
      case 1 -> {
        if (b[keyStart] == 'v') {
          vStart = valueStart;
          vEnd = valueEnd;
        }
      }
      case 2 -> {
        if (b[keyStart] == 't' && b[keyStart + 1] == 's') {
          tsStart = valueStart;
          tsEnd = valueEnd;
        }
      }
      case 3 -> {
        if (is(keyStart, "seq")) {
          seqStart = valueStart;
          seqEnd = valueEnd;
        }
      }
      case 4 -> {
        if (is(keyStart, "prev")) {
          prevStart = valueStart;
          prevEnd = valueEnd;
        } else if (is(keyStart, "type")) {
          typeStart = valueStart;
          typeEnd = valueEnd;
        } else if (is(keyStart, "hash")) {
          vStart = -2; // a second hash member: reported by the scanner as a bad version
        }
      }
      case 6 -> {
        if (is(keyStart, "stream")) {
          streamStart = valueStart;
          streamEnd = valueEnd;
        }
      }
      default -> { }
    }
  }

  private boolean is(int at, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (b[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int value(int p, int end, int depth) {
    if (p >= end) {
      return fail("expected a value", p);
    }
    byte c = b[p];
    switch (c) {
      case '"' -> {
        return string(p, end);
      }
      case '{' -> {
        return members(p + 1, end, depth + 1, -1);
      }
      case '[' -> {
        return elements(p + 1, end, depth + 1);
      }
      case 't' -> {
        return literal(p, end, "true");
      }
      case 'f' -> {
        return literal(p, end, "false");
      }
      case 'n' -> {
        return literal(p, end, "null");
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number(p, end);
        }
        return fail("unexpected byte 0x" + Integer.toHexString(c & 0xff), p);
      }
    }
  }

  private int elements(int p, int end, int depth) {
    if (depth > MAX_DEPTH) {
      return fail("nested deeper than " + MAX_DEPTH, p);
    }
    if (p < end && b[p] == ']') {
      return p + 1;
    }
    while (true) {
      p = value(p, end, depth);
      if (p < 0) {
        return -1;
      }
      if (p >= end) {
        return fail("array not closed", p);
      }
      if (b[p] == ']') {
        return p + 1;
      }
      if (b[p] != ',') {
        return fail("expected ',' or ']'", p);
      }
      p++;
    }
  }

  private int literal(int p, int end, String word) {
    int n = word.length();
    if (end - p < n || !is(p, word)) {
      return fail("unexpected byte 0x" + Integer.toHexString(b[p] & 0xff), p);
    }
    return p + n;
  }

  /** The index of the first byte at or after {@code p} that is not an ASCII digit. */
  private int skipDigits(int p, int end) {
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      p++;
    }
    return p;
  }

  private int number(int p, int end) {
    int start = p;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
    }
    if (p >= end || b[p] < '0' || b[p] > '9') {
      return fail("malformed number", start);
    }
    int intStart = p;
    if (b[p] == '0') {
      p++;
    } else {
      p = skipDigits(p, end);
    }
    int intEnd = p;
    boolean fraction = false;
    if (p < end && b[p] == '.') {
      fraction = true;
      p++;
      int digits = p;
      p = skipDigits(p, end);
      if (p == digits) {
        return fail("malformed number", start);
      }
    }
    if (p < end && (b[p] == 'e' || b[p] == 'E')) {
      fraction = true;
      p++;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      int digits = p;
      p = skipDigits(p, end);
      if (p == digits) {
        return fail("malformed number", start);
      }
    }
    if (p < end && b[p] >= '0' && b[p] <= '9') {
      return fail("number with a leading zero", start); // "01": Jackson refuses it too
    }
    if (p - start > MAX_NUMBER_LENGTH) {
      return fail("number longer than " + MAX_NUMBER_LENGTH + " characters", start);
    }
    if (fraction) {
      if (fractionCount + 2 > fractions.length) {
        fractions = Arrays.copyOf(fractions, fractions.length * 2);
      }
      fractions[fractionCount++] = start;
      fractions[fractionCount++] = p;
    } else {
      if (negative && intEnd - intStart == 1 && b[intStart] == '0') {
        return fail("-0 is written 0", start);
      }
      if (beyond2To53(intStart, intEnd)) {
        if (bigIntegerCount + 2 > bigIntegers.length) {
          bigIntegers = Arrays.copyOf(bigIntegers, bigIntegers.length * 2);
        }
        bigIntegers[bigIntegerCount++] = start;
        bigIntegers[bigIntegerCount++] = p;
      }
    }
    return p;
  }

  private boolean beyond2To53(int from, int to) {
    int n = to - from;
    if (n != TWO_53_DIGITS.length) {
      return n > TWO_53_DIGITS.length;
    }
    return Arrays.compare(b, from, to, TWO_53_DIGITS, 0, n) > 0;
  }

  /** Printable ASCII but the quote and the backslash: a string's bytes that need no further look. */
  private static final boolean[] PLAIN = new boolean[256];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  /** Set by {@link #string}: the string had no escape and only ASCII. */
  private boolean plain;
  /** The string being read is a key: Jackson refuses lone surrogates there, so a record with one is not read back. */
  private boolean inKey;

  /** Index after the string starting at the quote {@code b[p]}, or -1. */
  private int string(int p, int end) {
    int i = p + 1;
    boolean ascii = true;
    while (true) {
      while (i < end && PLAIN[b[i] & 0xff]) {
        i++; // the usual bytes, one test each
      }
      if (i >= end) {
        return fail("string not closed", p);
      }
      int c = b[i] & 0xff;
      if (c == '"') {
        plain = ascii;
        return i + 1;
      }
      if (c < 0x20) {
        return fail("control character in a string", i);
      }
      if (c == '\\') {
        ascii = false;
        i = escape(i, end);
        if (i < 0) {
          return -1;
        }
      } else if (c < 0x80) {
        i++;
      } else {
        ascii = false;
        i = utf8(i, c, end);
        if (i < 0) {
          return -1;
        }
      }
    }
  }

  /** The escape at {@code b[i]} (a backslash) in its canonical form; the index after it, or -1. */
  private int escape(int i, int end) {
    if (i + 1 >= end) {
      return fail("string not closed", i);
    }
    switch (b[i + 1]) {
      case '"', '\\', 'b', 'f', 'n', 'r', 't' -> {
        return i + 2;
      }
      case 'u' -> {
        int cu = hex4(i + 2, end);
        if (cu < 0) {
          return fail("\\u escape needs four lower-case hex digits", i);
        }
        if (cu < 0x20) {
          if (cu == '\b' || cu == '\f' || cu == '\n' || cu == '\r' || cu == '\t') {
            return fail("escape \\u" + hex(cu) + " has a short form", i);
          }
          return i + 6;
        }
        if (cu >= 0xD800 && cu <= 0xDFFF && inKey) {
          return fail("a lone surrogate in a key (JSON parsers refuse it there, so the record cannot be read back)", i);
        }
        if (cu >= 0xD800 && cu <= 0xDBFF) {
          // lone only if no low-surrogate escape follows; a pair is written as UTF-8
          if (i + 7 < end && b[i + 6] == '\\' && b[i + 7] == 'u') {
            int next = hex4(i + 8, end);
            if (next >= 0xDC00 && next <= 0xDFFF) {
              return fail("a surrogate pair is written as UTF-8, not escaped", i);
            }
          }
          return i + 6;
        }
        if (cu >= 0xDC00 && cu <= 0xDFFF) {
          return i + 6; // a low surrogate after a high escape was refused there; after anything else it is lone
        }
        return fail("\\u" + hex(cu) + " needs no escape", i);
      }
      default -> {
        return fail("escape \\" + (char) (b[i + 1] & 0xff) + " is not canonical", i);
      }
    }
  }

  private static String hex(int cu) {
    return String.format("%04x", cu);
  }

  /** The four lower-case hex digits at {@code b[i]} as a number, or -1. */
  private int hex4(int i, int end) {
    if (i + 4 > end) {
      return -1;
    }
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int c = b[k];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  /** Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF) from lead byte {@code c} at {@code i}. */
  private int utf8(int i, int c, int end) {
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) {
        lo = 0xA0;
      } else if (c == 0xED) {
        hi = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) {
        lo = 0x90;
      } else if (c == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return fail("not valid UTF-8", i);
    }
    if (i + n >= end) {
      return fail("not valid UTF-8", i);
    }
    int c1 = b[i + 1] & 0xff;
    if (c1 < lo || c1 > hi) {
      return fail("not valid UTF-8", i);
    }
    for (int k = 2; k <= n; k++) {
      int ck = b[i + k] & 0xff;
      if (ck < 0x80 || ck > 0xBF) {
        return fail("not valid UTF-8", i);
      }
    }
    return i + n + 1;
  }

  /** Keys in UTF-16 order: bytes when both are plain ASCII, else the decoded strings. */
  private int compareKeys(int aStart, int aEnd, boolean aPlain, int bStart, int bEnd, boolean bPlain) {
    if (aPlain && bPlain) {
      return Arrays.compare(b, aStart, aEnd, b, bStart, bEnd);
    }
    return decode(aStart, aEnd).compareTo(decode(bStart, bEnd));
  }

  /** The string whose canonical body (between the quotes) is {@code b[from, to)}; it was checked. */
  String decode(int from, int to) {
    StringBuilder s = new StringBuilder(to - from);
    int run = from;
    for (int i = from; i < to; i++) {
      if (b[i] == '\\') {
        s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
        char e = (char) b[i + 1];
        switch (e) {
          case 'b' -> s.append('\b');
          case 'f' -> s.append('\f');
          case 'n' -> s.append('\n');
          case 'r' -> s.append('\r');
          case 't' -> s.append('\t');
          case 'u' -> {
            s.append((char) hex4(i + 2, to));
            i += 4;
          }
          default -> s.append(e);
        }
        i++;
        run = i + 1;
      }
    }
    s.append(new String(b, run, to - run, StandardCharsets.UTF_8));
    return s.toString();
  }
}
