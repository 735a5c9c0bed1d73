package dev.aims.logging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads the envelope of one log line without a JSON parser: the top-level {@code seq},
 * {@code prev}, {@code type}, {@code ts} and the trailing {@code hash}, and checks that the hash
 * is the SHA-256 of the line without it. Fast enough to verify logs at disk speed.
 */
final class LineScanner {
  private LineScanner() {}

  /** What one line says about itself. {@code error} is set when the line is not a valid record. */
  record Line(long seq, @Nullable String prev, @Nullable String type, @Nullable String ts, @Nullable String hash,
      byte @Nullable [] hashBytes, @Nullable String error, @Nullable String stream, int version) {
    boolean valid() {
      return error == null;
    }

    static Line invalid(String error) {
      return new Line(-1, null, null, null, null, null, error, null, 0);
    }
  }

  /**
   * {@link #scan} and more, for verification: the line is valid UTF-8 and exactly its own canonical
   * form for its schema version ({@link CanonicalForm}), and has the whole envelope — {@code v}
   * (1 or 2), {@code seq}, {@code prev}, {@code stream}, {@code type} and {@code ts} — with values
   * of the right kind.
   */
  static Line scanStrict(byte[] buf, int from, int to, MessageDigest md, CanonicalForm form) {
    Hashed h = hashed(buf, from, to, md);
    if (h.error() != null) {
      return Line.invalid(h.error());
    }
    int hashOpen = h.hashOpen();
    int hashStart = hashOpen + RecordLayout.HASH_OPEN.length;
    byte[] digest = h.digest();
    String why = form.check(buf, from, hashOpen);
    if (why != null) {
      return Line.invalid("not in canonical form: " + why);
    }
    if (form.vStart == -2) {
      return Line.invalid("a second \"hash\" member");
    }
    if (form.vStart < 0 || form.vEnd - form.vStart != 1 || (buf[form.vStart] != '1' && buf[form.vStart] != '2')) {
      return Line.invalid(form.vStart < 0 ? "no schema version v" : "unknown schema version v "
          + new String(buf, form.vStart, form.vEnd - form.vStart, StandardCharsets.UTF_8));
    }
    int version = buf[form.vStart] - '0';
    why = form.checkNumbers(version);
    if (why != null) {
      return Line.invalid("not in canonical form: " + why);
    }
    long seq = form.seqStart < 0 ? -1 : positiveLong(buf, form.seqStart, form.seqEnd);
    if (seq < 1) {
      return Line.invalid(form.seqStart < 0 ? "no seq" : "seq is not a positive integer");
    }
    String prev = plainString(buf, form.prevStart, form.prevEnd, form);
    if (prev == null || prev.length() != 64 || !isHex(buf, form.prevStart + 1, form.prevEnd - 1)) {
      return Line.invalid("prev is not 64 lower-case hex digits");
    }
    String stream = plainString(buf, form.streamStart, form.streamEnd, form);
    if (stream == null) {
      return Line.invalid("no stream");
    }
    String type = plainString(buf, form.typeStart, form.typeEnd, form);
    if (type == null) {
      return Line.invalid("no type");
    }
    String ts = plainString(buf, form.tsStart, form.tsEnd, form);
    if (ts == null) {
      return Line.invalid("no ts");
    }
    return new Line(seq, prev, type, ts, new String(buf, hashStart, 64, StandardCharsets.US_ASCII), digest, null,
        stream, version);
  }

  /** The string value at {@code buf[start, end)} (quotes included), or null if absent or not a string. */
  private static @Nullable String plainString(byte[] buf, int start, int end, CanonicalForm form) {
    if (start < 0 || buf[start] != '"') {
      return null;
    }
    for (int i = start + 1; i < end - 1; i++) {
      if (buf[i] == '\\') {
        return form.decode(start + 1, end - 1);
      }
    }
    return new String(buf, start + 1, end - start - 2, StandardCharsets.UTF_8);
  }

