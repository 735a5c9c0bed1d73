package dev.aims.logging;

import dev.aims.core.event.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The head of one chain (one {@code stream}): the next {@code seq}, the previous hash, and the
 * record hashes since the last checkpoint. Links prepared records into lines and makes signed
 * checkpoints. Used by one writer thread at a time, whatever the storage.
 */
final class ChainState {
  final String stream;
  private final Durability durability;
  private final @Nullable PrivateKey signingKey;
  private final @Nullable String keyId;
  private final Clock clock;
  private final long checkpointEvery;
  private final long checkpointIntervalMs;
  long nextSeq;
  byte[] prevHex;
  final List<byte[]> leaves = new ArrayList<>();
  long leavesFrom;

  ChainState(String stream, Durability durability, @Nullable PrivateKey signingKey, @Nullable String keyId,
      Clock clock, long checkpointEvery, long checkpointIntervalMs, long nextSeq, String prevHash) {
    this.checkpointEvery = checkpointEvery;
    this.checkpointIntervalMs = checkpointIntervalMs;
    this.stream = stream;
    this.durability = durability;
    this.signingKey = signingKey;
    this.keyId = keyId;
    this.clock = clock;
    this.nextSeq = nextSeq;
    this.prevHex = prevHash.getBytes(StandardCharsets.US_ASCII);
    this.leavesFrom = nextSeq;
  }

  /** Links {@code r} as the next record, appends its line (with newline) to {@code out}; returns the line's length. */
  int link(RecordLayout.Prepared r, LineBuffer out, boolean isCheckpoint) {
    byte[] seqDigits = Long.toString(nextSeq).getBytes(StandardCharsets.US_ASCII);
    MessageDigest md = r.afterHead;
    byte[] text = r.text;
    if (md == null) {
      md = Hex.sha256();
      md.update(text, 0, r.headEnd);
    }
    md.update(prevHex);
    md.update(text, r.headEnd, r.midEnd - r.headEnd);
    md.update(seqDigits);
    md.update(text, r.midEnd, text.length - r.midEnd);
    md.update((byte) '}');
    byte[] digest = md.digest();
    byte[] hashHex = Hex.hexBytes(digest);
    int need = r.lengthWithout(seqDigits.length);
    out.ensure(need);
    out.put(text, 0, r.headEnd);
    out.put(prevHex);
    out.put(text, r.headEnd, r.midEnd - r.headEnd);
    out.put(seqDigits);
    out.put(text, r.midEnd, text.length - r.midEnd);
    out.put(RecordLayout.HASH_OPEN);
    out.put(hashHex);
    out.put(RecordLayout.LINE_END);
    prevHex = hashHex;
    if (!isCheckpoint) {
      leaves.add(digest);
    }
    nextSeq++;
    return need;
  }

  /** Makes, signs and links a checkpoint over the records since the last one. */
  Checkpoint checkpoint(LineBuffer out) {
    String head = new String(prevHex, StandardCharsets.US_ASCII);
    String ts = Timestamps.format(clock.instant());
    Checkpoint unsigned = new Checkpoint(stream, nextSeq, ts, leaves.size(), leavesFrom, nextSeq - 1, head,
        Hex.HEX.formatHex(Merkle.root(leaves)), durability, checkpointEvery, checkpointIntervalMs, 0, keyId, null);
    Checkpoint cp = signingKey == null ? unsigned
        : new Checkpoint(stream, nextSeq, ts, unsigned.count(), unsigned.fromSeq(), unsigned.toSeq(), head,
            unsigned.merkleRoot(), durability, checkpointEvery, checkpointIntervalMs, unsigned.tsClamped(), keyId,
            SigningKeys.sign(signingKey, unsigned.signedBytes()));
    link(RecordLayout.prepare(cp.body(), stream), out, true);
    leaves.clear();
    leavesFrom = nextSeq;
    return cp;
  }
}
