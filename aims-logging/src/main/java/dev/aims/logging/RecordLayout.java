package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 */
final class RecordLayout {
  static final int SCHEMA_VERSION = 1;
  static final Set<String> ENVELOPE = Set.of("v", "seq", "stream", "prev", "hash");
  static final byte[] HASH_OPEN = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LINE_END = "\"}\n".getBytes(StandardCharsets.US_ASCII);

  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Hex::sha256);
  /** Each producer thread reuses one builder for its records' text; one grown past this is not kept. */
  private static final int KEEP_TEXT_CHARS = 64 * 1024;
  private static final ThreadLocal<StringBuilder> TEXT = ThreadLocal.withInitial(() -> new StringBuilder(4096));

  private RecordLayout() {}

  /** A record laid out and partly hashed, waiting for its place in the chain. */
  static final class Prepared {
    final String type;
    final byte[] head;
    final byte[] mid;
    /** Everything after {@code "seq":N}, without the final brace. */
    final byte[] tail;
    /** SHA-256 state after {@code head}, or null if the provider cannot clone digests. */
    final MessageDigest afterHead;

    Prepared(String type, byte[] head, byte[] mid, byte[] tail, MessageDigest afterHead) {
      this.type = type;
      this.head = head;
      this.mid = mid;
      this.tail = tail;
      this.afterHead = afterHead;
    }

    int lengthWithout(int seqDigits) {
      return head.length + 64 + mid.length + seqDigits + tail.length + HASH_OPEN.length + 64 + LINE_END.length;
    }
  }

  static Prepared prepare(ObjectNode body, String stream) {
    List<String> keys = new ArrayList<>(body.size() + 2);
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (ENVELOPE.contains(e.getKey())) {
        throw new IllegalArgumentException("event field '" + e.getKey() + "' is reserved for the log envelope");
      }
      keys.add(e.getKey());
    }
    keys.add("stream");
    keys.add("v");
    Collections.sort(keys);
    // one pass over the sorted keys; "stream" and "v" sort after "seq", so they fall in the tail
    StringBuilder text = TEXT.get();
    text.setLength(0);
    text.append('{');
    int i = 0;
    for (; i < keys.size() && keys.get(i).compareTo("prev") < 0; i++) {
      member(keys.get(i), body, stream, text);
      text.append(',');
    }
    text.append("\"prev\":\"");
    int headEnd = text.length();
    text.append("\",");
    for (; i < keys.size() && keys.get(i).compareTo("seq") < 0; i++) {
      member(keys.get(i), body, stream, text);
      text.append(',');
    }
    text.append("\"seq\":");
    int midEnd = text.length();
    for (; i < keys.size(); i++) {
      text.append(',');
      member(keys.get(i), body, stream, text);
    }
    byte[] h = text.substring(0, headEnd).getBytes(StandardCharsets.UTF_8);
    byte[] m = text.substring(headEnd, midEnd).getBytes(StandardCharsets.UTF_8);
    byte[] tailBytes = text.substring(midEnd).getBytes(StandardCharsets.UTF_8);
    if (text.capacity() > KEEP_TEXT_CHARS) {
      TEXT.remove(); // a rare huge record: let its buffer go
    }
    MessageDigest md = DIGEST.get();
    md.reset();
    md.update(h);
    MessageDigest afterHead;
    try {
      afterHead = (MessageDigest) md.clone();
    } catch (CloneNotSupportedException e) {
      afterHead = null;
    }
    JsonNode type = body.get("type");
    return new Prepared(type == null ? "" : type.asText(), h, m, tailBytes, afterHead);
  }

  /** {@code "key":value} in canonical form; the envelope's own {@code stream} and {@code v} come from the log. */
  private static void member(String key, ObjectNode body, String stream, StringBuilder out) {
    CanonicalJson.appendString(key, out);
    out.append(':');
    switch (key) {
      case "stream" -> CanonicalJson.appendString(stream, out);
      case "v" -> out.append(SCHEMA_VERSION);
      default -> CanonicalJson.append(body.get(key), out);
    }
  }
}
