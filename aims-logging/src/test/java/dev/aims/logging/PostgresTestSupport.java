package dev.aims.logging;

import dev.aims.core.Actor;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** A real PostgreSQL for the sink's tests, which can be stopped and started again on the same port and data. */
final class PostgresTestSupport implements AutoCloseable {
  private static final AtomicInteger TABLES = new AtomicInteger();

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres pg;

  private PostgresTestSupport(Path dataDir, int port) throws IOException {
    this.dataDir = dataDir;
    this.port = port;
    start();
  }

  static PostgresTestSupport start(Path dataDir) throws IOException {
    return new PostgresTestSupport(dataDir, freePort());
  }

  DataSource dataSource() {
    return pg.getPostgresDatabase();
  }

  /** Another database of the same server (created if missing): a second place for published checkpoints. */
  DataSource database(String name) throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    }
    return pg.getDatabase("postgres", name);
  }

  /** Stops the server (a fast shutdown: open connections are cut). */
  void stop() throws IOException {
    pg.close();
    pg = null;
  }

  void start() throws IOException {
    pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
        .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  boolean running() {
    return pg != null;
  }

  int port() {
    return port;
  }

  /** Ends every other session of the server, as an administrator or a crashing proxy would. */
  int terminateOtherBackends() throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Override
  public void close() throws IOException {
    if (pg != null) {
      pg.close();
    }
  }

  static String newTable() {
    return "log_" + TABLES.incrementAndGet();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  record Row(long seq, Instant ts, String type, String hash, String prev, String line) {}

  static List<Row> rows(DataSource ds, String table, String stream) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT seq, ts, type, hash, prev, line FROM " + table + " WHERE stream = ? ORDER BY seq")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.sql.Timestamp ts = rs.getTimestamp(2);
          rows.add(new Row(rs.getLong(1), ts == null ? null : ts.toInstant(), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6)));
        }
      }
    }
    return rows;
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A small event whose {@code reason} identifies it. */
  static LogEntry event(String reason) {
    return new LogEntry(new SystemEvent("system.stopped", Instant.parse("2026-01-01T00:00:00Z"), "s",
        Actor.of("ops", "admin"), reason), EventEncoder.plain());
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  /** Connections whose {@code commit()} goes through and then throws, once armed: a lost answer to a commit. */
  static DataSource losingCommitAnswers(DataSource real, java.util.concurrent.atomic.AtomicBoolean armed) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(real, method, args);
          if (result instanceof Connection c && method.getName().equals("getConnection")) {
            return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                  Object r = invoke(c, m, a);
                  if (m.getName().equals("commit") && armed.compareAndSet(true, false)) {
                    c.close();
                    throw new SQLException("simulated: the connection broke before the commit's answer arrived",
                        "08006");
                  }
                  return r;
                });
          }
          return result;
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
