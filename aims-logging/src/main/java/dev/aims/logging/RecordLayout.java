package dev.aims.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalBody;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Lays out one record for the chain on the producer's thread, so the single writer only has to
 * fill in {@code prev} and {@code seq} and finish a hash that is already mostly computed.
 *
 * <p>A line is the canonical JSON of the record without {@code hash} — body fields plus the
 * envelope {@code v}, {@code seq}, {@code stream}, {@code prev}, keys sorted — with
 * {@code ,"hash":"<hex>"} inserted before the closing brace. Because keys are sorted, the bytes
 * split into {@code head} (keys before "prev"), {@code mid} (between "prev" and "seq") and
 * {@code tail} (after "seq"); the large fields (decision_id, features, input, output, model) sort
 * before "prev", so the producer hashes them into a SHA-256 midstate.
 *
 * <p>Schema version 2: every record has a {@code ts} in {@link Timestamps}' fixed form (a body
 * whose {@code ts} is another ISO-8601 instant is rewritten to it, one without a timestamp is
 * refused). {@code "ts"} sorts after {@code "seq"}, so its 27 characters lie in the tail, which the
 * writer hashes only when it links the record: it can clamp them in place ({@link Prepared#tsAt}).
 */
final class RecordLayout {
  static final int SCHEMA_VERSION = dev.aims.core.event.EventTypes.SCHEMA_VERSION;
  static final Set<String> ENVELOPE = Set.of("v", "seq", "stream", "prev", "hash");
  static final byte[] HASH_OPEN = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LINE_END = "\"}\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] PREV_OPEN = "\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PREV_CLOSE = "\",".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_OPEN = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TS_OPEN = "\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
  /** {@code "ts":"} + 27 characters + {@code "}. */
  private static final int TS_MEMBER_LENGTH = TS_OPEN.length + Timestamps.LENGTH + 1;
  private static final byte[] V_MEMBER = ("\"v\":" + SCHEMA_VERSION).getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Hex::sha256);
  /** {@code "stream":"<id>"} for the last stream laid out: a log has one stream, so this is nearly always a hit. */
  private static volatile StreamMember lastStream = new StreamMember("", member("stream", ""));

  private RecordLayout() {}

  private record StreamMember(String stream, byte[] bytes) {}

  /**
   * A record laid out and partly hashed, waiting for its place in the chain: the record's
   * canonical text without the previous hash and seq, split at those two places.
   */
  static final class Prepared {
    final String type;
    /** {@code head + mid + tail}: head ends inside {@code "prev":"}, mid just after {@code "seq":}. */
    final byte[] text;
    final int headEnd;
    final int midEnd;
    /** Where the {@link Timestamps#LENGTH} characters of the {@code ts} value start in {@link #text}, after {@link #midEnd}. */
    final int tsAt;
    /** SHA-256 state after {@code head}, or null if the provider cannot clone digests. */
    final MessageDigest afterHead;

    Prepared(String type, byte[] text, int headEnd, int midEnd, int tsAt, MessageDigest afterHead) {
      this.type = type;
      this.text = text;
      this.headEnd = headEnd;
      this.midEnd = midEnd;
      this.tsAt = tsAt;
      this.afterHead = afterHead;
    }

    int lengthWithout(int seqDigits) {
      return text.length + 64 + seqDigits + HASH_OPEN.length + 64 + LINE_END.length;
    }
  }

  static Prepared prepare(ObjectNode body, String stream) {
    return prepare(CanonicalBody.of(body), stream);
  }

  /**
   * Merges the envelope ({@code prev}, {@code seq}, {@code stream}, {@code v}) into the body's
   * sorted members and hashes everything before the previous hash. The body's bytes are copied,
   * never re-serialised.
   */
  static Prepared prepare(CanonicalBody body, String stream) {
    int n = body.size();
    int bodyBytes = 0;
    int tsIndex = -1;
    for (int i = 0; i < n; i++) {
      String key = body.key(i);
      if (isEnvelope(key)) {
        throw new IllegalArgumentException("event field '" + key + "' is reserved for the log envelope");
      }
      if (key.equals("ts")) {
        tsIndex = i;
      }
      bodyBytes += body.memberLength(i);
    }
    if (tsIndex < 0) {
      throw new IllegalArgumentException("the event has no 'ts': every record needs its time");
    }
    byte[] tsMember = tsMember(body, tsIndex);
    bodyBytes += tsMember.length - body.memberLength(tsIndex);
    byte[] streamMember = streamMember(stream);
    // '{', a comma after each body member, the envelope members and their commas; no final brace
    int length = 1 + bodyBytes + n + PREV_OPEN.length + PREV_CLOSE.length + SEQ_OPEN.length
        + 1 + streamMember.length + 1 + V_MEMBER.length;
    byte[] text = new byte[length];
    int p = 0;
    text[p++] = '{';
    int i = 0;
    for (; i < n && body.key(i).compareTo("prev") < 0; i++) {
      p = body.copyMember(i, text, p);
      text[p++] = ',';
    }
    p = put(PREV_OPEN, text, p);
    int headEnd = p;
    p = put(PREV_CLOSE, text, p);
    for (; i < n && body.key(i).compareTo("seq") < 0; i++) {
      p = body.copyMember(i, text, p);
      text[p++] = ',';
    }
    p = put(SEQ_OPEN, text, p);
    int midEnd = p;
    int tsAt = -1;
    // after "seq": the body's keys, with "stream" and "v" in their places
    boolean streamDone = false;
    boolean vDone = false;
    for (; i <= n; i++) {
      String key = i < n ? body.key(i) : null;
      if (!streamDone && (key == null || key.compareTo("stream") > 0)) {
        text[p++] = ',';
        p = put(streamMember, text, p);
        streamDone = true;
      }
      if (!vDone && (key == null || key.compareTo("v") > 0)) {
        text[p++] = ',';
        p = put(V_MEMBER, text, p);
        vDone = true;
      }
      if (key != null) {
        text[p++] = ',';
        if (i == tsIndex) {
          tsAt = p + TS_OPEN.length;
          p = put(tsMember, text, p);
        } else {
          p = body.copyMember(i, text, p);
        }
      }
    }
    if (p != length) {
      throw new IllegalStateException("record layout wrote " + p + " bytes, expected " + length);
    }
    MessageDigest md = DIGEST.get();
    md.reset();
    md.update(text, 0, headEnd);
    MessageDigest afterHead;
    try {
      afterHead = (MessageDigest) md.clone();
    } catch (CloneNotSupportedException e) {
      afterHead = null;
    }
    String type = body.type();
    return new Prepared(type == null ? "" : type, text, headEnd, midEnd, tsAt, afterHead);
  }

  /**
   * The body's {@code "ts":"..."} member in the fixed form: as it is when it already has that
   * shape (what {@link dev.aims.core.event.EventEncoder} writes), otherwise parsed and rewritten.
   */
  private static byte[] tsMember(CanonicalBody body, int index) {
    byte[] m = new byte[body.memberLength(index)];
    body.copyMember(index, m, 0);
    if (m.length == TS_MEMBER_LENGTH && m[m.length - 1] == '"' && hasFixedShape(m, TS_OPEN.length)) {
      return m;
    }
    String value = m.length >= TS_OPEN.length + 1 && m[TS_OPEN.length - 1] == '"' && m[m.length - 1] == '"'
        ? new String(m, TS_OPEN.length, m.length - TS_OPEN.length - 1, StandardCharsets.UTF_8) : null;
    String fixed;
    try {
      if (value == null || value.indexOf('\\') >= 0) {
        throw new DateTimeException("not a string");
      }
      fixed = Timestamps.format(Timestamps.parse(value));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("the event's 'ts' is not a timestamp: "
          + new String(m, StandardCharsets.UTF_8) + " (" + e.getMessage() + ")", e);
    }
    byte[] out = new byte[TS_MEMBER_LENGTH];
    int p = put(TS_OPEN, out, 0);
    p = put(fixed.getBytes(StandardCharsets.US_ASCII), out, p);
    out[p] = '"';
    return out;
  }

  /** {@code dddd-dd-ddTdd:dd:dd.ddddddZ} at {@code at}: the shape of {@link Timestamps#format}. */
  static boolean hasFixedShape(byte[] b, int at) {
    String shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
    for (int i = 0; i < Timestamps.LENGTH; i++) {
      char want = shape.charAt(i);
      byte got = b[at + i];
      if (want == 'd' ? got < '0' || got > '9' : got != want) {
        return false;
      }
    }
    return true;
  }

  /** {@code ENVELOPE.contains(key)} without hashing the key. */
  static boolean isEnvelope(String key) {
    return switch (key.length()) {
      case 1 -> key.equals("v");
      case 3 -> key.equals("seq");
      case 4 -> key.equals("prev") || key.equals("hash");
      case 6 -> key.equals("stream");
      default -> false;
    };
  }

  private static int put(byte[] src, byte[] dst, int at) {
    System.arraycopy(src, 0, dst, at, src.length);
    return at + src.length;
  }

  private static byte[] streamMember(String stream) {
    StreamMember last = lastStream;
    if (!last.stream.equals(stream)) {
      last = new StreamMember(stream, member("stream", stream));
      lastStream = last;
    }
    return last.bytes;
  }

  /** {@code "key":"value"} in canonical form. */
  private static byte[] member(String key, String value) {
    StringBuilder b = new StringBuilder();
    CanonicalJson.appendString(key, b);
    b.append(':');
    CanonicalJson.appendString(value, b);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
