package dev.aims.logging;

import dev.aims.core.monitor.FeedbackResult;
import dev.aims.core.monitor.FleetStore;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's shared monitor state in PostgreSQL, the database the fleet already shares for the
 * decision log and approvals: decisions waiting for a late label ({@code <prefix>_pending}) and each
 * instance's latest window summaries ({@code <prefix>_summary}). A label is claimed with one
 * conditional {@code UPDATE}/{@code INSERT ... ON CONFLICT}, so it is taken once whichever instance
 * receives it. Times are the instances' clocks, as the monitors see them. Pending decisions and labels
 * are committed durably; summaries with {@code synchronous_commit = off}, since each round replaces them.
 *
 * <pre>{@code
 * FleetStore store = PostgresFleetStore.create(dataSource);   // tables aims_monitor_pending, aims_monitor_summary
 * MonitorConfig.builder()...fleet(FleetConfig.of(store, podName)).build();
 * }</pre>
 *
 * <p>Every failure is an {@link IllegalStateException} naming the operation, with the
 * {@link SQLException} as its cause; the monitor counts it and carries on with its local figures.
 */
public final class PostgresFleetStore implements FleetStore {
  public static final String DEFAULT_PREFIX = "aims_monitor";

  private final DataSource dataSource;
  private final String pending;
  private final String summary;

