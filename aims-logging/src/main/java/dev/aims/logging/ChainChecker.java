package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.event.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks lines one after another: each line's own hash, {@code seq} continuity, the {@code prev}
 * link, and each checkpoint's count, head, Merkle root and signature. Shared by recovery at open
 * (which checks the chain only) and by {@link LogVerifier}, which checks {@link #strict strictly}:
 * also that every line is its own canonical form, that {@code stream} never changes, and that
 * {@code ts} is in its schema's form, never goes back and is not in the future.
 */
final class ChainChecker {
  /** How far past the verifier's clock a record's {@code ts} may be, and the slack of the tail rule. */
  static final long CLOCK_MARGIN_MS = 60_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final @Nullable PublicKey key;
  private final @Nullable String keyId;
  private final MessageDigest md = Hex.sha256();
  /** Null for recovery: the chain only. */
  private final @Nullable CanonicalForm form;
  private final @Nullable VerifiedRecordListener listener;
  private long nextSeq = -1;
  private String prevHash = Hex.ZERO_HASH;
  private final List<byte[]> leaves = new ArrayList<>();
  private long leavesFrom = 1;
  private long records;
  private @Nullable Checkpoint lastCheckpoint;
  private long firstSeq = -1;
  private @Nullable String firstPrev;
  private @Nullable String firstTs;
  private @Nullable String lastTs;
  private @Nullable String stream;
  private boolean unsignedSeen;
  private long signedCheckpoints;
  private long unsignedCheckpoints;
  private final Map<String, Long> typeCounts = new TreeMap<>();
  private final List<Retention> retentions = new ArrayList<>();
  // ts order and the future check (strict only)
  private @Nullable Instant futureLimit;
  private byte @Nullable [] futureLimitText;
  private @Nullable String prevTs;
  private boolean prevTsFixed;

  /** A {@code log.retention} record: segments up to {@code removedThroughSeq} were deleted. */
  record Retention(long seq, long removedThroughSeq, String removedThroughHash, long keptFromSeq) {}

  /** Recovery's checker: the chain and the checkpoints, checked against {@code key} if given. */
  ChainChecker(@Nullable PublicKey key) {
    this(key, null, null, null);
  }

  private ChainChecker(@Nullable PublicKey key, @Nullable CanonicalForm form, @Nullable Clock clock,
      @Nullable VerifiedRecordListener listener) {
    this.key = key;
    this.keyId = key == null ? null : SigningKeys.keyId(key);
    this.form = form;
    this.listener = listener;
    if (clock != null) {
      Instant limit = clock.instant().plusMillis(CLOCK_MARGIN_MS);
      futureLimit = limit;
      try {
        futureLimitText = Timestamps.format(limit).getBytes(StandardCharsets.US_ASCII);
      } catch (DateTimeException e) {
        futureLimitText = null; // a clock beyond year 9999: every fixed-form ts is before it
      }
    }
  }

  /** The verifier's checker: every line check, and what passed goes to {@code listener}. */
  static ChainChecker strict(@Nullable PublicKey key, Clock clock, @Nullable VerifiedRecordListener listener) {
    return new ChainChecker(key, new CanonicalForm(), clock, listener);
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
    LineScanner.Line line = form == null ? LineScanner.scan(buf, from, to, md)
        : LineScanner.scanStrict(buf, from, to, md, form);
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
    if (form != null) {
      String problem = checkStreamAndTs(line);
      if (problem != null) {
        return problem;
      }
    }
    boolean isCheckpoint = "log.checkpoint".equals(line.type());
    Checkpoint cp = null;
    if (isCheckpoint) {
      cp = checkCheckpoint(buf, from, to, line);
      if (cp == null) {
        return checkpointProblem;
      }
    } else {
      if (form != null && "log.retention".equals(line.type())) {
        String problem = readRetention(buf, from, to, line.seq());
        if (problem != null) {
          return problem;
        }
      }
      leaves.add(line.hashBytes());
      records++;
    }
    typeCounts.merge(String.valueOf(line.type()), 1L, Long::sum);
    if (firstSeq < 0) {
      firstSeq = line.seq();
      firstPrev = line.prev();
      firstTs = line.ts();
    }
    lastTs = line.ts();
    prevHash = line.hash();
    nextSeq = line.seq() + 1;
    if (listener != null) {
      if (cp != null) {
        listener.checkpoint(cp, key != null);
      } else {
        listener.record(line.seq(), line.type(), buf, from, to);
      }
    }
    return null;
  }

  private @Nullable String checkStreamAndTs(LineScanner.Line line) {
    String s = line.stream();
    if (stream == null) {
      stream = s;
    } else if (!stream.equals(s)) {
      return "stream '" + s + "' where the log's stream is '" + stream + "': two streams in one log";
    }
    String ts = line.ts();
    // version 2 must use the fixed form; a version 1 ts may be any ISO-8601 instant, and is compared
    // as text too when it happens to be in the fixed form (fixed width: text order is time order)
    boolean fixed = FixedTs.isFixedForm(ts);
    if (!fixed && line.version() >= 2) {
      return "ts '" + ts + "' is not in the fixed form yyyy-MM-ddTHH:mm:ss.ffffffZ of schema version 2";
    }
    Instant instant = null;
    if (!fixed) {
      try {
        instant = Timestamps.parse(ts);
      } catch (DateTimeException e) {
        return "ts '" + ts + "' is not an ISO-8601 instant";
      }
    }
    if (prevTs != null) {
      boolean backwards;
      if (fixed && prevTsFixed) {
        backwards = ts.compareTo(prevTs) < 0;
      } else {
        backwards = Timestamps.parse(ts).isBefore(Timestamps.parse(prevTs));
      }
      if (backwards) {
        return "ts " + ts + " is before the previous record's ts " + prevTs + " (time went backwards)";
      }
    }
    if (futureLimit != null) {
      boolean future;
      if (fixed) {
        future = futureLimitText != null && compareAscii(ts, futureLimitText) > 0;
      } else {
        future = instant.isAfter(futureLimit);
      }
      if (future) {
        return "ts " + ts + " is in the future (later than the verifier's clock + " + CLOCK_MARGIN_MS / 1000 + " s)";
      }
    }
    prevTs = ts;
    prevTsFixed = fixed;
    return null;
  }

  private static int compareAscii(String s, byte[] ascii) {
    int n = Math.min(s.length(), ascii.length);
    for (int i = 0; i < n; i++) {
      int d = s.charAt(i) - ascii[i];
      if (d != 0) {
        return d;
      }
    }
    return s.length() - ascii.length;
  }

  private @Nullable String checkpointProblem;

  /** The checkpoint if it verifies; else null with {@link #checkpointProblem} set. */
  private @Nullable Checkpoint checkCheckpoint(byte[] buf, int from, int to, LineScanner.Line line) {
    Checkpoint cp;
    try {
      cp = Checkpoint.fromLine(MAPPER.readTree(buf, from, to - from));
    } catch (IOException e) {
      checkpointProblem = "checkpoint is not valid JSON";
      return null;
    } catch (IllegalArgumentException e) {
      checkpointProblem = "malformed checkpoint: " + e.getMessage();
      return null;
    }
    if (cp.fromSeq() != leavesFrom || cp.toSeq() != line.seq() - 1 || cp.count() != leaves.size()) {
      checkpointProblem = "checkpoint covers " + cp.fromSeq() + ".." + cp.toSeq() + " (" + cp.count()
          + " records) but the log has " + leavesFrom + ".." + (line.seq() - 1) + " (" + leaves.size() + ")";
      return null;
    }
    if (!cp.head().equals(line.prev())) {
      checkpointProblem = "checkpoint head does not match the previous record";
      return null;
    }
    if (!Arrays.equals(Hex.HEX.parseHex(cp.merkleRoot()), Merkle.root(leaves))) {
      checkpointProblem = "checkpoint Merkle root does not match the records it covers";
      return null;
    }
    if (key != null) {
      if (cp.signature() == null) {
        checkpointProblem = "checkpoint is not signed, but a public key was given";
        return null;
      }
      if (!keyId.equals(cp.keyId())) {
        checkpointProblem = "checkpoint is signed with key id " + cp.keyId() + ", but the given public key has key id "
            + keyId + " (signed with another key)";
        return null;
      }
      if (!SigningKeys.verify(key, cp.signedBytes(), cp.signature())) {
        checkpointProblem = "checkpoint signature is not valid for the given public key (key id " + keyId + ")";
        return null;
      }
    }
    if (cp.signature() == null) {
      unsignedSeen = true;
      unsignedCheckpoints++;
    } else {
      signedCheckpoints++;
    }
    lastCheckpoint = cp;
    leaves.clear();
    leavesFrom = line.seq() + 1;
    return cp;
  }

  private @Nullable String readRetention(byte[] buf, int from, int to, long seq) {
    JsonNode n;
    try {
      n = MAPPER.readTree(buf, from, to - from);
    } catch (IOException e) {
      return "log.retention is not valid JSON";
    }
    JsonNode through = n.get("removed_through_seq");
    JsonNode hash = n.get("removed_through_hash");
    JsonNode kept = n.get("kept_from_seq");
    JsonNode count = n.get("removed_segments");
    if (through == null || !through.isIntegralNumber() || !through.canConvertToLong() || kept == null
        || !kept.isIntegralNumber() || !kept.canConvertToLong() || kept.longValue() != through.longValue() + 1
        || hash == null || !hash.isTextual() || !hash.textValue().matches("[0-9a-f]{64}")
        || count == null || !count.isIntegralNumber()) {
      return "malformed log.retention: it needs removed_segments, removed_through_seq, removed_through_hash"
          + " (64 hex digits) and kept_from_seq = removed_through_seq + 1";
    }
    retentions.add(new Retention(seq, through.longValue(), hash.textValue(), kept.longValue()));
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

  /** The {@code prev} of the first line: the hash of the last removed record when the head was cut. */
  @Nullable String firstPrev() {
    return firstPrev;
  }

  @Nullable String firstTs() {
    return firstTs;
  }

  @Nullable String lastTs() {
    return lastTs;
  }

  @Nullable String stream() {
    return stream;
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
  Map<String, Long> typeCounts() {
    return typeCounts;
  }

  boolean unsignedSeen() {
    return unsignedSeen;
  }

  long signedCheckpoints() {
    return signedCheckpoints;
  }

  long unsignedCheckpoints() {
    return unsignedCheckpoints;
  }

  List<Retention> retentions() {
    return retentions;
  }
}
