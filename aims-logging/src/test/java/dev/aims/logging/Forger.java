package dev.aims.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What a forger with the log's bytes can do: edit records, then recompute the whole chain (seq,
 * prev, hash) and every checkpoint (count, range, head, Merkle root), signing them with a key of
 * their own or leaving them unsigned. Only the writer's private key is out of reach.
 */
final class Forger {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What to do with checkpoints while rechaining. */
  enum Checkpoints {
    /** Leave their fields as they are (only the envelope is rechained). */
    AS_THEY_ARE,
    /** Recompute them and drop the signature. */
    UNSIGNED,
    /** Recompute them and sign with the forger's key. */
    RESIGNED
  }

  private Forger() {}

  /** Recomputes the chain from seq {@code firstSeq} and {@code firstPrev}, after {@code edit} on each record. */
  static List<String> rechain(List<String> lines, long firstSeq, String firstPrev, Checkpoints mode,
      @Nullable KeyPair forgerKey, UnaryOperator<ObjectNode> edit) {
    List<String> out = new ArrayList<>();
    List<byte[]> leaves = new ArrayList<>();
    long leavesFrom = firstSeq;
    long seq = firstSeq;
    String prev = firstPrev;
    for (String line : lines) {
      ObjectNode n = edit.apply(parse(line));
      if (n == null) {
        continue; // the edit removed the line
      }
      n.remove("hash");
      n.put("seq", seq);
      n.put("prev", prev);
      boolean checkpoint = "log.checkpoint".equals(n.path("type").asText());
      if (checkpoint && mode != Checkpoints.AS_THEY_ARE) {
        n.put("count", leaves.size());
        n.put("from_seq", leavesFrom);
        n.put("to_seq", seq - 1);
        n.put("head", prev);
        n.put("merkle_root", HexFormat.of().formatHex(Merkle.root(leaves)));
        n.remove("signature");
        n.remove("key_id");
        if (mode == Checkpoints.RESIGNED) {
          n.put("key_id", SigningKeys.keyId(forgerKey.getPublic()));
          n.put("signature", SigningKeys.sign(forgerKey.getPrivate(), Checkpoint.fromLine(n).signedBytes()));
        }
      }
      String sealed = seal(CanonicalJson.write(n));
      if (checkpoint) {
        leaves.clear();
        leavesFrom = seq + 1;
      } else {
        leaves.add(HexFormat.of().parseHex(hashOf(sealed)));
      }
      prev = hashOf(sealed);
      out.add(sealed);
      seq++;
    }
    return out;
  }

  static List<String> rechain(List<String> lines, Checkpoints mode, @Nullable KeyPair forgerKey,
      UnaryOperator<ObjectNode> edit) {
    return rechain(lines, 1, Hex.ZERO_HASH, mode, forgerKey, edit);
  }

  /** {@code canonical} (a record without its hash) with its hash member appended. */
  static String seal(String canonical) {
    String hash = EventEncoder.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    return canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + hash + "\"}";
  }

  /** The same for raw bytes, which need not be valid UTF-8. */
  static byte[] seal(byte[] canonical) {
    String hash = HexFormat.of().formatHex(Hex.sha256().digest(canonical));
    byte[] suffix = (",\"hash\":\"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[canonical.length - 1 + suffix.length];
    System.arraycopy(canonical, 0, out, 0, canonical.length - 1);
    System.arraycopy(suffix, 0, out, canonical.length - 1, suffix.length);
    return out;
  }

  static String hashOf(String line) {
    return parse(line).path("hash").asText();
  }

  static ObjectNode parse(String line) {
    try {
      return (ObjectNode) MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