  private PostgresFleetStore(DataSource dataSource, String prefix) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    String p = PostgresSchema.table(prefix, "fleet store table prefix");
    this.pending = p + "_pending";
    this.summary = p + "_summary";
  }

  /** Tables {@code aims_monitor_pending} and {@code aims_monitor_summary}, created if missing. */
  public static PostgresFleetStore create(DataSource dataSource) {
    return create(dataSource, DEFAULT_PREFIX);
  }

  /**
   * @param prefix the tables' names without {@code _pending}/{@code _summary}: a lower-case SQL
   *     identifier, optionally schema-qualified
   * @throws IllegalStateException if the tables cannot be created
   */
  public static PostgresFleetStore create(DataSource dataSource, String prefix) {
    PostgresFleetStore s = new PostgresFleetStore(dataSource, prefix);
    s.createTables();
    return s;
  }

  private void createTables() {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SELECT pg_advisory_xact_lock(" + PostgresSchema.SCHEMA_LOCK + ")");
      st.execute("CREATE TABLE IF NOT EXISTS " + pending + " (\n"
          + "  system      text        NOT NULL,\n"
          + "  decision_id uuid        NOT NULL,\n"
          + "  grp         integer     NOT NULL,\n"
          + "  predicted   boolean     NOT NULL,\n"
          + "  expires_at  timestamptz NOT NULL,\n"
          + "  labelled_at timestamptz,\n"
          + "  PRIMARY KEY (system, decision_id)\n"
          + ")");
      st.execute("CREATE INDEX IF NOT EXISTS " + unqualified(pending) + "_expiry ON " + pending
          + " (system, expires_at)");
      st.execute("CREATE TABLE IF NOT EXISTS " + summary + " (\n"
          + "  system       text             NOT NULL,\n"
          + "  instance     text             NOT NULL,\n"
          + "  part         text             NOT NULL,\n"
          + "  fingerprint  text             NOT NULL,\n"
          + "  published_at timestamptz      NOT NULL,\n"
          + "  counts       bytea            NOT NULL,\n"
          + "  sums         bytea            NOT NULL,\n"
          + "  PRIMARY KEY (system, instance, part)\n"
          + ")");
      c.commit();
    } catch (SQLException e) {
      throw failure("create the fleet store tables " + pending + " and " + summary, e);
    }
  }

  private static String unqualified(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? table : table.substring(dot + 1);
  }

  @Override
  public void putPending(String system, List<PendingDecision> decisions) {
    if (decisions.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + pending
        + " (system, decision_id, grp, predicted, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (PendingDecision d : decisions) {
        ps.setString(1, system);
        ps.setObject(2, d.decisionId());
        ps.setInt(3, d.group());
        ps.setBoolean(4, d.predicted());
        ps.setTimestamp(5, Timestamp.from(d.expiresAt()));
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw failure("write " + decisions.size() + " pending decision(s) of system '" + system + "'", e);
    }
  }

  @Override
  public LabelClaim claimLabel(String system, UUID decisionId, @Nullable PendingDecision local, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      if (local != null) {
        // the decision may not have reached the table yet: insert it labelled, or label the row if unlabelled
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + pending
            + " AS p (system, decision_id, grp, predicted, expires_at, labelled_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (system, decision_id) DO UPDATE SET labelled_at = EXCLUDED.labelled_at"
            + " WHERE p.labelled_at IS NULL RETURNING p.grp, p.predicted")) {
          ps.setString(1, system);
          ps.setObject(2, decisionId);
          ps.setInt(3, local.group());
          ps.setBoolean(4, local.predicted());
          ps.setTimestamp(5, Timestamp.from(local.expiresAt()));
          ps.setTimestamp(6, Timestamp.from(now));
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new LabelClaim(FeedbackResult.RECORDED, rs.getInt(1), rs.getBoolean(2))
                : LabelClaim.DUPLICATE;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + pending + " SET labelled_at = ?"
          + " WHERE system = ? AND decision_id = ? AND labelled_at IS NULL AND expires_at > ?"
          + " RETURNING grp, predicted")) {
        ps.setTimestamp(1, Timestamp.from(now));
        ps.setString(2, system);
        ps.setObject(3, decisionId);
        ps.setTimestamp(4, Timestamp.from(now));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new LabelClaim(FeedbackResult.RECORDED, rs.getInt(1), rs.getBoolean(2));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT labelled_at IS NOT NULL FROM " + pending
          + " WHERE system = ? AND decision_id = ? AND expires_at > ?")) {
        ps.setString(1, system);
        ps.setObject(2, decisionId);
        ps.setTimestamp(3, Timestamp.from(now));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1) ? LabelClaim.DUPLICATE : LabelClaim.UNKNOWN;
        }
      }
    } catch (SQLException e) {
      throw failure("claim the label of decision " + decisionId + " of system '" + system + "'", e);
    }
  }

  @Override
  public long expirePending(String system, Instant now) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + pending
        + " WHERE system = ? AND expires_at <= ?")) {
      ps.setString(1, system);
      ps.setTimestamp(2, Timestamp.from(now));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("remove expired pending decisions of system '" + system + "'", e);
    }
  }

  @Override
  public void publish(String system, String instance, List<WindowSummary> summaries) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        // a summary lost in a database crash is republished at the next round: no need to wait for the flush
        try (Statement st = c.createStatement()) {
          st.execute("SET LOCAL synchronous_commit = off");
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + summary
            + " WHERE system = ? AND instance = ?")) {
          del.setString(1, system);
          del.setString(2, instance);
          del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + summary
            + " (system, instance, part, fingerprint, published_at, counts, sums) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          for (WindowSummary s : summaries) {
            ps.setString(1, system);
            ps.setString(2, instance);
            ps.setString(3, s.part());
            ps.setString(4, s.fingerprint());
            ps.setTimestamp(5, Timestamp.from(s.publishedAt()));
            ps.setBytes(6, bytes(s.counts()));
            ps.setBytes(7, bytes(s.sums()));
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("publish the window summaries of instance '" + instance + "' of system '" + system + "'", e);
    }
  }

  @Override
  public List<WindowSummary> summaries(String system) {
    List<WindowSummary> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT instance, part, fingerprint, published_at, counts, sums FROM " + summary + " WHERE system = ?"
            + " ORDER BY instance, part")) {
      ps.setString(1, system);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new WindowSummary(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getTimestamp(4).toInstant(), longs(rs.getBytes(5)), doubles(rs.getBytes(6))));
        }
      }
    } catch (SQLException e) {
      throw failure("read the window summaries of system '" + system + "'", e);
    }
    return out;
  }

  /** Big-endian 8-byte values: exact, and far cheaper to send and parse than a text array. */
  private static byte[] bytes(long[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Long.BYTES);
    b.asLongBuffer().put(v);
    return b.array();
  }

  private static byte[] bytes(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Double.BYTES);
    b.asDoubleBuffer().put(v);
    return b.array();
  }

  private static long[] longs(byte[] b) throws SQLException {
    requireWhole(b);
    long[] out = new long[b.length / Long.BYTES];
    ByteBuffer.wrap(b).asLongBuffer().get(out);
    return out;
  }

  private static double[] doubles(byte[] b) throws SQLException {
    requireWhole(b);
    double[] out = new double[b.length / Double.BYTES];
    ByteBuffer.wrap(b).asDoubleBuffer().get(out);
    return out;
  }

  private static void requireWhole(byte[] b) throws SQLException {
    if (b.length % 8 != 0) {
      throw new SQLException("a summary column holds " + b.length + " bytes, not a whole number of 8-byte values");
    }
  }

  private static IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("fleet store: could not " + what + " (" + e.getMessage() + ")", e);
  }

  @Override
  public String toString() {
    return "PostgresFleetStore[" + pending + ", " + summary + "]";
  }
}
