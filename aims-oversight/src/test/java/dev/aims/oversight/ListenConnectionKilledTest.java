package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Resolution;
import dev.aims.core.ReviewOutcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server ends the LISTEN connections ({@code pg_terminate_backend}) and a request is approved
 * while the waiting instance cannot reconnect: its notice reaches nobody, and the waiting caller
 * still wakes within the sweep period once the database is reachable, from the sweep's check of
 * its waiting ids (a reconnected LISTEN does not replay missed notices).
 */
class ListenConnectionKilledTest extends OnEmbeddedPostgres {
  static final Duration SWEEP = Duration.ofMillis(200);
  final TestReviewers reviewers = new TestReviewers();
  DataSource db;

  @BeforeEach
  void freshDatabaseForEachTest() throws Exception {
    db = database(freshDatabase());
  }

  ApprovalService instance(String name, DataSource dataSource, Duration sweepEvery) {
    ApprovalStore store = ApprovalStore.postgres(dataSource);
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    ApprovalService s = ApprovalService.builder().clock(Clock.systemUTC()).reviewers(reviewers).decisionLog(log)
        .encoder(encoder()).instanceId(name).sweepEvery(sweepEvery).store(store).policy(SYSTEM, oneReviewer())
        .build();
    closing.add(s);
    closing.add(store);
    closing.add(aims(s, log, clock(), "p-1")); // attach schedules the sweep
    return s;
  }

  /** Ends every LISTEN backend and waits (in the server, up to 10 s each) until it has exited. */
  int terminateListeners() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM"
            + " pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database() AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aWaiterWhoseNoticeIsLostWithTheKilledListenConnectionWakesWithinTheSweepPeriod() throws Exception {
    SwitchableDataSource aDatabase = new SwitchableDataSource(db);
    ApprovalService a = instance("a", aDatabase, SWEEP);
    ApprovalService b = instance("b", db, Duration.ZERO);
    UUID id = UUID.randomUUID();
    CompletableFuture<ReviewOutcome> waiting = a.submit(reviewRequest(id, 80_000, Instant.now())).toCompletableFuture();

    // a cannot open a new connection until the approval's notice has gone out: its LISTEN misses it for sure
    aDatabase.down();
    assertThat(terminateListeners()).as("both instances' LISTEN connections").isEqualTo(2);
    reviewers.as(RITA, () -> b.approve(id, WHY));
    assertThat(waiting).isNotDone();
    aDatabase.up();
    long approvedAt = System.nanoTime();

    ReviewOutcome outcome = waiting.get(10, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - approvedAt);
    assertThat(outcome.resolution()).isEqualTo(Resolution.APPROVED);
    // from the database being reachable again: one sweep period, plus its round trips on a loaded machine
    assertThat(tookMillis).isLessThan(SWEEP.toMillis() + 2_000);
  }
}
