package dev.aims.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.DecisionLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single writer of one log directory: recovery at open, then the append loop on its own thread. */
final class LogWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
  /** How long an idle ASYNC writer parks before it looks at the queue again. */
  static final long ASYNC_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Empty looks in a row after which an ASYNC writer blocks until a producer wakes it. */
  static final int ASYNC_IDLE_POLLS = 100;

  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path segment) throws IOException;

    /**
     * Makes the directory's entries durable (fsync of the directory), so that a segment just
     * created survives a power loss with the records forced into it. Where the platform cannot
     * open a directory (Windows), its file system keeps entries with the file's data.
     */
    default void syncDirectory(Path dir) throws IOException {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException | UnsupportedOperationException e) {
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
          throw e instanceof IOException io ? io : new IOException(e);
        }
      }
    }
  }

  /** A queued record and, for SYNC and GROUP, the future its producer waits on. */
  static final class Pending {
    static final Pending CLOSE = new Pending(null, null);
    final RecordLayout.@Nullable Prepared record;
    final @Nullable CompletableFuture<Void> done;

    Pending(RecordLayout.@Nullable Prepared record, @Nullable CompletableFuture<Void> done) {
      this.record = record;
      this.done = done;
    }
  }

  private final Path dir;
  private final String stream;
  private final Durability durability;
  private final int checkpointEvery;
  private final long checkpointIntervalNanos;
  private final @Nullable PrivateKey signingKey;
  private final @Nullable String keyId;
  private final @Nullable CheckpointPublisher publisher;
  private final long segmentBytes;
  private final long segmentNanos;
  private final java.time.Duration retention;
  private final int maxBatch;
  private final Clock clock;
  private final ChannelOpener opener;
  private final BlockingQueue<Pending> queue;

  private @Nullable FileChannel channel;
  private Path segment;
  private long segmentSize;
  private long segmentOpenedNanos;
  private ChainState chain;
  private long lastCheckpointNanos;
  private final LineBuffer out = new LineBuffer(1 << 20);
  private boolean needForce;
  private int emptyPolls;
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private final List<Checkpoint> toPublish = new ArrayList<>();
  private @Nullable ObjectNode recoveredEvent;

  private volatile @Nullable String failure;
  /** Set by close(), for when the queue had no room for {@link Pending#CLOSE}: close once the queue is empty. */
  private volatile boolean closeRequested;
  private volatile @Nullable Checkpoint lastCheckpoint;
  private volatile long recoveredBytes;

  LogWriter(FileDecisionLog.Builder b, String stream, BlockingQueue<Pending> queue) throws IOException {
    this.dir = b.directory;
    this.stream = stream;
    this.durability = b.durability;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointIntervalNanos = b.checkpointInterval.toNanos();
    this.signingKey = b.signingKey;
    this.keyId = b.publicKey == null ? null : SigningKeys.keyId(b.publicKey);
    this.publisher = b.publisher;
    this.segmentBytes = b.segmentBytes;
    this.segmentNanos = b.segmentDuration.toNanos();
    this.retention = b.retention;
    this.maxBatch = b.maxBatch;
    this.clock = b.clock;
    this.opener = b.opener;
    this.queue = queue;
    this.segment = dir.resolve(Segments.name(1));
    this.chain = new ChainState(stream, durability, signingKey, keyId, clock, checkpointEvery,
        b.checkpointInterval.toMillis(), 1, Hex.ZERO_HASH);
    recover(b.publicKey);
    lastCheckpointNanos = System.nanoTime();
  }

  @Nullable String failure() {
    return failure;
  }

  void requestClose() {
    closeRequested = true;
  }

  @Nullable Checkpoint lastCheckpoint() {
    return lastCheckpoint;
  }

  long recoveredBytes() {
    return recoveredBytes;
  }

  // ---- recovery -------------------------------------------------------------------------------

  private void recover(@Nullable PublicKey publicKey) throws IOException {
    List<Path> segments = Segments.list(dir);
    if (segments.isEmpty()) {
      openSegment(dir.resolve(Segments.name(1)), 0);
      return;
    }
    Path last = segments.get(segments.size() - 1);
    ChainChecker checker = new ChainChecker(publicKey);
    String previousTs = null;
    if (segments.size() > 1) {
      Path previous = segments.get(segments.size() - 2);
      byte[] prevData = Files.readAllBytes(previous);
      int end = prevData.length;
      int start = end > 0 && prevData[end - 1] == '\n' ? Segments.lastLineStart(prevData, end) : -1;
      LineScanner.Line line = start < 0 ? LineScanner.Line.invalid("empty or unterminated")
          : LineScanner.scan(prevData, start, end - 1, Hex.sha256());
      if (!line.valid()) {
        readOnly(previous.getFileName() + ": its last line is not a valid record (" + line.error() + ")");
        return;
      }
      checker.seed(line.seq() + 1, line.hash());
      previousTs = line.ts();
    } else if (Segments.firstSeq(last) == 1) {
      checker.fromStart();
    } else {
      checker.fromAnywhere();
    }
    byte[] data = Files.readAllBytes(last);
    int pos = 0;
    int validEnd = 0;
    int lineNo = 0;
    String problem = null;
    while (pos < data.length) {
      int nl = indexOf(data, (byte) '\n', pos);
      lineNo++;
      if (nl < 0) {
        problem = "incomplete last line";
        break;
      }
      problem = checker.check(data, pos, nl);
      if (problem != null) {
        break;
      }
      pos = nl + 1;
      validEnd = pos;
    }
    if (problem != null) {
      int after = indexOf(data, (byte) '\n', validEnd);
      if (after >= 0 && anyValidLine(data, after + 1)) {
        readOnly(last.getFileName() + " line " + lineNo + " (seq " + checker.nextSeq() + " expected): " + problem
            + ". Valid records follow it, so this is damage, not a torn tail, and is never repaired"
            + " automatically; the log is read-only. Run `aims verify " + dir + "` and restore from a copy");
        return;
      }
      quarantine(last, data, validEnd);
    }
    long next = checker.nextSeq() > 0 ? checker.nextSeq() : Segments.firstSeq(last);
    chain = new ChainState(stream, durability, signingKey, keyId, clock, checkpointEvery,
        checkpointIntervalNanos / 1_000_000, next, checker.prevHash())
        .continueAfter(checker.lastTs() != null ? checker.lastTs() : previousTs);
    chain.leaves.addAll(checker.pendingLeaves());
    chain.leavesFrom = checker.nextSeq() > 0 ? checker.pendingFrom() : next;
    lastCheckpoint = checker.lastCheckpoint();
    openSegment(last, validEnd);
  }

  private void quarantine(Path segmentFile, byte[] data, int validEnd) throws IOException {
    Path qdir = Files.createDirectories(dir.resolve("quarantine"));
    Instant now = clock.instant();
    Path q = qdir.resolve(segmentFile.getFileName() + "." + now.toEpochMilli() + ".torn");
    // the torn bytes are on disk in quarantine before the segment loses them
    try (FileChannel out = FileChannel.open(q, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(data, validEnd, data.length - validEnd);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    }
    opener.syncDirectory(qdir);
    opener.syncDirectory(dir);
    long dropped = data.length - validEnd;
    try (FileChannel ch = FileChannel.open(segmentFile, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(validEnd);
      ch.force(true);
    }
    recoveredBytes = dropped;
    recoveredEvent = FileDecisionLog.recoveredEvent(clock, segmentFile.getFileName().toString(), dropped,
        dir.relativize(q).toString());
    LOG.warn("Decision log {}: moved a torn tail of {} bytes to {} and truncated {} to its last valid record",
        dir, dropped, q, segmentFile.getFileName());
  }

  private static boolean anyValidLine(byte[] data, int from) {
    MessageDigest md = Hex.sha256();
    int pos = from;
    while (pos < data.length) {
      int nl = indexOf(data, (byte) '\n', pos);
      int end = nl < 0 ? data.length : nl;
      if (end > pos && LineScanner.scan(data, pos, end, md).valid()) {
        return true;
      }
      if (nl < 0) {
        return false;
      }
      pos = nl + 1;
    }
    return false;
  }

  private void readOnly(String why) {
    failure = why;
    LOG.error("Decision log {} opened read-only: {}", dir, why);
  }

  private void openSegment(Path path, long size) throws IOException {
    boolean created = !Files.exists(path);
    FileChannel ch = opener.open(path);
    if (created) {
      opener.syncDirectory(dir);
    }
    ch.truncate(size);
    ch.position(size);
    channel = ch;
    segment = path;
    segmentSize = size;
    segmentOpenedNanos = System.nanoTime();
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  // ---- the loop -------------------------------------------------------------------------------

  @Override
  public void run() {
    if (failure != null) {
      refuseAll();
      return;
    }
    List<Pending> batch = new ArrayList<>(maxBatch);
    try {
      if (recoveredEvent != null) {
        write(RecordLayout.prepare(recoveredEvent, stream), false);
      }
      // anchors a fresh log from its first seq, and what an earlier writer left unanchored
      checkpoint();
      flushForceRelease();
      while (true) {
        long wait = Math.max(0, lastCheckpointNanos + checkpointIntervalNanos - System.nanoTime());
        Pending first = durability == Durability.ASYNC ? pollAsync(wait) : queue.poll(wait, TimeUnit.NANOSECONDS);
        boolean closing = false;
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, maxBatch - 1);
          for (Pending p : batch) {
            if (p.record == null) {
              closing = true;
              continue;
            }
            write(p.record, false);
            if (p.done != null) {
              waiting.add(p.done);
            }
            if (durability == Durability.SYNC) {
              needForce = true;
              flushForceRelease();
            }
            if (chain.leaves.size() >= checkpointEvery) {
              checkpoint();
            }
          }
          batch.clear();
        }
        closing |= closeRequested && queue.isEmpty();
        if (System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos) {
          checkpoint();
        }
        if (segmentSize >= segmentBytes || System.nanoTime() - segmentOpenedNanos >= segmentNanos) {
          rotate();
        }
        if (closing) {
          checkpoint();
          flushForceRelease();
          channel.close();
          refuseAll();
          return;
        }
        if (durability == Durability.GROUP) {
          needForce = true;
        }
        flushForceRelease();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    } catch (InterruptedException e) {
      fail(e);
      Thread.currentThread().interrupt();
    }
  }

  /**
   * ASYNC: nobody waits for a record to reach the file, so a writer that finds the queue empty does
   * not ask producers to wake it (with a blocking poll, the next producer pays for an unpark on
   * every batch); it parks for {@link #ASYNC_IDLE_NANOS} and looks again. After
   * {@link #ASYNC_IDLE_POLLS} empty looks in a row (the log is idle) it blocks until woken, as the
   * other modes do. A full queue still wakes producers at once: draining signals them.
   */
  private @Nullable Pending pollAsync(long maxWaitNanos) throws InterruptedException {
    Pending p = queue.poll();
    if (p == null && maxWaitNanos > 0) {
      if (emptyPolls < ASYNC_IDLE_POLLS) {
        emptyPolls++;
        LockSupport.parkNanos(this, Math.min(maxWaitNanos, ASYNC_IDLE_NANOS));
        if (Thread.interrupted()) {
          throw new InterruptedException("decision log writer interrupted");
        }
        p = queue.poll();
      } else {
        p = queue.poll(maxWaitNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (p != null) {
      emptyPolls = 0;
    }
    return p;
  }

  private void write(RecordLayout.Prepared r, boolean isCheckpoint) {
    segmentSize += chain.link(r, out, isCheckpoint);
  }

  private void checkpoint() {
    int before = out.length;
    toPublish.add(chain.checkpoint(out));
    segmentSize += out.length - before;
    lastCheckpointNanos = System.nanoTime();
    needForce = true;
  }

  private void rotate() throws IOException {
    checkpoint();
    needForce = true;
    flushForceRelease();
    channel.close();
    openSegment(dir.resolve(Segments.name(chain.nextSeq)), 0);
    sweepRetention();
  }

  /**
   * Deletes closed segments older than the retention, oldest first and without gaps; keeps the
   * newest closed one, which anchors the chain. Then says so in the chain: a {@code log.retention}
   * record naming the last removed record and its hash, so that a verifier can tell a log cut by
   * retention from one whose head was cut off.
   */
  private void sweepRetention() throws IOException {
    List<Path> segments = Segments.list(dir);
    FileTime cutoff = FileTime.from(clock.instant().minus(retention));
    List<Path> expired = new ArrayList<>();
    LineScanner.Line lastRemoved = null;
    for (int i = 0; i < segments.size() - 2; i++) {
      Path s = segments.get(i);
      if (Files.getLastModifiedTime(s).compareTo(cutoff) >= 0) {
        break; // a younger segment stays, and so does everything after it
      }
      LineScanner.Line last = lastLine(s);
      if (last == null) {
        LOG.warn("Decision log {}: {} is older than the retention but its last line is not a valid record, so"
            + " neither it nor any later segment is deleted; check the log with `aims verify {}`", dir, s.getFileName(),
            dir);
        break;
      }
      expired.add(s);
      lastRemoved = last;
    }
    if (lastRemoved == null) {
      return;
    }
    // the marker is on disk before anything is deleted: a crash in between leaves a longer log, never an unexplained cut
    write(RecordLayout.prepare(retentionEvent(clock, expired.size(), lastRemoved.seq(), lastRemoved.hash()), stream),
        false);
    needForce = true;
    flushForceRelease();
    for (Path s : expired) {
      Files.delete(s);
      LOG.info("Decision log {}: deleted {} (older than the retention of {})", dir, s.getFileName(), retention);
    }
    opener.syncDirectory(dir);
  }

  static ObjectNode retentionEvent(Clock clock, int removedSegments, long throughSeq, String throughHash) {
    ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    n.put("type", "log.retention");
    n.put("ts", dev.aims.core.event.Timestamps.format(clock.instant()));
    n.put("removed_segments", removedSegments);
    n.put("removed_through_seq", throughSeq);
    n.put("removed_through_hash", throughHash);
    n.put("kept_from_seq", throughSeq + 1);
    return n;
  }

  private static LineScanner.@Nullable Line lastLine(Path segmentFile) throws IOException {
    byte[] data = Files.readAllBytes(segmentFile);
    int end = data.length;
    if (end == 0 || data[end - 1] != '\n') {
      return null;
    }
    LineScanner.Line line = LineScanner.scan(data, Segments.lastLineStart(data, end), end - 1, Hex.sha256());
    return line.valid() ? line : null;
  }

  private void flushForceRelease() throws IOException {
    if (out.length > 0) {
      ByteBuffer b = ByteBuffer.wrap(out.bytes, 0, out.length);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      out.clear();
    }
    if (needForce) {
      channel.force(false);
      needForce = false;
      lastCheckpoint = toPublish.isEmpty() ? lastCheckpoint : toPublish.get(toPublish.size() - 1);
      publish();
    }
    if (!waiting.isEmpty()) { // everything written so far is on disk now
      for (CompletableFuture<Void> f : waiting) {
        f.complete(null);
      }
      waiting.clear();
    }
  }

  private void publish() {
    if (publisher == null) {
      toPublish.clear();
      return;
    }
    for (Checkpoint cp : toPublish) {
      try {
        publisher.publish(cp);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Decision log {}: could not publish checkpoint seq {} to {}", dir, cp.seq(), publisher, e);
      }
    }
    toPublish.clear();
  }

  /** After an I/O error: acknowledge nothing more, tell every waiting and later producer why. */
  private void fail(Exception e) {
    String why = "write failed near seq " + chain.nextSeq + " in " + segment.getFileName() + ": " + e
        + "; the log acknowledges nothing more (no silent retry). Fix the disk and reopen the log";
    failure = why;
    LOG.error("Decision log {}: {}", dir, why, e);
    DecisionLogException ex = new DecisionLogException(why, e);
    for (CompletableFuture<Void> f : waiting) {
      f.completeExceptionally(ex);
    }
    waiting.clear();
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // already failed; the first error is the one reported
    }
    refuseAll();
  }

  /** Answers everything still queued, and everything queued later, with the failure. */
  private void refuseAll() {
    DecisionLogException ex = new DecisionLogException(failure != null ? failure : "decision log closed", null);
    while (true) {
      boolean closing = failure == null || closeRequested;
      Pending p;
      try {
        // closed: take what raced in and stop; failed: keep answering producers until the log is closed
        p = closing ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (p == null) {
        if (closing) {
          return;
        }
        continue;
      }
      if (p.record == null) {
        return;
      }
      if (p.done != null) {
        p.done.completeExceptionally(ex);
      }
    }
  }
}
