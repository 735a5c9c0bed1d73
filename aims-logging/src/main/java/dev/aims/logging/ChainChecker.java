package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks lines one after another: each line's own hash, {@code seq} continuity, the {@code prev}
 * link, and each checkpoint's count, head, Merkle root and signature. Shared by recovery at open
 * and by {@link LogVerifier}.
 */
final class ChainChecker {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final @Nullable PublicKey key;
  private final MessageDigest md = Hex.sha256();
  private long nextSeq = -1;
  private String prevHash = Hex.ZERO_HASH;
  private final List<byte[]> leaves = new ArrayList<>();
  private long leavesFrom = 1;
  private long records;
  private @Nullable Checkpoint lastCheckpoint;
  private long firstSeq = -1;
  private @Nullable String firstTs;
  private @Nullable String lastTs;
  private boolean unsignedSeen;
  private @Nullable String lastType;
  private final java.util.Map<String, Long> typeCounts = new java.util.TreeMap<>();

  ChainChecker(@Nullable PublicKey key) {
    this.key = key;
  }

  /** Starts at the beginning of a log: seq 1, prev all zeros. */
  ChainChecker fromStart() {
    nextSeq = 1;
    return this;
  }

  /** Continues a chain whose previous line had {@code seq - 1} and hash {@code prevHash}. */
  ChainChecker seed(long seq, String prevHash) {
    this.nextSeq = seq;
    this.prevHash = prevHash;
    this.leavesFrom = seq;
    return this;
  }

  /** Accepts the first line's seq and prev as given (a log whose earlier segments were removed). */
  ChainChecker fromAnywhere() {
    nextSeq = -1;
    return this;
  }

  /** The problem with a line, or null if it continues the chain. Does not advance on a problem. */
  @Nullable String check(byte[] buf, int from, int to) {
    LineScanner.Line line = LineScanner.scan(buf, from, to, md);
    if (!line.valid()) {
      return line.error();
    }
    if (nextSeq < 0) {
      nextSeq = line.seq();
      prevHash = line.prev();
      leavesFrom = line.seq();
    }
    if (line.seq() != nextSeq) {
      return "seq " + line.seq() + " where " + nextSeq + " was expected"
          + (line.seq() > nextSeq ? " (records missing)" : " (record repeated or out of order)");
    }
    if (!prevHash.equals(line.prev())) {
      return "prev does not match the hash of seq " + (line.seq() - 1) + " (chain broken)";
    }
    if ("log.checkpoint".equals(line.type())) {
      String problem = checkCheckpoint(buf, from, to, line);
      if (problem != null) {
        return problem;
      }
    } else {
      leaves.add(line.hashBytes());
      records++;
    }
    typeCounts.merge(String.valueOf(line.type()), 1L, Long::sum);
    if (firstSeq < 0) {
      firstSeq = line.seq();
      firstTs = line.ts();
    }
    lastTs = line.ts();
    lastType = line.type();
    prevHash = line.hash();
    nextSeq = line.seq() + 1;
    return null;
  }

  private @Nullable String checkCheckpoint(byte[] buf, int from, int to, LineScanner.Line line) {
    JsonNode json;
    try {
      json = MAPPER.readTree(buf, from, to - from);
    } catch (IOException e) {
      return "checkpoint is not valid JSON";
    }
    Checkpoint cp = Checkpoint.fromLine(json);
    if (cp.fromSeq() != leavesFrom || cp.toSeq() != line.seq() - 1 || cp.count() != leaves.size()) {
      return "checkpoint covers " + cp.fromSeq() + ".." + cp.toSeq() + " (" + cp.count() + " records) but the log has "
          + leavesFrom + ".." + (line.seq() - 1) + " (" + leaves.size() + ")";
    }
    if (!cp.head().equals(line.prev())) {
      return "checkpoint head does not match the previous record";
    }
    if (!Arrays.equals(Hex.HEX.parseHex(cp.merkleRoot()), Merkle.root(leaves))) {
      return "checkpoint Merkle root does not match the records it covers";
    }
    if (key != null) {
      if (cp.signature() == null) {
        return "checkpoint is not signed";
      }
      if (!SigningKeys.keyId(key).equals(cp.keyId()) || !SigningKeys.verify(key, cp.signedBytes(), cp.signature())) {
        return "checkpoint signature is not valid for the given public key";
      }
    } else if (cp.signature() == null) {
      unsignedSeen = true;
    }
    lastCheckpoint = cp;
    leaves.clear();
    leavesFrom = line.seq() + 1;
    return null;
  }

  long nextSeq() {
    return nextSeq;
  }

  String prevHash() {
    return prevHash;
  }

  long records() {
    return records;
  }

  long firstSeq() {
    return firstSeq;
  }

  @Nullable String firstTs() {
    return firstTs;
  }

  @Nullable String lastTs() {
    return lastTs;
  }

  /** The type of the last line accepted. */
  @Nullable String lastType() {
    return lastType;
  }

  @Nullable Checkpoint lastCheckpoint() {
    return lastCheckpoint;
  }

  /** Record hashes since the last checkpoint: the unanchored tail. */
  List<byte[]> pendingLeaves() {
    return leaves;
  }

  long pendingFrom() {
    return leavesFrom;
  }

  /** How many lines of each event type were accepted. */
  java.util.Map<String, Long> typeCounts() {
    return typeCounts;
  }

  boolean unsignedSeen() {
    return unsignedSeen;
  }
}
