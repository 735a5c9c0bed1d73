package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The owning instance is a separate JVM ({@link OwnerProcess}) killed with SIGKILL while its caller
 * waits for review; the instances left on the shared embedded PostgreSQL must end the request once
 * and record its end, and never leave it approvable with nothing to act on an approval.
 */
class OwnerKilledTest extends OnEmbeddedPostgres {
  final TestReviewers reviewers = new TestReviewers();
  DataSource db;
  String url;

  final class Instance {
    final InMemoryDecisionLog log = InMemoryDecisionLog.create();
    final TestNotifier notices = new TestNotifier();
    final ApprovalService service;
    final Aims aims;

    Instance(String name, Consumer<ApprovalService.Builder> more) {
      ApprovalStore store = ApprovalStore.postgres(db);
      ApprovalService.Builder b = ApprovalService.builder().clock(Clock.systemUTC()).reviewers(reviewers)
          .decisionLog(log).encoder(encoder()).notifier(notices).instanceId(name).sweepEvery(Duration.ZERO)
          .ownerLease(Duration.ofSeconds(1)).store(store).policy(SYSTEM, oneReviewer());
      more.accept(b);
      service = b.build();
      aims = aims(service, log, clock(), "p-1");
      closing.add(service);
      closing.add(store);
    }

    List<AimsEvent> eventsOf(UUID id) {
      return log.events().stream().filter(e -> id.equals(decisionId(e))).toList();
    }
  }

  static UUID decisionId(AimsEvent e) {
    if (e instanceof DecisionEvent d) {
      return d.decisionId();
    }
    if (e instanceof dev.aims.core.event.ApprovalEvent a) {
      return a.decisionId();
    }
    return null;
  }

  @BeforeEach
  void freshDatabaseForEachTest() throws Exception {
    String name = freshDatabase();
    db = database(name);
    url = pg.getJdbcUrl("postgres", name);
  }

