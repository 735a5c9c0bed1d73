package dev.aims.logging;

import dev.aims.core.AimsMetricNames;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionLogException;
import dev.aims.core.event.LogEntry;
import io.micrometer.core.instrument.Gauge;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The decision log in a PostgreSQL table, for teams with many instances: each instance writes its
 * own hash chain ({@code stream} = instance id) into one shared table, one row per line, the
 * {@code line} column holding exactly the line {@link FileDecisionLog} would write. Table, guarantees
 * and the behaviour when PostgreSQL is unreachable: {@code docs/decision-log-postgres.md}.
 *
 * <p>Producers lay out and pre-hash their record on their own thread and hand it to one writer
 * thread through a bounded queue; the writer links records into the chain and sends them with a
 * binary {@code COPY ... FROM STDIN}: in SYNC (one record) and GROUP one transaction per batch, in
 * ASYNC one transaction over several batches, each sent while the next is linked. {@link #append}
 * returns according to the {@link Durability} mode: SYNC and GROUP after the commit, ASYNC once
 * queued. An append never blocks longer than {@code enqueueTimeout}.
 *
 * <p>{@link Builder#open()} fails with {@link DecisionLogException} if PostgreSQL cannot be
 * reached within {@code connectTimeout}. Once open, an outage is waited out: the writer keeps the
 * batch it could not commit and retries with capped backoff, {@link #failure()} reports
 * "PostgreSQL unreachable since ..." (so HIGH-risk systems refuse before calling the model),
 * producers wait up to {@code enqueueTimeout} and then get {@link DecisionLogBackpressureException},
 * and after reconnecting the writer checks the stream's last row before it sends anything, so a
 * batch whose commit was in doubt is neither lost nor written twice. A chain that does not match
 * what this writer committed (another writer on the same stream, deleted rows) stops the log for good.
 */
public final class PostgresDecisionLog implements DecisionLog {
  private final String table;
  private final String stream;
  private final Durability durability;
  private final Duration enqueueTimeout;
  private final Duration closeTimeout;
  private final BlockingQueue<PostgresLogWriter.Pending> queue;
  private final PostgresLogWriter writer;
  private final Thread thread;
  private volatile boolean closed;

  private PostgresDecisionLog(Builder b, String stream) {
    this.table = b.table;
    this.stream = stream;
    this.durability = b.durability;
    this.enqueueTimeout = b.enqueueTimeout;
    this.closeTimeout = b.closeTimeout;
    PostgresLogWriter.Head head = bounded(b.connectTimeout, "opening", () -> {
      try (Connection c = b.dataSource.getConnection()) {
        return PostgresLogWriter.prepare(c, b.table, stream, b.createSchema);
      }
    });
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    this.writer = new PostgresLogWriter(b, stream, queue, head);
    if (b.meterRegistry != null) {
      Gauge.builder(AimsMetricNames.LOG_LAG, this, l -> l.queue.size() + l.writer.inFlightRows())
          .description("Events accepted by the decision log but not yet written")
          .tag("stream", stream)
          .register(b.meterRegistry);
    }
    this.thread = new Thread(writer, "aims-decision-log-pg-" + stream);
    thread.setDaemon(true);
    thread.start();
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Lays out the record on the caller's thread, queues it, and returns when the durability mode
   * says it is safe: SYNC and GROUP once committed, ASYNC once queued.
   *
   * @throws DecisionLogBackpressureException if within {@code enqueueTimeout} the queue had no room
   *     or (SYNC, GROUP) the record was not committed; the record was then not written
   * @throws DecisionLogException if the log has failed for good or is closed; or if the record was
   *     already sent but PostgreSQL did not confirm it in time (it is then committed later)
   */
  @Override
  public void append(LogEntry entry) {
    Objects.requireNonNull(entry, "entry");
    checkWritable();
    long deadline = System.nanoTime() + enqueueTimeout.toNanos();
    RecordLayout.Prepared record;
    try {
      record = RecordLayout.prepare(entry.canonical(), stream);
    } catch (IllegalArgumentException e) {
      throw new DecisionLogException("event " + entry + " cannot be logged: " + e.getMessage(), e);
    }
    CompletableFuture<Void> done = durability == Durability.ASYNC ? null : new CompletableFuture<>();
    PostgresLogWriter.Pending pending = new PostgresLogWriter.Pending(record, done);
    try {
      if (!queue.offer(pending, enqueueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new DecisionLogBackpressureException("PostgreSQL decision log (stream " + stream + ") stayed full for "
            + enqueueTimeout + " (queue capacity " + (queue.size() + queue.remainingCapacity()) + "); the event was not"
            + " written. " + failure().map(f -> f + ". ").orElse("PostgreSQL is slower than the decision rate: ")
            + "raise queueCapacity or enqueueTimeout, or make the database faster");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecisionLogException("interrupted while waiting for room in the decision log queue;"
          + " the event was not written", e);
    }
    if (writer.exited() && queue.remove(pending)) { // the writer stopped between the check and the offer
      checkWritable();
      throw new DecisionLogException("PostgreSQL decision log (stream " + stream + ") is closed", null);
    }
    if (done != null) {
      awaitCommit(pending, done, deadline);
    }
  }

  private void awaitCommit(PostgresLogWriter.Pending pending, CompletableFuture<Void> done, long deadline) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof DecisionLogException d ? d
              : new DecisionLogException("decision log write failed: " + cause, cause);
        } catch (InterruptedException | TimeoutException e) {
          interrupted |= e instanceof InterruptedException;
          if (queue.remove(pending)) {
            throw new DecisionLogBackpressureException("PostgreSQL decision log (stream " + stream + ") did not commit"
                + " the event within " + enqueueTimeout + "; it was withdrawn from the queue and not written. "
                + failure().orElse("PostgreSQL is slower than the decision rate"));
          }
          if (done.isDone()) {
            continue; // answered while we withdrew: report that answer
          }
          throw new DecisionLogException("PostgreSQL decision log (stream " + stream + ") did not confirm the commit"
              + " within " + enqueueTimeout + " (" + failure().orElse("commit still under way") + "). The event is"
              + " already linked into the chain and is committed when PostgreSQL answers, so it will still appear"
              + " in the log", null);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkWritable() {
    String failure = writer.permanentFailure();
    if (failure != null) {
      throw new DecisionLogException("PostgreSQL decision log (stream " + stream + ") accepts no more events: "
          + failure, null);
    }
    if (closed) {
      throw new DecisionLogException("PostgreSQL decision log (stream " + stream + ") is closed", null);
    }
  }

  /**
   * Why the log cannot write now: a failure for good, PostgreSQL unreachable or refusing writes
   * (while the writer retries), or a commit outstanding for longer than {@code enqueueTimeout}.
   * Empty again once a commit succeeds.
   */
  @Override
  public Optional<String> failure() {
    return Optional.ofNullable(writer.failure());
  }

  /** The last checkpoint committed, if any (also one read back at open). */
  public Optional<Checkpoint> lastCheckpoint() {
    return Optional.ofNullable(writer.lastCheckpoint());
  }

  public String stream() {
    return stream;
  }

  public String table() {
    return table;
  }

  public Durability durability() {
    return durability;
  }

  /** Transactions committed so far; for tests of batching. */
  long commits() {
    return writer.commits();
  }

  /**
   * Commits what is queued and a final checkpoint. If PostgreSQL stays unreachable for
   * {@code closeTimeout}, gives up: what was accepted but not committed is reported (logged at
   * ERROR with its count) and not written. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.requestClose();
    queue.offer(PostgresLogWriter.Pending.CLOSE); // wakes an idle writer; a busy one sees the request
    try {
      if (!writer.awaitExit(closeTimeout)) {
        writer.abandon();
        writer.awaitExit(Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      writer.abandon();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "PostgresDecisionLog[" + table + ", stream " + stream + ", " + durability + "]";
  }

  /**
   * Verifies one stream of the default table ({@code aims_decision_log}): rows in {@code seq} order
   * through the same checks as {@link LogVerifier}.
   */
  public static VerificationReport verify(DataSource dataSource, String stream, @Nullable PublicKey key)
      throws SQLException {
    return verify(dataSource, PostgresSchema.DEFAULT_LOG_TABLE, stream, key, List.of());
  }

  /**
   * Verifies one stream, and that it still reaches the checkpoints published elsewhere (for example
   * {@link PostgresCheckpointPublisher#published(String)} on another database): rows cut off the
   * end, or a stream rewritten without the key, are found that way.
   */
  public static VerificationReport verify(DataSource dataSource, String table, String stream,
      @Nullable PublicKey key, List<Checkpoint> published) throws SQLException {
    return PostgresLogVerifier.verify(dataSource, PostgresSchema.table(table, "table"), stream, key, published);
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} on its own thread so that a DataSource without timeouts cannot hang {@code open()}. */
  private <T> T bounded(Duration timeout, String what, SqlWork<T> work) {
    FutureTask<T> task = new FutureTask<>(work::run);
    Thread t = new Thread(task, "aims-decision-log-pg-open-" + stream);
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      throw new DecisionLogException("PostgreSQL did not answer within " + timeout + " while " + what
          + " the decision log (table " + table + ", stream " + stream + "); nothing was written. Check that the"
          + " database is reachable, or raise connectTimeout", e);
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new DecisionLogException("interrupted while " + what + " the PostgreSQL decision log", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DecisionLogException d) {
        throw d;
      }
      throw new DecisionLogException("cannot open the PostgreSQL decision log (table " + table + ", stream " + stream
          + "): " + PostgresLogWriter.describe(cause) + ". Nothing was written; the log was not opened", cause);
    }
  }

  /** Builds a {@link PostgresDecisionLog}; {@link #open()} connects, creates the table if asked, and starts it. */
  public static final class Builder extends DecisionLogBuilder<Builder> {
    final DataSource dataSource;
    String table = PostgresSchema.DEFAULT_LOG_TABLE;
    boolean createSchema = true;
    Duration enqueueTimeout = Duration.ofSeconds(5);
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration networkTimeout = Duration.ofSeconds(30);
    Duration maxRetryBackoff = Duration.ofSeconds(5);
    Duration closeTimeout = Duration.ofSeconds(30);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The table (default {@code aims_decision_log}); a lower-case identifier, optionally {@code schema.table}. */
    public Builder table(String table) {
      this.table = PostgresSchema.table(table, "table");
      return this;
    }

    /** Create the table at open if it does not exist (default true); turn off when a migration creates it. */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /** The longest an append blocks: waiting for room, and for SYNC and GROUP for the commit (default 5 s). */
    public Builder enqueueTimeout(Duration timeout) {
      this.enqueueTimeout = SettingChecks.positive(timeout, "enqueueTimeout");
      return this;
    }

    /** How long {@link #open()} waits for PostgreSQL before it fails (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = SettingChecks.positive(timeout, "connectTimeout");
      return this;
    }

    /** The JDBC network timeout of the writer's connection: a silent network cannot hold it longer (default 30 s). */
    public Builder networkTimeout(Duration timeout) {
      this.networkTimeout = SettingChecks.positive(timeout, "networkTimeout");
      return this;
    }

    /** The longest pause between two reconnection attempts during an outage (default 5 s; starts at 50 ms, doubling). */
    public Builder maxRetryBackoff(Duration backoff) {
      this.maxRetryBackoff = SettingChecks.positive(backoff, "maxRetryBackoff");
      return this;
    }

    /** How long {@link #close()} keeps trying to commit what is queued before it gives up (default 30 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = SettingChecks.positive(timeout, "closeTimeout");
      return this;
    }

    /**
     * Connects, checks the database, creates the table if asked, reads the stream's last row (and
     * the rows since its last checkpoint, which it checks) and starts the writer.
     *
     * @throws DecisionLogException if PostgreSQL cannot be reached or answers with an error within
     *     {@code connectTimeout} (the message names the cause, never the JDBC URL), or if the
     *     stream's rows since its last checkpoint are damaged
     */
    public PostgresDecisionLog open() {
      if (stream == null) {
        throw new IllegalStateException("stream is required for the PostgreSQL decision log: a stable id of this"
            + " instance (pod or host name), unique among the instances writing into table " + table);
      }
      return new PostgresDecisionLog(this, stream);
    }
  }
}
