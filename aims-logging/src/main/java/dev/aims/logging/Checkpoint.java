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
    n.put("checkpoint_every", checkpointEvery);
    n.put("checkpoint_interval_ms", checkpointIntervalMs);
    n.put("ts_clamped", tsClamped);
    if (keyId != null) {
      n.put("key_id", keyId);
    }
    return n;
  }

  static Checkpoint fromLine(JsonNode line) {
    JsonNode key = line.get("key_id");
    JsonNode sig = line.get("signature");
    return new Checkpoint(line.path("stream").asText(), line.path("seq").asLong(), line.path("ts").asText(),
        line.path("count").asLong(-1), line.path("from_seq").asLong(-1), line.path("to_seq").asLong(-1),
        line.path("head").asText(), line.path("merkle_root").asText(),
        Durability.valueOf(line.path("durability").asText("GROUP")),
        line.path("checkpoint_every").asLong(-1), line.path("checkpoint_interval_ms").asLong(-1),
        line.path("ts_clamped").asLong(0),
        key == null ? null : key.asText(), sig == null ? null : sig.asText());
  }
}