  /** The canonical positive integer at {@code buf[start, end)}, or -1. */
  private static long positiveLong(byte[] buf, int start, int end) {
    int n = end - start;
    if (n < 1 || n > 18 || buf[start] < '1' || buf[start] > '9') {
      return -1;
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      byte c = buf[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Scans {@code buf[from, to)}, a line without its newline. */
  static Line scan(byte[] buf, int from, int to, MessageDigest md) {
    Hashed h = hashed(buf, from, to, md);
    if (h.error() != null) {
      return Line.invalid(h.error());
    }
    int hashOpen = h.hashOpen();
    int hashStart = hashOpen + RecordLayout.HASH_OPEN.length;
    byte[] digest = h.digest();
    long seq = -1;
    String prev = null;
    String type = null;
    String ts = null;
    // walk top-level members of buf[from+1, hashOpen)
    int i = from + 1;
    int end = hashOpen;
    while (i < end) {
      if (buf[i] != '"') {
        return Line.invalid("malformed member at byte " + (i - from));
      }
      int keyEnd = skipString(buf, i, end);
      if (keyEnd < 0 || keyEnd >= end || buf[keyEnd] != ':') {
        return Line.invalid("malformed key at byte " + (i - from));
      }
      String key = new String(buf, i + 1, keyEnd - i - 2, StandardCharsets.UTF_8);
      int valueStart = keyEnd + 1;
      int valueEnd = skipValue(buf, valueStart, end);
      if (valueEnd < 0) {
        return Line.invalid("malformed value of '" + key + "'");
      }
      switch (key) {
        case "seq" -> {
          try {
            seq = Long.parseLong(new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII));
          } catch (NumberFormatException e) {
            return Line.invalid("seq is not an integer");
          }
        }
        case "prev" -> prev = stringValue(buf, valueStart, valueEnd);
        case "type" -> type = stringValue(buf, valueStart, valueEnd);
        case "ts" -> ts = stringValue(buf, valueStart, valueEnd);
        default -> { }
      }
      i = valueEnd;
      if (i < end) {
        if (buf[i] != ',') {
          return Line.invalid("expected ',' at byte " + (i - from));
        }
        i++;
      }
    }
    if (seq < 1) {
      return Line.invalid("no seq");
    }
    if (prev == null || prev.length() != 64) {
      return Line.invalid("no prev hash");
    }
    return new Line(seq, prev, type, ts, new String(buf, hashStart, 64, StandardCharsets.US_ASCII), digest, null,
        null, 0);
  }

  private static @Nullable String stringValue(byte[] buf, int start, int end) {
    if (end - start < 2 || buf[start] != '"') {
      return null;
    }
    return new String(buf, start + 1, end - start - 2, StandardCharsets.UTF_8);
  }

  /** Index after the string starting at {@code i} (a quote), or -1. */
  private static int skipString(byte[] buf, int i, int end) {
    for (int j = i + 1; j < end; j++) {
      byte b = buf[j];
      if (b == '\\') {
        j++;
      } else if (b == '"') {
        return j + 1;
      }
    }
    return -1;
  }

  /** Index after the value starting at {@code i}, or -1. */
  private static int skipValue(byte[] buf, int i, int end) {
    if (i >= end) {
      return -1;
    }
    byte b = buf[i];
    if (b == '"') {
      return skipString(buf, i, end);
    }
    if (b == '{' || b == '[') {
      int depth = 0;
      for (int j = i; j < end; j++) {
        byte c = buf[j];
        if (c == '"') {
          j = skipString(buf, j, end) - 1;
          if (j < 0) {
            return -1;
          }
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return j + 1;
          }
        }
      }
      return -1;
    }
    int j = i;
    while (j < end && buf[j] != ',' && buf[j] != '}' && buf[j] != ']') {
      j++;
    }
    return j == i ? -1 : j;
  }

  /** Where a line's {@code ,"hash":"} starts and the SHA-256 it names, or why the line has no valid one. */
  private record Hashed(int hashOpen, byte @Nullable [] digest, @Nullable String error) {
    static Hashed invalid(String error) {
      return new Hashed(-1, null, error);
    }
  }

  /** Checks the trailing {@code ,"hash":"<64 hex>"}} of {@code buf[from, to)} against SHA-256 of the line without it. */
  private static Hashed hashed(byte[] buf, int from, int to, MessageDigest md) {
    int suffix = RecordLayout.HASH_OPEN.length + 64 + 2;
    if (to - from < suffix + 2 || buf[from] != '{' || buf[to - 1] != '}' || buf[to - 2] != '"') {
      return Hashed.invalid("not a complete record line");
    }
    int hashOpen = to - suffix;
    if (!Arrays.equals(buf, hashOpen, hashOpen + RecordLayout.HASH_OPEN.length, RecordLayout.HASH_OPEN, 0,
        RecordLayout.HASH_OPEN.length)) {
      return Hashed.invalid("no trailing \"hash\" member");
    }
    int hashStart = hashOpen + RecordLayout.HASH_OPEN.length;
    if (!isHex(buf, hashStart, hashStart + 64)) {
      return Hashed.invalid("hash is not 64 lower-case hex digits");
    }
    md.reset();
    md.update(buf, from, hashOpen - from);
    md.update((byte) '}');
    byte[] digest = md.digest();
    if (!Arrays.equals(Hex.hexBytes(digest), 0, 64, buf, hashStart, hashStart + 64)) {
      return Hashed.invalid("hash does not match the record's content");
    }
    return new Hashed(hashOpen, digest, null);
  }

  private static boolean isHex(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
