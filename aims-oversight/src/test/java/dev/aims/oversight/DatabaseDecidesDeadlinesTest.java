package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.InMemoryDecisionLog;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances whose clocks are 5 minutes apart (one 5 minutes ahead of the database, one 5
 * minutes behind) share a PostgreSQL store: deadlines are set and judged by the database's clock,
 * so neither can approve after the deadline the database set, nor expire a request early.
 */
class DatabaseDecidesDeadlinesTest extends OnEmbeddedPostgres {
  static final Duration DEADLINE = Duration.ofSeconds(3);
  final TestReviewers reviewers = new TestReviewers();
  DataSource db;

  @BeforeEach
  void freshDatabaseForEachTest() throws Exception {
    db = database(freshDatabase());
  }

  ApprovalService instance(String name, Duration skew) {
    ApprovalStore store = ApprovalStore.postgres(db);
    ApprovalService s = ApprovalService.builder().clock(Clock.offset(Clock.systemUTC(), skew)).reviewers(reviewers)
        .decisionLog(InMemoryDecisionLog.create()).encoder(encoder()).instanceId(name).sweepEvery(Duration.ZERO)
        .store(store).policy(SYSTEM, ReviewPolicy.of(REVIEWER_ROLE, DEADLINE)).build();
    closing.add(s);
    closing.add(store);
    return s;
  }

  Instant databaseNow() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  /** The database waits until its own clock is past the request's deadline. */
  void untilDeadlinePassed(UUID id) throws Exception {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(greatest(0,"
        + " extract(epoch FROM deadline - clock_timestamp()) + 0.05)) FROM aims_approval_requests WHERE id = ?")) {
      ps.setObject(1, id);
      ps.execute();
    }
  }

  @Test
  void anInstanceWhoseClockIsBehindCannotApproveAfterTheDatabasesDeadline() throws Exception {
    ApprovalService ahead = instance("ahead", Duration.ofMinutes(5));
    ApprovalService behind = instance("behind", Duration.ofMinutes(-5));
    UUID id = UUID.randomUUID();
    Instant before = databaseNow();
    ahead.submit(reviewRequest(id, 80_000, Instant.now()));
    Instant after = databaseNow();

    ApprovalRequest r = behind.find(id).orElseThrow();
    assertThat(r.deadline()).as("counted from the database's clock, not the creating instance's")
        .isBetween(before.plus(DEADLINE), after.plus(DEADLINE));
    untilDeadlinePassed(id);

    // by its own clock the deadline is almost 5 minutes away
    assertThatThrownBy(() -> reviewers.as(RITA, () -> behind.approve(id, WHY)))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.DEADLINE_PASSED));
    behind.sweep();
    assertThat(ahead.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(behind.attempts(id)).noneMatch(a -> a.refusal() == null);
  }

  @Test
  void anInstanceWhoseClockIsAheadNeitherExpiresARequestEarlyNorRefusesATimelyApproval() throws Exception {
    ApprovalService ahead = instance("ahead", Duration.ofMinutes(5));
    ApprovalService behind = instance("behind", Duration.ofMinutes(-5));
    UUID id = UUID.randomUUID();
    behind.submit(reviewRequest(id, 80_000, Instant.now()));

    assertThat(ahead.sweep()).isZero();
    ReviewResult approved = reviewers.as(RITA, () -> ahead.approve(id, WHY));

    assertThat(approved.effect()).isEqualTo(ReviewResult.Effect.DECIDED);
    assertThat(approved.request().decidedAt()).isBefore(approved.request().deadline());
  }
}
