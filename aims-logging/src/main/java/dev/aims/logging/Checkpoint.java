package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A {@code log.checkpoint}: the records {@code fromSeq..toSeq} ({@code count} of them, possibly
 * none when the log was idle), the hash of the last one ({@code head}), their RFC 6962 Merkle root,
 * the durability mode in force, the spacing the writer promises between checkpoints
 * ({@code checkpointEvery} records, {@code checkpointIntervalMs}), how many records of the range
 * had their {@code ts} clamped because the clock stepped back, and an Ed25519 signature over all
 * of that.
 *
 * @param seq the checkpoint line's own seq
 * @param keyId the first 16 hex digits of SHA-256 over the public key's X.509 encoding; null if unsigned
 * @param signature base64 Ed25519 signature over {@link #signedBytes()}; null if unsigned
 */
public record Checkpoint(
    String stream,
    long seq,
    String ts,
    long count,
    long fromSeq,
    long toSeq,
    String head,
    String merkleRoot,
    Durability durability,
    long checkpointEvery,
    long checkpointIntervalMs,
    long tsClamped,
    @Nullable String keyId,
    @Nullable String signature) {

  /** {@code checkpointEvery}, {@code checkpointIntervalMs} and {@code tsClamped} of a schema version 1 checkpoint. */
  public static final long NO_SPACING = -1;

  /**
   * False for a checkpoint of schema version 1, which has no {@code checkpoint_every},
   * {@code checkpoint_interval_ms} or {@code ts_clamped} (none are signed, and no tail is allowed after it).
   */
  public boolean declaresSpacing() {
    return checkpointEvery != NO_SPACING;
  }

  /** The canonical JSON the signature covers: every field but the signature and the line's own seq. */
  public byte[] signedBytes() {
    ObjectNode n = signedFields();
    n.put("stream", stream);
    return CanonicalJson.write(n).getBytes(StandardCharsets.UTF_8);
  }

  /** The event body of the checkpoint line (without the envelope, which carries the stream). */
  ObjectNode body() {
    ObjectNode n = signedFields();
    n.put("type", "log.checkpoint");
    if (signature != null) {
      n.put("signature", signature);
    }
    return n;
  }

  private ObjectNode signedFields() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("ts", ts);
    n.put("count", count);
    n.put("from_seq", fromSeq);
    n.put("to_seq", toSeq);
    n.put("head", head);
    n.put("merkle_root", merkleRoot);
    n.put("durability", durability.name());
    if (declaresSpacing()) {
      n.put("checkpoint_every", checkpointEvery);
      n.put("checkpoint_interval_ms", checkpointIntervalMs);
      n.put("ts_clamped", tsClamped);
    }
    if (keyId != null) {
      n.put("key_id", keyId);
    }
    return n;
  }

  /**
   * Reads a checkpoint line (or a published checkpoint: the same members). Strict: every field
   * must be present with a value of its kind, so that a malformed checkpoint is reported as a bad
   * record, never mistaken for a default.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  static Checkpoint fromLine(JsonNode line) {
    if (!line.isObject()) {
      throw new IllegalArgumentException("a checkpoint is a JSON object");
    }
    String stream = text(line, "stream");
    long seq = integer(line, "seq", 1);
    String ts = text(line, "ts");
    long count = integer(line, "count", 0);
    long fromSeq = integer(line, "from_seq", 1);
    long toSeq = integer(line, "to_seq", 0);
    if (toSeq != fromSeq + count - 1) {
      throw new IllegalArgumentException("checkpoint from_seq " + fromSeq + ", to_seq " + toSeq + " and count " + count
          + " disagree");
    }
    String head = hex(line, "head", 64);
    String merkleRoot = hex(line, "merkle_root", 64);
    String durabilityName = text(line, "durability");
    Durability durability;
    try {
      durability = Durability.valueOf(durabilityName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint durability '" + durabilityName + "' is none of "
          + java.util.Arrays.toString(Durability.values()));
    }
    // schema version 1 checkpoints declare no spacing; from version 2 on all three fields are required
    boolean spacing = line.path("v").asInt(0) >= 2 || line.has("checkpoint_every")
        || line.has("checkpoint_interval_ms") || line.has("ts_clamped");
    long every = spacing ? integer(line, "checkpoint_every", 1) : NO_SPACING;
    long intervalMs = spacing ? integer(line, "checkpoint_interval_ms", 1) : NO_SPACING;
    long clamped = spacing ? integer(line, "ts_clamped", 0) : NO_SPACING;
    String keyId = line.has("key_id") ? hex(line, "key_id", 16) : null;
    String signature = line.has("signature") ? text(line, "signature") : null;
    if (signature != null && keyId == null) {
      throw new IllegalArgumentException("checkpoint has a signature but no key_id");
    }
    return new Checkpoint(stream, seq, ts, count, fromSeq, toSeq, head, merkleRoot, durability, every, intervalMs,
        clamped, keyId, signature);
  }

  private static String text(JsonNode line, String field) {
    JsonNode v = line.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("checkpoint field " + field + (v == null ? " is missing" : " is not a string"));
    }
    return v.textValue();
  }

  private static long integer(JsonNode line, String field, long min) {
    JsonNode v = line.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min) {
      throw new IllegalArgumentException("checkpoint field " + field
          + (v == null ? " is missing" : " is not an integer >= " + min));
    }
    return v.longValue();
  }

  private static String hex(JsonNode line, String field, int digits) {
    String s = text(line, field);
    if (s.length() != digits || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("checkpoint field " + field + " is not " + digits + " lower-case hex digits");
    }
    return s;
  }
}
