package dev.aims.benchmarks;

import dev.aims.core.event.LogEntry;
import dev.aims.logging.Durability;
import dev.aims.logging.PostgresDecisionLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows of the {@link DecisionLogBenchmark} decision per second into PostgreSQL, from two producer
 * threads: AIMS's {@link PostgresDecisionLog} beside the plain JDBC batch insert a user would write.
 * Each fork starts its own embedded PostgreSQL (zonky, data directory under
 * {@code benchmarks/target/}) with {@code synchronous_commit=on}, PostgreSQL's default (zonky turns
 * it off), so every commit waits for the WAL to reach the disk on both sides. Teardown prints the
 * rows committed and the CPU time per row of the JVM and of the PostgreSQL server, over the whole
 * fork: on a machine with few cores both sides are limited by CPU, and these say by whose.
 *
 * <ul>
 *   <li>{@link #aimsAsync}: {@code append(new LogEntry(event, encoder))}, ASYNC; the sink's writer
 *       links the records into the chain and sends batches of up to 1024 with a binary
 *       {@code COPY}, several batches into one transaction while records keep coming.
 *   <li>{@link #aimsGroup}: the same in GROUP mode: each caller waits for the commit of its batch.
 *   <li>{@link #jdbcBatch}: per thread, 1024 rows of {@code mapper.writeValueAsString(..)} of the
 *       same decision through one {@code PreparedStatement} ({@code addBatch}, {@code executeBatch},
 *       {@code commit}), driver defaults, into a table like the sink's without the hash columns:
 *       {@code (stream, seq, ts, type, line)}, primary key {@code (stream, seq)}. Scores are rows/s.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(2)
public class PostgresSinkBenchmark {
  static final int JDBC_BATCH = 1024;

  /** One embedded PostgreSQL per fork. */
  @State(Scope.Benchmark)
  public static class Database {
    Path dir;
    EmbeddedPostgres pg;
    DataSource dataSource;

    @Setup
    public void start() throws IOException {
      dir = DecisionEvents.tempDir("postgres-");
      pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("data"))
          .setServerConfig("synchronous_commit", "on")
          .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
          .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
          .start();
      dataSource = pg.getPostgresDatabase();
      serverTicksAtStart = serverCpuTicks();
      jvmCpuAtStart = jvmCpuNanos();
    }

    long serverTicksAtStart;
    long jvmCpuAtStart;

    /**
     * CPU time per committed row since the fork started (warm-up included), of this JVM (producers,
     * writer or driver, JIT, GC) and of the PostgreSQL server (all its processes, those that ended
     * included). Read from {@code /proc}; on a system without it, says so.
     */
    String cpuPerRow(long rows) {
      long ticks = serverCpuTicks();
      if (ticks < 0 || rows == 0) {
        return "CPU per row: not available (no /proc)";
      }
      double serverMicros = (ticks - serverTicksAtStart) * 10_000.0 / rows; // USER_HZ = 100
      double jvmMicros = (jvmCpuNanos() - jvmCpuAtStart) / 1000.0 / rows;
      return String.format("CPU per row: JVM %.1f us, PostgreSQL server %.1f us", jvmMicros, serverMicros);
    }

    private static long jvmCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of the postmaster and its live children, plus cutime + cstime of those that ended. */
    private long serverCpuTicks() {
      try {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim());
        long sum = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
          for (Path proc : procs) {
            String stat;
            try {
              stat = Files.readString(proc.resolve("stat"));
            } catch (IOException gone) {
              continue;
            }
            // fields after "(comm) ": state ppid ... utime(12th) stime cutime cstime
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(proc.getFileName().toString());
            if (pid == postmaster) {
              sum += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            } else if (Long.parseLong(f[1]) == postmaster) {
              sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          }
        }
        return sum;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }

    long rows(String table) throws SQLException {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    @TearDown
    public void stop() throws IOException {
      pg.close();
      DecisionEvents.delete(dir);
    }
  }

  public abstract static class AimsSink {
    PostgresDecisionLog log;

    abstract Durability durability();

    @Setup
    public void open(Database db) {
      log = PostgresDecisionLog.builder(db.dataSource).stream("bench").durability(durability()).open();
    }

    @TearDown
    public void close(Database db) throws SQLException {
      log.close();
      long rows = db.rows("aims_decision_log");
      System.out.printf("%n[postgres %s] %,d rows committed, failure: %s; %s%n", durability(), rows,
          log.failure().orElse("none"), db.cpuPerRow(rows));
      if (rows == 0 || log.failure().isPresent()) {
        throw new IllegalStateException("the AIMS sink failed or wrote nothing; its figure is void");
      }
    }
  }

  @State(Scope.Benchmark)
  public static class AimsAsync extends AimsSink {
    @Override
    Durability durability() {
      return Durability.ASYNC;
    }
  }

  @State(Scope.Benchmark)
  public static class AimsGroup extends AimsSink {
    @Override
    Durability durability() {
      return Durability.GROUP;
    }
  }

  /** The user's table, shared by the threads; each thread has its own connection. */
  @State(Scope.Benchmark)
  public static class UserTable {
    final AtomicLong seq = new AtomicLong();
    Database db;

    @Setup
    public void create(Database db) throws SQLException {
      this.db = db;
      try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE decisions (stream text NOT NULL, seq bigint NOT NULL, ts timestamptz,"
            + " type text NOT NULL, line text NOT NULL, PRIMARY KEY (stream, seq))");
      }
    }

    @TearDown
    public void count() throws SQLException {
      long rows = db.rows("decisions");
      System.out.printf("%n[postgres jdbc] %,d rows committed; %s%n", rows, db.cpuPerRow(rows));
      if (rows == 0) {
        throw new IllegalStateException("the JDBC peer wrote nothing; its figure is void");
      }
    }
  }

  @State(Scope.Thread)
  public static class UserConnection {
    Connection connection;
    PreparedStatement insert;

    @Setup
    public void open(Database db) throws SQLException {
      connection = db.dataSource.getConnection();
      connection.setAutoCommit(false);
      insert = connection.prepareStatement("INSERT INTO decisions (stream, seq, ts, type, line) VALUES (?, ?, ?, ?, ?)");
    }

    @TearDown
    public void close() throws SQLException {
      insert.close();
      connection.close();
    }
  }

  @Benchmark
  public void aimsAsync(AimsAsync s) {
    s.log.append(new LogEntry(DecisionLogBenchmark.EVENT, DecisionLogBenchmark.ENCODER));
  }

  @Benchmark
  public void aimsGroup(AimsGroup s) {
    s.log.append(new LogEntry(DecisionLogBenchmark.EVENT, DecisionLogBenchmark.ENCODER));
  }

  @Benchmark
  @OperationsPerInvocation(JDBC_BATCH)
  public void jdbcBatch(UserTable table, UserConnection c) throws SQLException {
    Timestamp ts = Timestamp.from(DecisionLogBenchmark.EVENT.ts());
    for (int i = 0; i < JDBC_BATCH; i++) {
      c.insert.setString(1, "bench");
      c.insert.setLong(2, table.seq.incrementAndGet());
      c.insert.setTimestamp(3, ts);
      c.insert.setString(4, DecisionLogBenchmark.EVENT.type());
      c.insert.setString(5, DecisionEvents.userJson(DecisionLogBenchmark.EVENT));
      c.insert.addBatch();
    }
    c.insert.executeBatch();
    c.connection.commit();
  }
}
