package dev.aims.logging;

import dev.aims.core.event.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head of one chain (one {@code stream}): the next {@code seq}, the previous hash, and the
 * record hashes since the last checkpoint. Links prepared records into lines and makes signed
 * checkpoints. Used by one writer thread at a time, whatever the storage.
 *
 * <p>{@code ts} never goes back within a stream: a record (or checkpoint) whose {@code ts} is
 * before the previous line's is written with the previous line's {@code ts} instead (same width,
 * replaced in place before the line is hashed), counted in the next checkpoint's
 * {@code ts_clamped}. Most clamps are a few microseconds: producers on several threads take their
 * {@code ts} before they queue, and a checkpoint takes its own when it is written. A step back of a
 * second or more is the host's clock: a WARN says so, at most once a minute.
 */
final class ChainState {
  private static final Logger LOG = LoggerFactory.getLogger(ChainState.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** A step back at least this long is the clock's, not producers' order: it is warned about. */
  private static final java.time.Duration CLOCK_STEP = java.time.Duration.ofSeconds(1);
  /** Characters of the fixed form up to the seconds ({@code 2026-12-03T13:06:33}). */
  private static final int TO_SECONDS = 19;

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
  /** The ts of the last line linked (fixed form, ASCII), or null before the first. */
  private byte @Nullable [] lastTs;
  /** Records linked since the last checkpoint whose ts was clamped. */
  private long clamped;
  private long lastWarnNanos;
  private boolean warned;

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

  /**
   * The ts of the line before {@code nextSeq} (the chain's last line, read back at open), so that
   * the next line is not before it. Any ISO-8601 instant (lines of schema version 1); ignored when null
   * or unreadable.
   */
  ChainState continueAfter(@Nullable String ts) {
    if (ts != null) {
      try {
        lastTs = Timestamps.format(Timestamps.parse(ts)).getBytes(StandardCharsets.US_ASCII);
      } catch (DateTimeException e) {
        lastTs = null;
      }
    }
    return this;
  }

  /** The ts of the last line linked, as an instant; null before the first. */
  @Nullable Instant lastInstant() {
    byte[] t = lastTs;
    if (t == null) {
      return null;
    }
    // yyyy-MM-ddTHH:mm:ss.SSSSSSZ, digits known to be there: cheaper than a formatter on the writer thread
    LocalDateTime at = LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2),
        digits(t, 14, 2), digits(t, 17, 2), digits(t, 20, 6) * 1000);
    return at.toInstant(ZoneOffset.UTC);
  }

  private static int digits(byte[] b, int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** Clamps the prepared record's ts to the last line's if it is earlier; returns true if it did. */
  private boolean clampTs(byte[] text, int at) {
    byte[] last = lastTs;
    if (last == null) {
      lastTs = Arrays.copyOfRange(text, at, at + Timestamps.LENGTH);
      return false;
    }
    if (Arrays.compare(text, at, at + Timestamps.LENGTH, last, 0, Timestamps.LENGTH) >= 0) {
      System.arraycopy(text, at, last, 0, Timestamps.LENGTH);
      return false;
    }
    String was = new String(text, at, Timestamps.LENGTH, StandardCharsets.US_ASCII);
    boolean sameSecond = Arrays.equals(text, at, at + TO_SECONDS, last, 0, TO_SECONDS);
    System.arraycopy(last, 0, text, at, Timestamps.LENGTH);
    if (sameSecond || java.time.Duration.between(Timestamps.parse(was),
        Timestamps.parse(new String(last, StandardCharsets.US_ASCII))).compareTo(CLOCK_STEP) < 0) {
      return true; // producers' order, not the clock: counted, not warned about
    }
    long now = System.nanoTime();
    if (!warned || now - lastWarnNanos >= WARN_EVERY_NANOS) {
      warned = true;
      lastWarnNanos = now;
      LOG.warn("Decision log stream {}: seq {} has ts {}, before the previous line's {} (the clock stepped back);"
          + " written with {} so that ts never goes back (counted in the next checkpoint's ts_clamped). Check the"
          + " host's clock (NTP); this is said at most once a minute", stream, nextSeq, was,
          new String(last, StandardCharsets.US_ASCII), new String(last, StandardCharsets.US_ASCII));
    }
    return true;
  }

  /** Links {@code r} as the next record, appends its line (with newline) to {@code out}; returns the line's length. */
  int link(RecordLayout.Prepared r, LineBuffer out, boolean isCheckpoint) {
    if (clampTs(r.text, r.tsAt) && !isCheckpoint) {
      clamped++;
    }
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
    byte[] last = lastTs;
    if (last != null && ts.compareTo(new String(last, StandardCharsets.US_ASCII)) < 0) {
      ts = new String(last, StandardCharsets.US_ASCII); // signed as written: clamped here rather than in link
    }
    Checkpoint unsigned = new Checkpoint(stream, nextSeq, ts, leaves.size(), leavesFrom, nextSeq - 1, head,
        Hex.HEX.formatHex(Merkle.root(leaves)), durability, checkpointEvery, checkpointIntervalMs, clamped, keyId,
        null);
    Checkpoint cp = signingKey == null ? unsigned
        : new Checkpoint(stream, nextSeq, ts, unsigned.count(), unsigned.fromSeq(), unsigned.toSeq(), head,
            unsigned.merkleRoot(), durability, checkpointEvery, checkpointIntervalMs, unsigned.tsClamped(), keyId,
            SigningKeys.sign(signingKey, unsigned.signedBytes()));
    link(RecordLayout.prepare(cp.body(), stream), out, true);
    leaves.clear();
    leavesFrom = nextSeq;
    clamped = 0;
    return cp;
  }
}
