package dev.aims.oversight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests and review attempts in two PostgreSQL tables, shared by every instance on the database.
 *
 * <ul>
 *   <li>Each change locks the request's row ({@code SELECT … FOR UPDATE}), runs the lifecycle rule,
 *       inserts the attempt, and writes the new state with one {@code UPDATE … WHERE id = ? AND
 *       status = 'PENDING' AND tier = ?}; then {@code pg_notify} in the same transaction.
 *   <li>Expiry sweeps select due rows with {@code FOR UPDATE SKIP LOCKED}, so instances sweeping at
 *       once split the work and each request expires once.
 *   <li>One connection per store LISTENs on {@value #CHANNEL}; a notice wakes the instance whose
 *       caller waits (the sweep's check of waiting ids is only the fallback after a reconnect).
 * </ul>
 */
final class PostgresApprovalStore extends ApprovalStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresApprovalStore.class);
  static final String CHANNEL = "aims_approvals";
  private static final String REQUESTS = "aims_approval_requests";
  private static final String ATTEMPTS = "aims_approval_attempts";
  private static final String COLUMNS = "request, action, override_action, approved_digest, owner_id, owner_lease,"
      + " consumed_at, settled";
  private static final long SCHEMA_LOCK = 0x41494d53_41505052L; // "AIMSAPPR"

  private final DataSource dataSource;
  private final Duration retention;
  private final ObjectMapper json = ActionDigest.mapper();
  private volatile @Nullable String instance;
  private volatile @Nullable Thread listener;
  private volatile boolean closed;

  PostgresApprovalStore(DataSource dataSource, Duration retention) {
    this.dataSource = dataSource;
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive but was " + retention);
    }
    this.retention = retention;
  }

  @Override
  synchronized void open(Clock clock, String instance, Consumer<UUID> changed) {
    if (this.instance != null) {
      throw new IllegalStateException("this approval store already serves an ApprovalService; build one store per service");
    }
    this.instance = instance;
    createSchema();
    Thread t = new Thread(() -> listen(changed), "aims-approvals-listen-" + instance);
    t.setDaemon(true);
    listener = t;
    t.start();
  }

  private void createSchema() {
    inTransaction(null, c -> {
      try (Statement s = c.createStatement()) {
        // two instances starting at once must not race on CREATE TABLE
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        s.execute("CREATE TABLE IF NOT EXISTS " + REQUESTS + " ("
            + " id uuid PRIMARY KEY,"
            + " system_id text NOT NULL,"
            + " use_case text NOT NULL,"
            + " status text NOT NULL,"
            + " tier integer NOT NULL,"
            + " deadline timestamptz NOT NULL,"
            + " decided_at timestamptz,"
            + " request jsonb NOT NULL,"
            + " action text NOT NULL,"
            + " override_action text,"
            + " approved_digest text,"
            + " owner_id text NOT NULL,"
            + " owner_lease timestamptz NOT NULL,"
            + " consumed_at timestamptz,"
            + " settled boolean NOT NULL DEFAULT false)");
        s.execute("CREATE INDEX IF NOT EXISTS " + REQUESTS + "_due ON " + REQUESTS + " (deadline) WHERE status = 'PENDING'");
        s.execute("CREATE INDEX IF NOT EXISTS " + REQUESTS + "_system ON " + REQUESTS + " (system_id, status)");
        s.execute("CREATE INDEX IF NOT EXISTS " + REQUESTS + "_unsettled ON " + REQUESTS
            + " (owner_lease) WHERE status <> 'PENDING' AND NOT settled");
        s.execute("CREATE TABLE IF NOT EXISTS " + ATTEMPTS + " ("
            + " seq bigserial PRIMARY KEY,"
            + " request_id uuid NOT NULL REFERENCES " + REQUESTS + " (id) ON DELETE CASCADE,"
            + " reviewer text NOT NULL,"
            + " action text NOT NULL,"
            + " tier integer NOT NULL,"
            + " role text NOT NULL,"
            + " at timestamptz NOT NULL,"
            + " rationale text,"
            + " refusal text)");
        s.execute("CREATE INDEX IF NOT EXISTS " + ATTEMPTS + "_request ON " + ATTEMPTS + " (request_id, seq)");
        // a reviewer's approval counts once per tier, whatever the application does
        s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + ATTEMPTS + "_once ON " + ATTEMPTS
            + " (request_id, tier, reviewer) WHERE refusal IS NULL AND action IN ('APPROVE', 'OVERRIDE')");
      }
      return null;
    });
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  void create(StoredRequest r) {
    ApprovalRequest q = r.request();
    run(q.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + REQUESTS + " (id, system_id, use_case, status,"
          + " tier, deadline, request, action, owner_id, owner_lease) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
        ps.setObject(1, q.id());
        ps.setString(2, q.system());
        ps.setString(3, q.useCase());
        ps.setString(4, q.status().name());
        ps.setInt(5, q.tier());
        ps.setObject(6, ts(q.deadline()));
        ps.setString(7, write(q));
        ps.setString(8, r.actionJson());
        ps.setString(9, r.owner());
        ps.setObject(10, ts(r.ownerLease()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  @Nullable StoredRequest find(UUID id) {
    return run(id, c -> select(c, id, ""));
  }

  @Override
  ApprovalPage list(ApprovalQuery q) {
    return run(null, c -> {
      StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE true");
      List<Object> args = new ArrayList<>();
      if (q.status() != null) {
        sql.append(" AND status = ?");
        args.add(q.status().name());
      }
      if (q.system() != null) {
        sql.append(" AND system_id = ?");
        args.add(q.system());
      }
      if (q.after() != null) {
        sql.append(" AND id > ?");
        args.add(q.after());
      }
      sql.append(" ORDER BY id LIMIT ?");
      args.add(q.limit() + 1);
      List<StoredRequest> rows = query(c, sql.toString(), args);
      List<ApprovalRequest> items = new ArrayList<>();
      for (int i = 0; i < Math.min(rows.size(), q.limit()); i++) {
        items.add(rows.get(i).request());
      }
      return new ApprovalPage(items, rows.size() > q.limit() ? items.get(items.size() - 1).id() : null);
    });
  }

  @Override
  List<ReviewAttempt> attempts(UUID id) {
    return run(id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT reviewer, action, tier, role, at, rationale, refusal FROM "
          + ATTEMPTS + " WHERE request_id = ? ORDER BY seq")) {
        ps.setObject(1, id);
        List<ReviewAttempt> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String refusal = rs.getString(7);
            out.add(new ReviewAttempt(id, rs.getString(1), ReviewAction.valueOf(rs.getString(2)), rs.getInt(3),
                rs.getString(4), instant(rs, 5), rs.getString(6),
                refusal == null ? null : ApprovalRefusedException.Refusal.valueOf(refusal)));
          }
        }
        return out;
      }
    });
  }

  @Override
  List<UUID> pendingOf(String system) {
    return run(null, c -> ids(c, "SELECT id FROM " + REQUESTS + " WHERE system_id = ? AND status = 'PENDING' ORDER BY id",
        system));
  }

  @Override
  long openCount(String system) {
    return run(null, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + REQUESTS
          + " WHERE system_id = ? AND status = 'PENDING'")) {
        ps.setString(1, system);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  List<UUID> ended(List<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return run(null, c -> {
      Array array = c.createArrayOf("uuid", ids.toArray());
      return ids(c, "SELECT id FROM " + REQUESTS + " WHERE id = ANY(?) AND status <> 'PENDING'", array);
    });
  }

  @Override
  List<StoredRequest> unsettled(Instant now, int limit) {
    return run(null, c -> query(c, "SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE status <> 'PENDING' AND NOT"
        + " settled AND (owner_id = ? OR owner_lease < ?) ORDER BY id LIMIT ?", List.of(owner(), ts(now), limit)));
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  Lifecycle.@Nullable Step apply(UUID id, Function<StoredRequest, Lifecycle.Step> rule) {
    return inTransaction(id, c -> {
      StoredRequest cur = select(c, id, " FOR UPDATE");
      if (cur == null) {
        return null;
      }
      Lifecycle.Step step = rule.apply(cur);
      if (step.attempt() != null) {
        insertAttempt(c, step.attempt());
      }
      if (step.after() != null) {
        write(c, cur, step.after());
      }
      return step;
    });
  }

  @Override
  List<Lifecycle.Step> sweep(Instant now, int limit) {
    List<Lifecycle.Step> steps = inTransaction(null, c -> {
      List<StoredRequest> due = query(c, "SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE status = 'PENDING' AND"
          + " deadline <= ? ORDER BY deadline LIMIT ? FOR UPDATE SKIP LOCKED", List.of(ts(now), limit));
      List<Lifecycle.Step> done = new ArrayList<>();
      for (StoredRequest cur : due) {
        Lifecycle.Step step = Lifecycle.timeout(cur, now);
        if (step.after() != null) {
          write(c, cur, step.after());
          done.add(step);
        }
      }
      return done;
    });
    run(null, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + REQUESTS
          + " WHERE status <> 'PENDING' AND settled AND decided_at < ?")) {
        ps.setObject(1, ts(now.minus(retention)));
        ps.executeUpdate();
      }
      return null;
    });
    return steps;
  }

  /** The one conditional write of a change, and the notice to the other instances. */
  private void write(Connection c, StoredRequest cur, StoredRequest next) throws SQLException {
    ApprovalRequest q = next.request();
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + REQUESTS + " SET status = ?, tier = ?, deadline = ?,"
        + " decided_at = ?, request = ?::jsonb, override_action = ?, approved_digest = ?"
        + " WHERE id = ? AND status = 'PENDING' AND tier = ?")) {
      ps.setString(1, q.status().name());
      ps.setInt(2, q.tier());
      ps.setObject(3, ts(q.deadline()));
      ps.setObject(4, q.decidedAt() == null ? null : ts(q.decidedAt()));
      ps.setString(5, write(q));
      ps.setString(6, next.overrideJson());
      ps.setString(7, next.approvedDigest());
      ps.setObject(8, q.id());
      ps.setInt(9, cur.request().tier());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("approval request " + q.id() + " changed under its row lock");
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
      ps.setString(1, q.id().toString());
      ps.execute();
    }
  }

  private void insertAttempt(Connection c, ReviewAttempt a) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ATTEMPTS + " (request_id, reviewer, action, tier,"
        + " role, at, rationale, refusal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, a.requestId());
      ps.setString(2, a.reviewer());
      ps.setString(3, a.action().name());
      ps.setInt(4, a.tier());
      ps.setString(5, a.role());
      ps.setObject(6, ts(a.at()));
      ps.setString(7, a.rationale());
      ps.setString(8, a.refusal() == null ? null : a.refusal().name());
      ps.executeUpdate();
    }
  }

  @Override
  boolean settle(UUID id) {
    return update(id, "UPDATE " + REQUESTS + " SET settled = true WHERE id = ? AND status <> 'PENDING' AND NOT settled",
        id) == 1;
  }

  @Override
  boolean consume(UUID id, Instant now) {
    return update(id, "UPDATE " + REQUESTS + " SET consumed_at = ? WHERE id = ? AND status = 'APPROVED' AND"
        + " consumed_at IS NULL", ts(now), id) == 1;
  }

  @Override
  void renewLeases(Instant until) {
    update(null, "UPDATE " + REQUESTS + " SET owner_lease = ? WHERE owner_id = ? AND NOT settled", ts(until), owner());
  }

  @Override
  void releaseLeases() {
    update(null, "UPDATE " + REQUESTS + " SET owner_lease = ? WHERE owner_id = ? AND NOT settled",
        ts(Instant.EPOCH), owner());
  }

  // ---- LISTEN -----------------------------------------------------------------------------------

  private void listen(Consumer<UUID> changed) {
    long backoff = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("LISTEN " + CHANNEL);
        org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
        backoff = 100;
        while (!closed) {
          org.postgresql.PGNotification[] notes = pg.getNotifications(250);
          if (notes == null) {
            continue;
          }
          for (org.postgresql.PGNotification n : notes) {
            try {
              changed.accept(UUID.fromString(n.getParameter()));
            } catch (RuntimeException e) {
              LOG.warn("AIMS could not handle approval notice '{}'", n.getParameter(), e);
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("AIMS approval store lost its LISTEN connection ({}); reconnecting in {} ms. Waiting callers are"
            + " caught up by the next sweep.", e.toString(), backoff);
        try {
          // this thread only listens; waiting here delays nothing but the reconnect (capped backoff)
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t = listener;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "PostgresApprovalStore[" + REQUESTS + "]";
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T run(@Nullable UUID id, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed(id, e);
    }
  }

  private <T> T inTransaction(@Nullable UUID id, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw failed(id, e);
    }
  }

  private int update(@Nullable UUID id, String sql, Object... args) {
    return run(id, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        return ps.executeUpdate();
      }
    });
  }

  private ApprovalStoreException failed(@Nullable UUID id, SQLException e) {
    return new ApprovalStoreException("the PostgreSQL approval store failed (" + e.getMessage() + ", SQLState "
        + e.getSQLState() + "); nothing was changed", id, e);
  }

  private @Nullable StoredRequest select(Connection c, UUID id, String lock) throws SQLException {
    List<StoredRequest> rows = query(c, "SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE id = ?" + lock, List.of(id));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private List<StoredRequest> query(Connection c, String sql, List<?> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<StoredRequest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredRequest(read(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), instant(rs, 6), rs.getObject(7) == null ? null : instant(rs, 7), rs.getBoolean(8),
              List.of()));
        }
      }
      return out;
    }
  }

  private static List<UUID> ids(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, arg);
      List<UUID> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
      return out;
    }
  }

  private String owner() {
    return Objects.requireNonNull(instance, "store not open");
  }

  private String write(ApprovalRequest r) {
    try {
      return json.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("approval request " + r.id() + " cannot be written as JSON", e);
    }
  }

  private ApprovalRequest read(String text) {
    try {
      return json.readValue(text, ApprovalRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored approval request cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
