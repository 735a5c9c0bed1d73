package dev.aims.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.DecisionLogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one stream of a PostgreSQL decision log: links queued records into the
 * chain exactly as {@link LogWriter} does, and commits them in batches with a binary {@code COPY}
 * (in ASYNC several batches per transaction, each sent while the next is linked). A transaction
 * that cannot be committed is kept, unchanged, and retried until it is, with capped backoff; the
 * queue is not read meanwhile, so the producers feel the outage as backpressure.
 */
final class PostgresLogWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresLogWriter.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BATCH = 1024;
  /** A batch stops growing past this many bytes of lines, so that one COPY stays a few MiB. */
  private static final int MAX_BATCH_BYTES = 4 << 20;
  /**
   * In ASYNC, one transaction goes on over several batches up to these bounds, and is committed
   * once they are reached or no record arrived for {@link #LINGER_NANOS}.
   */
  private static final int MAX_TX_ROWS = 8 * MAX_BATCH;
  private static final int MAX_TX_BYTES = 16 << 20;
  private static final long MAX_TX_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The signature, flags and header extension length that open a COPY in binary format. */
  private static final byte[] BINARY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
      0, 0, 0, 0, 0, 0, 0, 0};
  private static final byte[] BINARY_TRAILER = {(byte) 0xff, (byte) 0xff};
  /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix seconds. */
  private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
  private static final Instant FIRST_COLUMN_TS = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST_COLUMN_TS = Instant.parse("9999-12-31T00:00:00Z");
  private static final long INITIAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** An idle writer checks its connection this often, so that an outage is reported before the next event. */
  private static final long IDLE_PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

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

  /** Where the stream stands in the table at open; {@code lastTs} is the ts of its last row. */
  record Head(long nextSeq, String prevHash, List<byte[]> leaves, long leavesFrom, @Nullable Checkpoint lastCheckpoint,
      @Nullable String lastTs) {}

  /** A linked line in {@link #out}, without its newline. */
  private record Row(long seq, int offset, int length, String type, @Nullable Instant ts, byte[] prev) {}

  /** The table does not continue the chain this writer committed: nothing more can be appended safely. */
  private static final class ChainConflict extends Exception {
    ChainConflict(String message) {
      super(message, null, false, false);
    }
  }

  /** {@code close()} gave up waiting for PostgreSQL. */
  private static final class Abandoned extends Exception {
    Abandoned() {
      super(null, null, false, false);
    }
  }

  private final DataSource dataSource;
  private final String table;
  private final String stream;
  private final byte[] streamColumn;
  private final Durability durability;
  private final int checkpointEvery;
  private final long checkpointIntervalNanos;
  private final @Nullable CheckpointPublisher publisher;
  private final Clock clock;
  private final BlockingQueue<Pending> queue;
  private final int maxBatch;
  private final int networkTimeoutMillis;
  private final long maxBackoffNanos;
  private final long stallNanos;
  private final long maxTxNanos;
  private final String copySql;
  private final String lastRowSql;

  private final ChainState chain;
  private final LineBuffer out = new LineBuffer(1 << 16);
  private final List<Row> rows = new ArrayList<>();
  private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private final List<Checkpoint> toPublish = new ArrayList<>();
  private byte[] copyBuf = new byte[1 << 16];
  private @Nullable Connection connection;
  private @Nullable CopyManager copyApi;
  /** The COPY of the open transaction (ASYNC, several batches), or null. */
  private @Nullable CopyIn openCopy;
  /** How many of {@link #rows} {@link #openCopy} has been sent. */
  private int sentRows;
  private boolean raiseSynchronousCommit;
  /** A new connection: check the table against the chain before sending anything. */
  private boolean reconcile = true;
  private long lastCheckpointNanos;
  /** A checkpoint as soon as the log is open, so that it is anchored from where this writer starts. */
  private boolean openingCheckpoint = true;
  private long nextProbeNanos;
  private long backoffNanos = INITIAL_BACKOFF_NANOS;
  private long attempts;

  private final CountDownLatch abandoned = new CountDownLatch(1);
  private final CountDownLatch exited = new CountDownLatch(1);
  private volatile boolean closeRequested;
  private volatile @Nullable String permanentFailure;
  private volatile @Nullable String outage;
  private volatile @Nullable Instant outageSince;
  private volatile long inFlightSinceNanos;
  private volatile @Nullable Instant inFlightSince;
  private volatile int inFlightRows;
  private volatile @Nullable Checkpoint lastCheckpoint;
  private final AtomicLong commits = new AtomicLong();

  PostgresLogWriter(PostgresDecisionLog.Builder b, String stream, BlockingQueue<Pending> queue, Head head) {
    this.dataSource = b.dataSource;
    this.table = b.table;
    this.stream = stream;
    this.streamColumn = stream.getBytes(StandardCharsets.UTF_8);
    this.durability = b.durability;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointIntervalNanos = b.checkpointInterval.toNanos();
    this.publisher = b.publisher;
    this.clock = b.clock;
    this.queue = queue;
    this.maxBatch = durability == Durability.SYNC ? 1 : MAX_BATCH;
    this.networkTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.networkTimeout.toMillis());
    this.maxBackoffNanos = Math.max(INITIAL_BACKOFF_NANOS, b.maxRetryBackoff.toNanos());
    this.stallNanos = b.enqueueTimeout.toNanos();
    this.maxTxNanos = Math.min(MAX_TX_NANOS, stallNanos / 2); // an open transaction is not yet a stall
    this.copySql = "COPY " + table + " (stream, seq, ts, type, hash, prev, line) FROM STDIN (FORMAT binary)";
    this.lastRowSql = "SELECT seq, hash FROM " + table + " WHERE stream = ? ORDER BY seq DESC LIMIT 1";
    String keyId = b.publicKey == null ? null : SigningKeys.keyId(b.publicKey);
    this.chain = new ChainState(stream, durability, b.signingKey, keyId, clock, checkpointEvery,
        b.checkpointInterval.toMillis(), head.nextSeq(), head.prevHash()).continueAfter(head.lastTs());
    chain.leaves.addAll(head.leaves());
    chain.leavesFrom = head.leavesFrom();
    this.lastCheckpoint = head.lastCheckpoint();
    this.lastCheckpointNanos = System.nanoTime();
    this.nextProbeNanos = lastCheckpointNanos + IDLE_PROBE_NANOS;
  }

  // ---- open -----------------------------------------------------------------------------------

  /**
   * At open, on a connection of its own: checks the database, creates the table if asked, and
   * reads where the stream stands: its last checkpoint and the rows after it, which are checked
   * and give the leaves the next checkpoint must cover.
   */
  static Head prepare(Connection c, String table, String stream, boolean createSchema) throws SQLException {
    try {
      c.unwrap(PGConnection.class);
    } catch (SQLException e) {
      throw new DecisionLogException("the DataSource of the PostgreSQL decision log must give connections of the"
          + " PostgreSQL JDBC driver (org.postgresql:postgresql), but gave " + c.getClass().getName(), e);
    }
    String encoding = show(c, "server_encoding");
    if (!"UTF8".equalsIgnoreCase(encoding) && !"SQL_ASCII".equalsIgnoreCase(encoding)) {
      throw new DecisionLogException("the database's encoding is " + encoding + ", but decision log lines are UTF-8"
          + " and must be stored byte for byte: use a database created with ENCODING 'UTF8'", null);
    }
    if (createSchema) {
      PostgresSchema.create(c, PostgresSchema.decisionLog(table));
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      ChainChecker checker = new ChainChecker(null);
      MessageDigest md = Hex.sha256();
      Checkpoint last = null;
      long from = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, line FROM " + table
          + " WHERE stream = ? AND type = 'log.checkpoint' ORDER BY seq DESC LIMIT 1")) {
        ps.setString(1, stream);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            long seq = rs.getLong(1);
            String line = rs.getString(2);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            LineScanner.Line scanned = LineScanner.scan(bytes, 0, bytes.length, md);
            if (!scanned.valid() || scanned.seq() != seq) {
              throw damaged(table, stream, seq, scanned.valid() ? "the seq column does not match the line"
                  : scanned.error());
            }
            try {
              last = Checkpoint.fromLine(MAPPER.readTree(line));
            } catch (IOException | IllegalArgumentException e) {
              throw damaged(table, stream, seq, "the checkpoint cannot be read: " + e.getMessage());
            }
            checker.seed(seq + 1, scanned.hash());
            from = seq;
          } else {
            checker.fromAnywhere();
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, line FROM " + table
          + " WHERE stream = ? AND seq > ? ORDER BY seq")) {
        ps.setFetchSize(1000);
        ps.setString(1, stream);
        ps.setLong(2, from);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] bytes = rs.getString(2).getBytes(StandardCharsets.UTF_8);
            String problem = checker.check(bytes, 0, bytes.length);
            if (problem == null && checker.nextSeq() - 1 != rs.getLong(1)) {
              problem = "the seq column does not match the line";
            }
            if (problem != null) {
              throw damaged(table, stream, rs.getLong(1), problem);
            }
          }
        }
      }
      c.commit();
      long next = checker.nextSeq() > 0 ? checker.nextSeq() : 1;
      return new Head(next, checker.prevHash(), new ArrayList<>(checker.pendingLeaves()),
          checker.nextSeq() > 0 ? checker.pendingFrom() : next, last,
          checker.lastTs() != null ? checker.lastTs() : last != null ? last.ts() : null);
    } finally {
      try {
        c.rollback();
        c.setAutoCommit(autoCommit);
      } catch (SQLException ignored) {
        // the connection is closed by the caller; the first error is the one reported
      }
    }
  }

  private static DecisionLogException damaged(String table, String stream, long seq, @Nullable String why) {
    return new DecisionLogException("stream " + stream + " in " + table + " is damaged at seq " + seq + " (" + why
        + "); it is never repaired automatically and the log was not opened. Run PostgresDecisionLog.verify to see"
        + " the first bad row, and restore the rows from a copy", null);
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  // ---- what producers and close() see ---------------------------------------------------------

  @Nullable String permanentFailure() {
    return permanentFailure;
  }

  @Nullable String failure() {
    String f = permanentFailure;
    if (f != null) {
      return f;
    }
    f = outage;
    if (f != null) {
      return f;
    }
    long since = inFlightSinceNanos;
    Instant at = inFlightSince;
    if (since != 0 && at != null && System.nanoTime() - since > stallNanos) {
      return "PostgreSQL has not confirmed a commit for " + Duration.ofNanos(System.nanoTime() - since).toMillis()
          + " ms (since " + at + "); " + (queue.size() + inFlightRows) + " event(s) wait to be written";
    }
    return null;
  }

  @Nullable Checkpoint lastCheckpoint() {
    return lastCheckpoint;
  }

  int inFlightRows() {
    return inFlightRows;
  }

  long commits() {
    return commits.get();
  }

  boolean exited() {
    return exited.getCount() == 0;
  }

  void requestClose() {
    closeRequested = true;
  }

  void abandon() {
    abandoned.countDown();
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    return exited.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  // ---- the loop -------------------------------------------------------------------------------

  @Override
  public void run() {
    try {
      boolean closing = false;
      while (!closing) {
        closing = fill();
        if (rows.isEmpty()) {
          continue;
        }
        if (!closing && sentRows < rows.size() && keepTransactionOpen()) {
          try {
            sendOn();
            continue;
          } catch (SQLException e) {
            retryLater(e); // then commitBatch sends the whole transaction again on a new connection
          }
        }
        commitBatch();
      }
    } catch (ChainConflict e) {
      fail(e.getMessage(), null);
    } catch (Abandoned e) {
      long events = rows.stream().filter(r -> !r.type().equals("log.checkpoint")).count()
          + queue.stream().filter(p -> p.record != null).count();
      fail("closed while PostgreSQL could not be written (" + outage + "); " + events + " accepted event(s) were not"
          + " written", null);
    } catch (InterruptedException e) {
      fail("the writer thread was interrupted", e);
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      fail("unexpected error in the writer: " + e, e);
      throw e;
    } finally {
      dropConnection();
      refuseQueued();
      exited.countDown();
    }
  }

  /** Takes queued records into a batch, with checkpoints when due. Returns true when the log closes. */
  private boolean fill() throws InterruptedException, ChainConflict, Abandoned {
    while (true) {
      if (outage != null && !closeRequested) {
        // known to be down: take nothing into the chain (producers get backpressure), probe with backoff
        if (abandoned.await(Math.max(0, nextProbeNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new Abandoned();
        }
        probe();
        continue;
      }
      if (openingCheckpoint) {
        openingCheckpoint = false;
        checkpoint();
        return false;
      }
      long now = System.nanoTime();
      long wait = Math.min(lastCheckpointNanos + checkpointIntervalNanos, nextProbeNanos) - now;
      // with rows of a transaction waiting: take what is there, or what comes soon into an open COPY
      Pending p = rows.isEmpty() ? queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS)
          : openCopy != null ? queue.poll(LINGER_NANOS, TimeUnit.NANOSECONDS) : queue.poll();
      boolean closing = false;
      int taken = 0;
      int startBytes = out.length;
      while (p != null) {
        if (p.record == null) {
          closing = true;
        } else {
          link(p);
          if (chain.leaves.size() >= checkpointEvery) {
            checkpoint();
          }
        }
        p = ++taken < maxBatch && out.length - startBytes < MAX_BATCH_BYTES ? queue.poll() : null;
      }
      closing |= closeRequested && queue.isEmpty();
      if (closing || System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos) {
        checkpoint();
      }
      if (closing || !rows.isEmpty()) {
        return closing;
      }
      if (System.nanoTime() - nextProbeNanos >= 0) {
        probe();
      }
    }
  }

  private void link(Pending p) {
    int offset = out.length;
    byte[] prev = chain.prevHex;
    long seq = chain.nextSeq;
    int length = chain.link(p.record, out, false);
    rows.add(new Row(seq, offset, length - 1, p.record.type, columnTs(chain.lastInstant()), prev));
    if (p.done != null) {
      waiting.add(p.done);
    }
  }

  private void checkpoint() {
    int offset = out.length;
    byte[] prev = chain.prevHex;
    long seq = chain.nextSeq;
    Checkpoint cp = chain.checkpoint(out);
    rows.add(new Row(seq, offset, out.length - offset - 1, "log.checkpoint", columnTs(chain.lastInstant()), prev));
    toPublish.add(cp);
    lastCheckpointNanos = System.nanoTime();
  }

  /**
   * ASYNC: rather than wait for a commit after every batch, the writer sends the batch into the
   * transaction's COPY and links the next one while PostgreSQL stores this one. Only while the
   * connection is settled, and within the transaction's bounds; the transaction is committed when
   * a batch brings nothing new.
   */
  private boolean keepTransactionOpen() {
    return durability == Durability.ASYNC && connection != null && !reconcile && outage == null
        && rows.size() < MAX_TX_ROWS && out.length < MAX_TX_BYTES
        && (inFlightSinceNanos == 0 || System.nanoTime() - inFlightSinceNanos < maxTxNanos);
  }

  /** Sends the rows not sent yet into the open transaction's COPY (opening both if needed), without committing. */
  private void sendOn() throws SQLException {
    startInFlight();
    Connection c = connection();
    if (openCopy == null) {
      openCopy = beginCopy(c);
    }
    sendRows(openCopy);
    openCopy.flushCopy();
  }

  /** Commits the batch, retrying through outages until it is committed. */
  private void commitBatch() throws InterruptedException, ChainConflict, Abandoned {
    startInFlight();
    while (true) {
      try {
        Connection c = connection();
        if (reconcile) {
          boolean alreadyCommitted = reconcile(c);
          reconcile = false;
          if (alreadyCommitted) {
            committed();
            return;
          }
        }
        send(c);
        committed();
        return;
      } catch (SQLException e) {
        retryLater(e);
      }
    }
  }

  private void startInFlight() {
    if (inFlightSinceNanos == 0) {
      inFlightSince = clock.instant();
      inFlightSinceNanos = System.nanoTime();
    }
    inFlightRows = rows.size();
  }

  /** Sends what the transaction's COPY has not had yet, ends the COPY and commits. */
  private void send(Connection c) throws SQLException {
    CopyIn in = openCopy != null ? openCopy : beginCopy(c);
    openCopy = null;
    try {
      sendRows(in);
      in.writeToCopy(BINARY_TRAILER, 0, BINARY_TRAILER.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
    c.commit();
  }

  private CopyIn beginCopy(Connection c) throws SQLException {
    if (raiseSynchronousCommit) {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL synchronous_commit TO on");
      }
    }
    CopyIn in = copyApi.copyIn(copySql);
    sentRows = 0;
    try {
      in.writeToCopy(BINARY_HEADER, 0, BINARY_HEADER.length);
    } catch (SQLException | RuntimeException e) {
      if (in.isActive()) {
        in.cancelCopy();
      }
      throw e;
    }
    return in;
  }

  /** Sends rows from {@link #sentRows} on, a batch's worth of the COPY buffer at a time. */
  private void sendRows(CopyIn in) throws SQLException {
    while (sentRows < rows.size()) {
      int to = Math.min(rows.size(), sentRows + MAX_BATCH);
      int n = encodeCopy(sentRows, to);
      in.writeToCopy(copyBuf, 0, n);
      sentRows = to;
    }
  }

  /**
   * Rows {@code from} to {@code to} (exclusive) as tuples of COPY's binary format: a column count,
   * then each column as its length and its bytes (length -1 for null): text columns as UTF-8,
   * {@code seq} as a big-endian int64, {@code ts} as microseconds since 2000-01-01 UTC.
   */
  private int encodeCopy(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      Row r = rows.get(i);
      byte[] type = r.type().getBytes(StandardCharsets.UTF_8);
      int need = 2 + 7 * 4 + streamColumn.length + 8 + 8 + type.length + 64 + 64 + r.length();
      if (n + need > copyBuf.length) {
        copyBuf = Arrays.copyOf(copyBuf, Math.max(copyBuf.length * 2, n + need));
      }
      n = putShort(copyBuf, n, 7);
      n = putColumn(copyBuf, n, streamColumn, 0, streamColumn.length);
      n = putInt(copyBuf, n, 8);
      n = putLong(copyBuf, n, r.seq());
      if (r.ts() == null) {
        n = putInt(copyBuf, n, -1);
      } else {
        n = putInt(copyBuf, n, 8);
        n = putLong(copyBuf, n, postgresMicros(r.ts()));
      }
      n = putColumn(copyBuf, n, type, 0, type.length);
      int end = r.offset() + r.length();
      n = putColumn(copyBuf, n, out.bytes, end - 66, 64); // ,"hash":"<64 hex>"}
      n = putColumn(copyBuf, n, r.prev(), 0, r.prev().length);
      n = putColumn(copyBuf, n, out.bytes, r.offset(), r.length());
    }
    return n;
  }

  /** The {@code ts} column: the line's ts (as clamped) if PostgreSQL can hold it, otherwise null. */
  private static @Nullable Instant columnTs(@Nullable Instant ts) {
    return ts != null && ts.isAfter(FIRST_COLUMN_TS) && ts.isBefore(LAST_COLUMN_TS) ? ts : null;
  }

  /**
   * Microseconds since PostgreSQL's epoch, the value PostgreSQL stores for {@code ts.toString()}
   * given as text, so that a row holds the same value whichever format sent it. PostgreSQL reads
   * the fraction of a second as a double and rounds {@code fraction * 1e6} half to even
   * ({@code rint}); a fraction finer than microseconds is rounded the same way here.
   */
  static long postgresMicros(Instant ts) {
    int nanos = ts.getNano();
    long micros = nanos / 1000;
    if (nanos % 1000 != 0) { // Instant.toString writes the nine digits; PostgreSQL parses them with strtod
      String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
      micros = (long) Math.rint(Double.parseDouble("0." + digits) * 1_000_000);
    }
    return (ts.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + micros;
  }

  private static int putColumn(byte[] to, int at, byte[] from, int start, int length) {
    at = putInt(to, at, length);
    System.arraycopy(from, start, to, at, length);
    return at + length;
  }

  private static int putShort(byte[] to, int at, int v) {
    to[at] = (byte) (v >>> 8);
    to[at + 1] = (byte) v;
    return at + 2;
  }

  private static int putInt(byte[] to, int at, int v) {
    to[at] = (byte) (v >>> 24);
    to[at + 1] = (byte) (v >>> 16);
    to[at + 2] = (byte) (v >>> 8);
    to[at + 3] = (byte) v;
    return at + 4;
  }

  private static int putLong(byte[] to, int at, long v) {
    at = putInt(to, at, (int) (v >>> 32));
    return putInt(to, at, (int) v);
  }

  /**
   * On a new connection, before anything is sent: the stream's last row must be either the last
   * row of the current batch (its commit went through although its answer was lost) or the row
   * before it. Returns true in the first case. Anything else means the table no longer continues
   * this writer's chain.
   */
  private boolean reconcile(Connection c) throws SQLException, ChainConflict {
    long lastSeq = 0;
    String lastHash = null;
    try (PreparedStatement ps = c.prepareStatement(lastRowSql)) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          lastSeq = rs.getLong(1);
          lastHash = rs.getString(2);
        }
      }
    }
    c.commit();
    if (!rows.isEmpty()) {
      Row last = rows.get(rows.size() - 1);
      if (lastSeq == last.seq() && hashOf(last).equals(lastHash)) {
        LOG.info("Decision log {} stream {}: a batch whose commit was in doubt (seq {}..{}) had been committed",
            table, stream, rows.get(0).seq(), last.seq());
        return true;
      }
    }
    long expectedSeq = (rows.isEmpty() ? chain.nextSeq : rows.get(0).seq()) - 1;
    String expectedHash = new String(rows.isEmpty() ? chain.prevHex : rows.get(0).prev(), StandardCharsets.US_ASCII);
    if (lastSeq == expectedSeq && (lastSeq == 0 || expectedHash.equals(lastHash))) {
      return false;
    }
    String why;
    if (lastSeq > expectedSeq) {
      why = "stream " + stream + " in " + table + " already has seq " + lastSeq + " where this writer's next is "
          + (expectedSeq + 1) + ": another instance writes the same stream. Give every instance its own stream";
    } else if (lastSeq < expectedSeq) {
      why = "stream " + stream + " in " + table + " ends at seq " + lastSeq + " but this writer had committed up to seq "
          + expectedSeq + ": committed rows are gone (deleted, or a failover to a replica that lacked them)."
          + " Run PostgresDecisionLog.verify";
    } else {
      why = "row seq " + lastSeq + " of stream " + stream + " in " + table + " is not the row this writer committed:"
          + " rows were changed, or another instance writes the same stream";
    }
    throw new ChainConflict(why + "; the log acknowledges nothing more");
  }

  private String hashOf(Row r) {
    return new String(out.bytes, r.offset() + r.length() - 66, 64, StandardCharsets.US_ASCII);
  }

  private void committed() {
    // the state producers can observe is settled before they are released
    commits.incrementAndGet();
    rows.clear();
    out.clear();
    sentRows = 0;
    inFlightRows = 0;
    inFlightSinceNanos = 0;
    inFlightSince = null;
    reachable();
    if (!toPublish.isEmpty()) {
      lastCheckpoint = toPublish.get(toPublish.size() - 1);
    }
    for (CompletableFuture<Void> f : waiting) {
      f.complete(null);
    }
    waiting.clear();
    publish();
  }

  private void reachable() {
    nextProbeNanos = System.nanoTime() + IDLE_PROBE_NANOS;
    backoffNanos = INITIAL_BACKOFF_NANOS;
    if (outage != null) {
      LOG.info("Decision log {} stream {}: PostgreSQL answers again after {} ms and {} attempt(s); the chain goes on"
          + " at seq {}", table, stream, Duration.between(outageSince, clock.instant()).toMillis(), attempts,
          chain.nextSeq);
      outage = null;
      outageSince = null;
      attempts = 0;
    }
  }

  private void publish() {
    if (publisher != null) {
      for (Checkpoint cp : toPublish) {
        try {
          publisher.publish(cp);
        } catch (IOException | RuntimeException e) {
          LOG.warn("Decision log {} stream {}: could not publish checkpoint seq {} to {}", table, stream, cp.seq(),
              publisher, e);
        }
      }
    }
    toPublish.clear();
  }

  /** An idle writer's check that PostgreSQL still answers (and, on a new connection, still holds the chain). */
  private void probe() throws InterruptedException, ChainConflict {
    try {
      Connection c = connection();
      if (reconcile) {
        reconcile(c);
        reconcile = false;
      } else if (!c.isValid(Math.max(1, networkTimeoutMillis / 1000))) {
        dropConnection();
        c = connection(); // names the real cause if PostgreSQL is gone
        reconcile(c);
        reconcile = false;
      }
      reachable();
    } catch (SQLException e) {
      dropConnection();
      down(e);
      nextProbeNanos = System.nanoTime() + backoffNanos;
      backoffNanos = Math.min(backoffNanos * 2, maxBackoffNanos);
    }
  }

  private void retryLater(SQLException e) throws InterruptedException, Abandoned {
    dropConnection();
    down(e);
    if (abandoned.await(backoffNanos, TimeUnit.NANOSECONDS)) {
      throw new Abandoned();
    }
    backoffNanos = Math.min(backoffNanos * 2, maxBackoffNanos);
  }

  private void down(SQLException e) {
    attempts++;
    Instant since = outageSince;
    if (since == null) {
      since = clock.instant();
      outageSince = since;
      LOG.warn("Decision log {} stream {}: PostgreSQL cannot be written ({}); keeping {} event(s) and retrying with"
          + " backoff up to {} ms", table, stream, describe(e), queue.size() + rows.size(),
          TimeUnit.NANOSECONDS.toMillis(maxBackoffNanos));
    }
    outage = (isConnectionProblem(e) ? "PostgreSQL unreachable since " : "PostgreSQL refuses writes since ") + since
        + " (" + describe(e) + "); the log retries and acknowledges nothing until it is back; nothing acknowledged"
        + " is lost";
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c != null) {
      return c;
    }
    c = dataSource.getConnection();
    try {
      c.setAutoCommit(false);
      c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
      copyApi = c.unwrap(PGConnection.class).getCopyAPI();
      raiseSynchronousCommit = "off".equalsIgnoreCase(show(c, "synchronous_commit"));
      c.commit();
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    connection = c;
    reconcile = true;
    return c;
  }

  private void dropConnection() {
    Connection c = connection;
    CopyIn in = openCopy;
    connection = null;
    copyApi = null;
    openCopy = null;
    sentRows = 0;
    reconcile = true;
    if (in != null && in.isActive()) {
      try {
        in.cancelCopy();
      } catch (SQLException ignored) {
        // the connection is thrown away below
      }
    }
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // it is being thrown away
      }
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do with it
    }
  }

  /** Stops for good: tells every waiting and queued producer why. */
  private void fail(String why, @Nullable Throwable cause) {
    permanentFailure = why;
    LOG.error("Decision log {} stream {}: {}", table, stream, why, cause);
    DecisionLogException ex = new DecisionLogException(why, cause);
    for (CompletableFuture<Void> f : waiting) {
      f.completeExceptionally(ex);
    }
    waiting.clear();
    inFlightRows = 0;
  }

  private void refuseQueued() {
    String why = permanentFailure != null ? permanentFailure : "the log is closed";
    DecisionLogException ex = new DecisionLogException(why, null);
    Pending p;
    long lost = 0;
    while ((p = queue.poll()) != null) {
      if (p.done != null) {
        p.done.completeExceptionally(ex);
      } else if (p.record != null) {
        lost++;
      }
    }
    if (lost > 0) {
      LOG.error("Decision log {} stream {}: {} event(s) accepted in ASYNC mode were not written: {}", table, stream,
          lost, why);
    }
  }

  static boolean isConnectionProblem(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.startsWith("57P")));
  }

  /** The cause in words, without a JDBC URL (which may carry credentials). */
  static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    String message = e.getMessage();
    s.append(message == null ? e.getClass().getSimpleName() : message);
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      s.append(" [SQLState ").append(sql.getSQLState()).append(']');
    }
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
      s.append(": ").append(cause.getMessage());
    }
    return s.toString().replaceAll("jdbc:[^\\s,;)]+", "<jdbc url>");
  }
}
