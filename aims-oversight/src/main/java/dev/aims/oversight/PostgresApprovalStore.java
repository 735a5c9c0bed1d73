package dev.aims.oversight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.Actor;
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
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
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
 *       status = 'PENDING' AND tier = ?}; then {@code pg_notify} in the same transaction, with the
 *       request id and its new status as payload.
 *   <li>Expiry sweeps select due rows with {@code FOR UPDATE SKIP LOCKED}, so instances sweeping at
 *       once split the work and each request expires once.
 *   <li>One connection per store LISTENs on {@value #CHANNEL} and {@value #CONTROL_CHANNEL}. Notices
 *       that arrive together are handled together: only those of ended requests are passed on, and
 *       the service settles them with one {@code UPDATE … WHERE id = ANY(?) … RETURNING}, so a burst
 *       of decisions costs a round trip per batch, not two per decision (the sweep's check of waiting
 *       ids is only the fallback after a reconnect).
 *   <li>The stop switch: one row per system in {@value #CONTROLS} (stopped, reason, actor, time,
 *       version, instance), changed by one conditional upsert that bumps the version, then {@code
 *       pg_notify} on {@value #CONTROL_CHANNEL} in the same transaction.
 * </ul>
 */
final class PostgresApprovalStore extends ApprovalStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresApprovalStore.class);
  static final String CHANNEL = "aims_approvals";
  static final String CONTROL_CHANNEL = "aims_system_controls";
  static final String CONTROLS = "aims_system_controls";
  private static final String REQUESTS = "aims_approval_requests";
  private static final String ATTEMPTS = "aims_approval_attempts";
  private static final String COLUMNS = "request, action, override_action, approved_digest, owner_id, owner_lease,"
      + " consumed_at, settled, idempotency_key";
  private static final long SCHEMA_LOCK = 0x41494d53_41505052L; // "AIMSAPPR"

  private final DataSource dataSource;
  private final Duration retention;
  /** Whether the database's clock decides (always, but in tests that move an instance's test clock). */
  private final boolean databaseTime;
  private volatile Clock clock = Clock.systemUTC();
  private final ObjectMapper json = ActionDigest.mapper();
  private volatile @Nullable String instance;
  private volatile @Nullable Thread listener;
  private volatile boolean closed;

  PostgresApprovalStore(DataSource dataSource, Duration retention) {
    this(dataSource, retention, true);
  }

  /**
   * A store judging time by the instance's clock instead of the database's: only for tests that
   * move a test clock past deadlines. Never in production (clock skew could let an approval land late).
   */
  static PostgresApprovalStore onInstanceClock(DataSource dataSource) {
    return new PostgresApprovalStore(dataSource, DEFAULT_RETENTION_DB, false);
  }

  private PostgresApprovalStore(DataSource dataSource, Duration retention, boolean databaseTime) {
    this.databaseTime = databaseTime;
    this.dataSource = dataSource;
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive but was " + retention);
    }
    this.retention = retention;
  }

  @Override
  synchronized void open(Clock clock, String instance, ChangeListener changes) {
    if (this.instance != null) {
      throw new IllegalStateException("this approval store already serves an ApprovalService; build one store per service");
    }
    this.instance = instance;
    this.clock = clock;
    createSchema();
    // listening before the service is built: no change made after build() can be missed
    Connection first = listening();
    Thread t = new Thread(() -> listen(changes, first), "aims-approvals-listen-" + instance);
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
        // added after the first release: tables made before it gain the column
        s.execute("ALTER TABLE " + REQUESTS + " ADD COLUMN IF NOT EXISTS idempotency_key text");
        s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + REQUESTS + "_key ON " + REQUESTS
            + " (idempotency_key) WHERE idempotency_key IS NOT NULL");
        s.execute("CREATE INDEX IF NOT EXISTS " + REQUESTS + "_abandoned ON " + REQUESTS
            + " (owner_lease) WHERE status = 'PENDING'");
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
        s.execute("CREATE TABLE IF NOT EXISTS " + CONTROLS + " ("
            + " system_id text PRIMARY KEY,"
            + " stopped boolean NOT NULL,"
            + " reason text NOT NULL,"
            + " actor_id text NOT NULL,"
            + " actor_role text NOT NULL,"
            + " at timestamptz NOT NULL,"
            + " instance_id text NOT NULL,"
            + " version bigint NOT NULL)");
        // a reviewer's approval counts once per tier, whatever the application does
        s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + ATTEMPTS + "_once ON " + ATTEMPTS
            + " (request_id, tier, reviewer) WHERE refusal IS NULL AND action IN ('APPROVE', 'OVERRIDE')");
      }
      return null;
    });
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  StoredRequest create(StoredRequest given) {
    return run(given.request().id(), c -> {
      // deadlines count from the database's clock, so every instance reads them the same way
      StoredRequest r = given.shifted(Duration.between(given.request().requestedAt(), now(c)));
      ApprovalRequest q = r.request();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + REQUESTS + " (id, system_id, use_case, status,"
          + " tier, deadline, request, action, owner_id, owner_lease, idempotency_key)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
          + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING")) {
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
        ps.setString(11, r.idempotencyKey());
        if (ps.executeUpdate() == 1) {
          return r;
        }
      }
      // one request per key: a retry gets the one the first attempt made
      List<StoredRequest> had = query(c, "SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE idempotency_key = ?",
          List.of(Objects.requireNonNull(r.idempotencyKey())));
      if (had.isEmpty()) {
        throw new IllegalStateException("approval request with idempotency key of " + q.id() + " vanished");
      }
      return had.get(0);
    });
  }

  @Override
  boolean adopt(UUID id, String owner, Instant lease) {
    Duration length = Duration.between(clock.instant(), lease);
    return run(id, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + REQUESTS + " SET owner_id = ?, owner_lease = ?"
          + " WHERE id = ? AND NOT settled")) {
        ps.setString(1, owner);
        ps.setObject(2, ts(now(c).plus(length)));
        ps.setObject(3, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  List<StoredRequest> abandoned(Instant now, int limit) {
    return run(null, c -> query(c, "SELECT " + COLUMNS + " FROM " + REQUESTS + " WHERE status = 'PENDING' AND"
        + " owner_id <> ? AND owner_lease < ? ORDER BY owner_lease LIMIT ?", List.of(owner(), ts(now(c)), limit)));
  }

  /**
   * The time every rule and comparison of this store uses: {@code clock_timestamp()} of the
   * database (one clock for every instance, so skew between instances cannot move a deadline or a
   * lease), read on the connection doing the work, inside its transaction and after its row locks.
   */
  private Instant now(Connection c) throws SQLException {
    if (!databaseTime) {
      return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
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
        sql.append(q.descending() ? " AND id < ?" : " AND id > ?");
        args.add(q.after());
      }
      sql.append(q.descending() ? " ORDER BY id DESC LIMIT ?" : " ORDER BY id LIMIT ?");
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
  long overdueCount(String system, Instant now) {
    return run(null, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + REQUESTS
          + " WHERE system_id = ? AND status = 'PENDING' AND deadline <= ?")) {
        ps.setString(1, system);
        ps.setObject(2, ts(now(c)));
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
        + " settled AND (owner_id = ? OR owner_lease < ?) ORDER BY id LIMIT ?", List.of(owner(), ts(now(c)), limit)));
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  Lifecycle.@Nullable Step apply(UUID id, BiFunction<StoredRequest, Instant, Lifecycle.Step> rule) {
    return inTransaction(id, c -> {
      StoredRequest cur = select(c, id, " FOR UPDATE");
      if (cur == null) {
        return null;
      }
      Lifecycle.Step step = rule.apply(cur, now(c)); // the database's time, read under the row lock
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
  List<Lifecycle.Step> sweep(Instant instantNow, int limit) {
    Instant[] at = new Instant[1];
    List<Lifecycle.Step> steps = inTransaction(null, c -> {
      Instant now = now(c);
      at[0] = now;
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
        ps.setObject(1, ts(at[0].minus(retention)));
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
      // the new status rides along, so listeners skip changes that end nothing without a query
      ps.setString(1, q.id() + " " + q.status().name());
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
  boolean settleOrphan(UUID id) {
    return run(id, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + REQUESTS + " SET settled = true WHERE id = ? AND"
          + " status <> 'PENDING' AND NOT settled AND (owner_id = ? OR owner_lease < ?)")) {
        ps.setObject(1, id);
        ps.setString(2, owner());
        ps.setObject(3, ts(now(c)));
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  List<StoredRequest> settleEnded(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return run(null, c -> {
      Array array = c.createArrayOf("uuid", ids.toArray());
      return query(c, "UPDATE " + REQUESTS + " SET settled = true WHERE id = ANY(?) AND status <> 'PENDING' AND NOT"
          + " settled RETURNING " + COLUMNS, List.of(array));
    });
  }

  @Override
  boolean consume(UUID id, Instant now) {
    return update(id, "UPDATE " + REQUESTS + " SET consumed_at = ? WHERE id = ? AND status = 'APPROVED' AND"
        + " consumed_at IS NULL", ts(now), id) == 1;
  }

  @Override
  void renewLeases(Instant until) {
    Duration lease = Duration.between(clock.instant(), until);
    run(null, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + REQUESTS + " SET owner_lease = ? WHERE owner_id = ?"
          + " AND NOT settled")) {
        ps.setObject(1, ts(now(c).plus(lease)));
        ps.setString(2, owner());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  void releaseLeases() {
    update(null, "UPDATE " + REQUESTS + " SET owner_lease = ? WHERE owner_id = ? AND NOT settled",
        ts(Instant.EPOCH), owner());
  }

  // ---- stop switch ------------------------------------------------------------------------------

  private static final String CONTROL_COLUMNS = "system_id, stopped, reason, actor_id, actor_role, at, version,"
      + " instance_id";

  @Override
  List<SystemControl> controls() {
    return run(null, c -> controls(c, "SELECT " + CONTROL_COLUMNS + " FROM " + CONTROLS + " ORDER BY system_id", null));
  }

  @Override
  SystemControl press(String system, boolean stop, String reason, Actor actor, Instant at, String instance,
      long expectedVersion) {
    return inTransaction(null, c -> {
      boolean changed;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + CONTROLS + " AS cur (system_id, stopped,"
          + " reason, actor_id, actor_role, at, instance_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)"
          + " ON CONFLICT (system_id) DO UPDATE SET stopped = EXCLUDED.stopped, reason = EXCLUDED.reason,"
          + " actor_id = EXCLUDED.actor_id, actor_role = EXCLUDED.actor_role, at = EXCLUDED.at,"
          + " instance_id = EXCLUDED.instance_id, version = cur.version + 1"
          + " WHERE cur.stopped <> EXCLUDED.stopped AND (? < 0 OR cur.version = ?)")) {
        ps.setString(1, system);
        ps.setBoolean(2, stop);
        ps.setString(3, reason);
        ps.setString(4, actor.id());
        ps.setString(5, actor.role());
        ps.setObject(6, ts(at));
        ps.setString(7, instance);
        ps.setLong(8, expectedVersion);
        ps.setLong(9, expectedVersion);
        changed = ps.executeUpdate() == 1;
      }
      if (changed) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CONTROL_CHANNEL + "', ?)")) {
          ps.setString(1, system);
          ps.execute();
        }
      }
      List<SystemControl> now = controls(c, "SELECT " + CONTROL_COLUMNS + " FROM " + CONTROLS + " WHERE system_id = ?",
          system);
      if (now.isEmpty()) {
        throw new IllegalStateException("the stop switch row of system '" + system + "' vanished inside its transaction");
      }
      return now.get(0);
    });
  }

  private static List<SystemControl> controls(Connection c, String sql, @Nullable String system) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (system != null) {
        ps.setString(1, system);
      }
      List<SystemControl> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new SystemControl(rs.getString(1), rs.getBoolean(2), rs.getString(3),
              new Actor(rs.getString(4), rs.getString(5)), instant(rs, 6), rs.getLong(7), rs.getString(8)));
        }
      }
      return out;
    }
  }

  // ---- LISTEN -----------------------------------------------------------------------------------

  /** A new connection that LISTENs on both channels. */
  private Connection listening() {
    try {
      Connection c = dataSource.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + CHANNEL);
        s.execute("LISTEN " + CONTROL_CHANNEL);
        return c;
      } catch (SQLException e) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failed(null, e);
    }
  }

  private void listen(ChangeListener changes, Connection first) {
    long backoff = 100;
    boolean reconnected = false;
    @Nullable Connection next = first;
    while (!closed) {
      try (Connection c = next != null ? next : listening()) {
        next = null;
        org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
        backoff = 100;
        if (reconnected) {
          // stop switch notices may have been missed while the connection was down
          controlsChanged(changes);
        }
        while (!closed) {
          org.postgresql.PGNotification[] notes = pg.getNotifications(250);
          if (notes != null && notes.length > 0) {
            dispatch(notes, changes);
          }
        }
      } catch (SQLException | RuntimeException e) {
        next = null;
        if (closed) {
          return;
        }
        reconnected = true;
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

  /**
   * Everything that arrived together is handled together: the ids of ended requests go to the
   * service in one list (one settle round trip for the lot), changes of state that end nothing
   * (an approval counted, an escalation) are skipped without a query, and any number of stop switch
   * notices becomes one re-read.
   */
  private static void dispatch(org.postgresql.PGNotification[] notes, ChangeListener changes) {
    List<UUID> ended = new ArrayList<>(notes.length);
    boolean controls = false;
    for (org.postgresql.PGNotification n : notes) {
      if (CONTROL_CHANNEL.equals(n.getName())) {
        controls = true;
        continue;
      }
      String payload = n.getParameter();
      try {
        int space = payload.indexOf(' ');
        // a notice without a status comes from an older version: it may be an end, pass it on
        if (space < 0 || ApprovalStatus.valueOf(payload.substring(space + 1)).terminal()) {
          ended.add(UUID.fromString(space < 0 ? payload : payload.substring(0, space)));
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("AIMS ignored an approval notice it cannot read: '{}'", payload);
      }
    }
    if (!ended.isEmpty()) {
      try {
        changes.requestsEnded(ended);
      } catch (RuntimeException e) {
        LOG.warn("AIMS could not hand {} ended approval requests to their callers; the next sweep retries",
            ended.size(), e);
      }
    }
    if (controls) {
      controlsChanged(changes);
    }
  }

  private static void controlsChanged(ChangeListener changes) {
    try {
      changes.controlsChanged();
    } catch (RuntimeException e) {
      LOG.warn("AIMS could not apply a stop switch change; the next sweep retries", e);
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
              List.of(), rs.getString(9)));
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
