package dev.aims.logging;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionLogException;
import dev.aims.core.event.LogEntry;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, tamper-evident decision log: JSON lines in segment files, each line chained to the
 * one before by SHA-256, signed Merkle checkpoints at intervals, recovery of a torn tail at open.
 * The format is in {@code docs/decision-log.md}.
 *
 * <p>One writer thread owns the files; producers lay out and pre-hash their record on their own
 * thread ({@link RecordLayout}) and hand it over through a bounded queue. When the queue is full
 * a producer waits up to {@code enqueueTimeout}, then gets {@link DecisionLogBackpressureException}:
 * nothing is ever dropped. {@link #append} returns according to the {@link Durability} mode.
 *
 * <p>An I/O error puts the log in a failed state: it acknowledges nothing more and
 * {@link #failure()} says why. Damage found at open (other than a torn tail) opens the log
 * read-only. A second process that opens the same directory for writing is refused.
 *
 * <p>The directory's lock is held until the writer thread has stopped, and released by that
 * thread as it ends: if {@link #close()} gives up waiting for a writer stuck in the disk, the
 * directory stays locked (a restarted writer cannot write the same chain beside it) and close
 * throws {@link DecisionLogException} saying so.
 */
public final class FileDecisionLog implements DecisionLog {
  private static final Logger LOG = LoggerFactory.getLogger(FileDecisionLog.class);
  private final Path directory;
  private final String stream;
  private final Durability durability;
  private final Duration enqueueTimeout;
  private final Duration closeTimeout;
  private final int queueCapacity;
  private final BlockingQueue<LogWriter.Pending> queue;
  private final LogWriter writer;
  private final Thread thread;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private volatile boolean closed;

  private FileDecisionLog(Builder b) throws IOException {
    this.directory = b.directory;
    this.stream = b.stream != null ? b.stream : defaultStream();
    this.durability = b.durability;
    this.enqueueTimeout = b.enqueueTimeout;
    this.closeTimeout = b.closeTimeout;
    this.queueCapacity = b.queueCapacity;
    Files.createDirectories(directory);
    this.lockChannel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new DecisionLogException("decision log " + directory + " is already open for writing by another process"
          + " (or another FileDecisionLog in this one); only one writer may own a log directory", null);
    }
    this.lock = acquired;
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    try {
      this.writer = new LogWriter(b, stream, queue);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
    if (b.meterRegistry != null) {
      Gauge.builder(AimsMetricNames.LOG_LAG, queue, BlockingQueue::size)
          .description("Events accepted by the decision log but not yet written")
          .tag("stream", stream)
          .register(b.meterRegistry);
    }
    this.thread = new Thread(this::runWriter, "aims-decision-log-" + stream);
    thread.setDaemon(true);
    thread.start();
  }

  /** The writer's whole life: the lock is released only once it cannot write any more. */
  private void runWriter() {
    try {
      writer.run();
    } finally {
      releaseLock();
    }
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("Decision log {}: could not release its lock (the process's exit releases it)", directory, e);
    }
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * Lays out the record on the caller's thread, queues it, and returns when the durability mode
   * says it is safe: SYNC and GROUP once it is on disk, ASYNC once it is queued.
   *
   * @throws DecisionLogBackpressureException if the queue stayed full past the enqueue timeout
   * @throws DecisionLogException if the log has failed, is read-only or closed
   */
  @Override
  public void append(LogEntry entry) {
    Objects.requireNonNull(entry, "entry");
    checkWritable();
    RecordLayout.Prepared record;
    try {
      record = RecordLayout.prepare(entry.canonical(), stream);
    } catch (IllegalArgumentException e) {
      throw new DecisionLogException("event " + entry + " cannot be logged: " + e.getMessage(), e);
    }
    CompletableFuture<Void> done = durability == Durability.ASYNC ? null : new CompletableFuture<>();
    LogWriter.Pending pending = new LogWriter.Pending(record, done);
    try {
      if (!queue.offer(pending, enqueueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new DecisionLogBackpressureException("decision log " + directory + " stayed full for " + enqueueTimeout
            + " (queue capacity " + queueCapacity + "); the event was not written."
            + " The disk is slower than the decision rate: raise queueCapacity or enqueueTimeout, or use faster storage");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecisionLogException("interrupted while waiting for room in the decision log queue;"
          + " the event was not written", e);
    }
    if (!thread.isAlive() && queue.remove(pending)) { // the writer stopped between the check and the offer
      checkWritable();
      throw new DecisionLogException("decision log " + directory + " is closed", null);
    }
    // the writer may have failed between the check and the offer; it fails everything queued then
    if (done != null) {
      awaitDurable(pending, done);
    } else {
      checkWritable();
    }
  }

  private void awaitDurable(LogWriter.Pending pending, CompletableFuture<Void> done) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get(100, TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          // a writer that stopped (closed) just after this record was queued never answers it
          if (!thread.isAlive() && !done.isDone() && queue.remove(pending)) {
            checkWritable();
            throw new DecisionLogException("decision log " + directory + " is closed", null);
          }
        } catch (InterruptedException e) {
          // the record is already queued and will be written; wait for the answer, keep the flag
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof DecisionLogException d ? d
              : new DecisionLogException("decision log write failed: " + cause, cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkWritable() {
    String failure = writer.failure();
    if (failure != null) {
      throw new DecisionLogException("decision log " + directory + " accepts no more events: " + failure, null);
    }
    if (closed) {
      throw new DecisionLogException("decision log " + directory + " is closed", null);
    }
  }

  @Override
  public Optional<String> failure() {
    return Optional.ofNullable(writer.failure());
  }

  /** The last checkpoint written, if any. */
  public Optional<Checkpoint> lastCheckpoint() {
    return Optional.ofNullable(writer.lastCheckpoint());
  }

  /** Bytes moved to quarantine at open (0 when the log was intact). */
  public long recoveredBytes() {
    return writer.recoveredBytes();
  }

  public Path directory() {
    return directory;
  }

  public String stream() {
    return stream;
  }

  public Durability durability() {
    return durability;
  }

  /**
   * Writes what is queued, a final checkpoint, forces, and waits up to {@code closeTimeout} for the
   * writer to stop; the writer releases the directory as it stops. Idempotent.
   *
   * @throws DecisionLogException if the writer has not stopped within {@code closeTimeout} (a disk
   *     that does not answer): the directory then stays locked until the writer stops, and records
   *     still queued may not be written
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.requestClose();
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    boolean interrupted = false;
    try {
      // a writer stuck in the disk may leave the queue full: never wait for room longer than the timeout
      if (queue.offer(LogWriter.Pending.CLOSE, closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (thread.isAlive()) {
      String why = "decision log " + directory + ": the writer did not stop within " + closeTimeout
          + (interrupted ? " (close was interrupted)" : " (the disk does not answer)") + "; the directory stays"
          + " locked until it does, so no second writer can write the same chain beside it. " + queue.size()
          + " queued event(s) are not written yet";
      LOG.error(why);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw new DecisionLogException(why, null);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: waits until the writer thread has stopped (and so released the directory). */
  boolean awaitWriterStopped(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  @Override
  public String toString() {
    return "FileDecisionLog[" + directory + ", " + durability + "]";
  }

  /** The host name: stable across restarts, so one directory keeps one stream. */
  private static String defaultStream() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    String id = host.replaceAll("[^A-Za-z0-9@._-]", "_");
    return id.length() > 128 ? id.substring(0, 128) : id;
  }

  static ObjectNode recoveredEvent(Clock clock, String segment, long bytes, String quarantine) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("type", "log.recovered");
    n.put("ts", dev.aims.core.event.Timestamps.format(clock.instant()));
    n.put("segment", segment);
    n.put("bytes_dropped", bytes);
    n.put("quarantine", quarantine);
    return n;
  }

  /** Builds a {@link FileDecisionLog}; {@link #open()} recovers and starts it. */
  public static final class Builder extends DecisionLogBuilder<Builder> {
    final Path directory;
    long segmentBytes = 64L * 1024 * 1024;
    Duration segmentDuration = Duration.ofDays(1);
    /** EU AI Act Art. 19/26: at least six months; 190 days leaves margin for a month of 31 days. */
    Duration retention = Duration.ofDays(190);
    Duration enqueueTimeout = Duration.ofSeconds(5);
    Duration closeTimeout = Duration.ofSeconds(30);
    int maxBatch = 1024;
    LogWriter.ChannelOpener opener = path -> FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.READ);

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Rotate to a new segment after this many bytes (default 64 MiB). */
    public Builder segmentBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("segmentBytes must be >= 4096 but was " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    public Builder segmentDuration(Duration duration) {
      this.segmentDuration = SettingChecks.positive(duration, "segmentDuration");
      return this;
    }

    /** Closed segments older than this are deleted (default 190 days: the AI Act asks for at least six months). */
    public Builder retention(Duration retention) {
      this.retention = SettingChecks.positive(retention, "retention");
      return this;
    }

    /** How long a producer waits for room in a full queue before it is told (default 5 s). */
    public Builder enqueueTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "enqueueTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("enqueueTimeout must not be negative but was " + timeout);
      }
      this.enqueueTimeout = timeout;
      return this;
    }

    /**
     * How long {@link FileDecisionLog#close()} waits for the writer to write what is queued and stop
     * (default 30 s). A writer still running then keeps the directory locked until it stops.
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = SettingChecks.positive(timeout, "closeTimeout");
      return this;
    }

    /** For fault-injection tests: how segment files are opened. */
    Builder channelOpener(LogWriter.ChannelOpener opener) {
      this.opener = opener;
      return this;
    }

    /**
     * Opens the log: takes the directory's lock, recovers a torn tail, checks the last segment.
     *
     * @throws DecisionLogException if another writer holds the directory
     * @throws IOException if the directory cannot be read or written
     */
    public FileDecisionLog open() throws IOException {
      return new FileDecisionLog(this);
    }
  }
}