  /** Starts the owner, waits until its call waits for review, kills it with SIGKILL; returns the request id. */
  UUID ownerKilledWhileWaiting(String continuation, String key) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        OwnerProcess.class.getName(), url, "owner", continuation, key)
        .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "owner-process.err").toFile())).start();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("waiting ")) {
              return line.substring("waiting ".length());
            }
          }
          throw new AssertionError("the owner process ended without waiting for review");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      UUID id = UUID.fromString(waiting.get(60, TimeUnit.SECONDS));
      assertThat(ownerOf(id)).isEqualTo("owner");
      return id;
    } finally {
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no lease release
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("killed by signal 9").isEqualTo(128 + 9);
    }
  }

  String ownerOf(UUID id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT owner_id FROM aims_approval_requests WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Waits (in the database, not here) until the killed owner's lease on the request has lapsed. */
  void untilLeaseLapsed(UUID id) throws Exception {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(greatest(0,"
        + " extract(epoch FROM owner_lease - clock_timestamp()) + 0.05)) FROM aims_approval_requests WHERE id = ?")) {
      ps.setObject(1, id);
      ps.execute();
    }
  }

  long requests() throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM aims_approval_requests")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aRequestWhoseOwnerWasKilledAndThatNoContinuationCanRunIsCancelledAndLoggedNeverApprovable()
      throws Exception {
    UUID id = ownerKilledWhileWaiting("none", "-");
    Instance b = new Instance("b", x -> {});
    Instance c = new Instance("c", x -> {});
    untilLeaseLapsed(id);

    b.service.sweep();
    c.service.sweep();

    ApprovalRequest r = b.service.find(id).orElseThrow();
    assertThat(r.status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(r.decidedBy()).isEqualTo(ApprovalService.HOLD_ACTOR);
    assertThatThrownBy(() -> reviewers.as(RITA, () -> b.service.approve(id, WHY)))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.ALREADY_DECIDED));
    assertThatThrownBy(() -> reviewers.as(RAJ, () -> c.service.approve(id, WHY)))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.ALREADY_DECIDED));
    // the end is in the log once, by the instance that cancelled it: approval.cancelled, then decision.final
    List<AimsEvent> ends = new ArrayList<>(b.eventsOf(id));
    ends.addAll(c.eventsOf(id));
    assertThat(ends).extracting(AimsEvent::type)
        .containsExactly(EventTypes.APPROVAL_CANCELLED, EventTypes.DECISION_FINAL);
    assertThat(((DecisionEvent) ends.get(1)).outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aRequestWhoseOwnerWasKilledIsDecidedOnceAndItsContinuationRunsOnceAcrossTheLiveInstances()
      throws Exception {
    UUID id = ownerKilledWhileWaiting("continuation", "-");
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    ContinuationHandler handler = action -> {
      runs.incrementAndGet();
      ran.countDown();
    };
    Instance b = new Instance("b", x -> x.onApproved(USE_CASE, handler).continuationExecutor(Runnable::run));
    Instance c = new Instance("c", x -> x.onApproved(USE_CASE, handler).continuationExecutor(Runnable::run));
    untilLeaseLapsed(id);
    b.service.sweep();
    assertThat(b.service.find(id).orElseThrow().status()).as("a continuation can act: it stays approvable")
        .isEqualTo(ApprovalStatus.PENDING);

    CompletableFuture<ReviewResult> onB = CompletableFuture.supplyAsync(
        () -> reviewers.as(RITA, () -> b.service.approve(id, WHY)));
    CompletableFuture<ReviewResult> onC = CompletableFuture.supplyAsync(
        () -> reviewers.as(RAJ, () -> c.service.approve(id, WHY)));
    List<Object> results = new ArrayList<>();
    for (CompletableFuture<ReviewResult> f : List.of(onB, onC)) {
      try {
        results.add(f.get(30, TimeUnit.SECONDS).effect());
      } catch (java.util.concurrent.ExecutionException e) {
        results.add(((ApprovalRefusedException) e.getCause()).refusal());
      }
    }
    b.service.sweep();
    c.service.sweep();

    assertThat(results).containsExactlyInAnyOrder(ReviewResult.Effect.DECIDED, Refusal.ALREADY_DECIDED);
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(runs).as("the continuation runs once").hasValue(1);
    List<AimsEvent> ends = new ArrayList<>(b.eventsOf(id));
    ends.addAll(c.eventsOf(id));
    assertThat(ends).extracting(AimsEvent::type)
        .containsExactly(EventTypes.APPROVAL_GRANTED, EventTypes.DECISION_FINAL);
    assertThat(((DecisionEvent) ends.get(1)).outcome()).isEqualTo(Outcome.APPROVED);
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyOnAnotherInstanceFindsTheRequestOfTheKilledOwner() throws Exception {
    UUID id = ownerKilledWhileWaiting("none", "loan-42");
    Instance b = new Instance("b", x -> {});

    CompletableFuture<Decision<Score>> retry = CompletableFuture.supplyAsync(
        () -> largeLoan(b.aims, 80_000).idempotencyKey("loan-42").call(Fixtures::score));
    // the retry waits for the first attempt's request, now owned by b: no second request
    assertThat(awaitOwner(id, "b")).isTrue();
    assertThat(requests()).isEqualTo(1);
    reviewers.as(RITA, () -> b.service.approve(id, WHY));

    Decision<Score> d = retry.get(30, TimeUnit.SECONDS);
    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(d.review().actor().id()).isEqualTo("rita");
    assertThat(requests()).isEqualTo(1);
    untilLeaseLapsed(id);
    b.service.sweep();
    assertThat(b.service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  /** Adoption is one UPDATE the retry makes before it waits; the database tells when it happened. */
  boolean awaitOwner(UUID id, String owner) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (int i = 0; i < 600; i++) {
        if (owner.equals(ownerOf(id))) {
          return true;
        }
        s.execute("SELECT pg_sleep(0.05)");
      }
      return false;
    }
  }
}
