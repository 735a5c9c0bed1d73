package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Actor;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.SystemControlListener;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.SystemEvent;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stop switch shared through one PostgreSQL database by several instances, each with its own
 * Aims, decision log and approval service; and wake-ups of many callers at once.
 */
class SharedStopSwitchTest {
  static final Duration LEASE = Duration.ofDays(1);
  static final Actor ADMIN = OLGA.as("AIMS_ADMIN");
  static EmbeddedPostgres pg;
  static final AtomicInteger databases = new AtomicInteger();

  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final ExecutorService threads = Executors.newCachedThreadPool();
  final List<AutoCloseable> closing = new ArrayList<>();
  SwitchableDataSource db;

  /** One instance on the shared database; {@code switches} receives every stop ("stopped ...") and resume its Aims sees. */
  final class Instance {
    final InMemoryDecisionLog log = InMemoryDecisionLog.create();
    final TestNotifier notices = new TestNotifier();
    final SwitchableDataSource dataSource = new SwitchableDataSource(db);
    final LinkedBlockingQueue<String> switches = new LinkedBlockingQueue<>();
    final ApprovalService service;
    final Aims aims;

    Instance(String name) {
      this(name, false);
    }

    /** @param storeDownAtAttach the database is unreachable between building the service and attaching it */
    Instance(String name, boolean storeDownAtAttach) {
      ApprovalStore store = ApprovalStore.postgres(dataSource);
      service = ApprovalService.builder().clock(clock).reviewers(reviewers).decisionLog(log).encoder(encoder())
          .notifier(notices).instanceId(name).sweepEvery(Duration.ZERO).ownerLease(LEASE)
          .stopStateMaxAge(Duration.ofMinutes(1)).store(store)
          .policy(SYSTEM, oneReviewer()).build();
      closing.add(service);
      closing.add(store); // the service does not close a store it was given
      if (storeDownAtAttach) {
        dataSource.down();
      }
      aims = Aims.builder().register(creditScoring()).policy(SYSTEM, largeLoansToReview("p-1"))
          .redactor(SYSTEM, redactor()).approvalGate(service).decisionLog(log).clock(clock).build();
      aims.addSystemControlListener(new SystemControlListener() {
        @Override
        public void stopped(String systemId, String reason, Actor actor) {
          switches.add("stopped by " + actor.id());
        }

        @Override
        public void resumed(String systemId, String reason, Actor actor) {
          switches.add("resumed by " + actor.id());
        }
      });
      service.attach(aims);
    }

    Future<Decision<Score>> largeLoanCall() {
      return threads.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    }

    /** Waits for the next change of this instance's switch (applied from another instance, say). */
    String nextSwitch() throws InterruptedException {
      String next = switches.poll(20, TimeUnit.SECONDS);
      assertThat(next).as("a stop switch change within 20 s").isNotNull();
      return next;
    }

    List<SystemEvent> switchEvents() {
      List<SystemEvent> out = new ArrayList<>(log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class));
      out.addAll(log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class));
      return out;
    }

    long rejected(UUID id) {
      return log.events(EventTypes.APPROVAL_CANCELLED, ApprovalEvent.class).stream()
          .filter(e -> e.decisionId().equals(id)).count();
    }
  }

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void freshDatabase() throws Exception {
    String name = "stop_switch_" + databases.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    db = new SwitchableDataSource(pg.getDatabase("postgres", name));
  }

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  static Throwable failure(Future<?> call) throws Exception {
    try {
      call.get(20, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  static void refusedAsStopped(Aims aims) {
    assertThatThrownBy(() -> largeLoan(aims, 80_000).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SYSTEM_STOPPED));
  }

  @Test
  void stopOnOneInstanceStopsTheOtherCancelsItsRequestsOnceAndResumeOnTheOtherRestoresBoth() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    Future<Decision<Score>> waitingOnA = a.largeLoanCall();
    ApprovalRequest onA = a.notices.nextRequest();
    Future<Decision<Score>> waitingOnB = b.largeLoanCall();
    ApprovalRequest onB = b.notices.nextRequest();

    int cancelledByA = reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "model drift alarm"));

    assertThat(a.nextSwitch()).isEqualTo("stopped by olga");
    assertThat(b.nextSwitch()).isEqualTo("stopped by olga");
    assertThat(b.aims.isStopped(SYSTEM)).isTrue();
    refusedAsStopped(b.aims);
    refusedAsStopped(a.aims);
    for (Future<Decision<Score>> call : List.of(waitingOnA, waitingOnB)) {
      assertThat(failure(call)).isInstanceOfSatisfying(DecisionRejectedException.class,
          e -> assertThat(e.review().resolution()).isEqualTo(Resolution.CANCELLED));
    }
    // A cancelled both requests in the shared table before it shared the press; B found none left
    assertThat(cancelledByA).isEqualTo(2);
    for (ApprovalRequest r : List.of(onA, onB)) {
      ApprovalRequest now = b.service.find(r.id()).orElseThrow();
      assertThat(now.status()).isEqualTo(ApprovalStatus.CANCELLED);
      assertThat(now.decidedBy()).isEqualTo(ADMIN);
    }
    // each end recorded once, by the instance whose caller waited
    assertThat(a.rejected(onA.id()) + b.rejected(onA.id())).isEqualTo(1);
    assertThat(a.rejected(onB.id()) + b.rejected(onB.id())).isEqualTo(1);
    assertThat(b.rejected(onB.id())).isEqualTo(1);
    // the stop is recorded on both sides, with the operator who pressed it on A
    assertThat(a.log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(ADMIN));
    assertThat(b.log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo(ADMIN);
      assertThat(e.reason()).isEqualTo("model drift alarm");
    });

    reviewers.as(OLGA, () -> b.service.resume(SYSTEM, "drift explained, model retrained"));

    assertThat(b.nextSwitch()).isEqualTo("resumed by olga");
    assertThat(b.aims.isStopped(SYSTEM)).isFalse();
    assertThat(a.nextSwitch()).isEqualTo("resumed by olga");
    assertThat(a.aims.isStopped(SYSTEM)).isFalse();
    Future<Decision<Score>> after = a.largeLoanCall();
    ApprovalRequest fresh = a.notices.nextRequest();
    reviewers.as(RITA, () -> b.service.approve(fresh.id(), WHY));
    assertThat(after.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(a.log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(ADMIN));
    assertThat(b.log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).hasSize(1);
    // nothing echoed back: one stop and one resume on each side, and no further switch changes
    a.service.sweep();
    b.service.sweep();
    assertThat(a.switchEvents()).hasSize(2);
    assertThat(b.switchEvents()).hasSize(2);
    assertThat(a.switches).isEmpty();
    assertThat(b.switches).isEmpty();
  }

  @Test
  void pressingTheSwitchOnAimsItselfIsSharedToo() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    Future<Decision<Score>> waitingOnB = b.largeLoanCall();
    b.notices.nextRequest();

    a.aims.stop(SYSTEM, "pressed on the Aims instance", ADMIN);

    assertThat(b.nextSwitch()).isEqualTo("stopped by olga");
    refusedAsStopped(b.aims);
    assertThat(failure(waitingOnB)).isInstanceOfSatisfying(DecisionRejectedException.class,
        e -> assertThat(e.review().resolution()).isEqualTo(Resolution.CANCELLED));

    a.aims.resume(SYSTEM, "released on the Aims instance", ADMIN);

    assertThat(b.nextSwitch()).isEqualTo("resumed by olga");
    assertThat(b.aims.isStopped(SYSTEM)).isFalse();
    assertThat(b.log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("released on the Aims instance"));
  }

  @Test
  void anInstanceStartedWhileTheSystemIsStoppedComesUpStopped() throws Exception {
    Instance a = instance("a");
    reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "incident 42"));

    Instance late = instance("late");

    assertThat(late.aims.isStopped(SYSTEM)).isTrue();
    refusedAsStopped(late.aims);
    assertThat(late.log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo(ADMIN);
      assertThat(e.reason()).isEqualTo("incident 42");
    });
  }

  @Test
  void resumeOnAnotherInstanceStillNeedsTheAdminRole() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "incident 42"));
    b.nextSwitch();

    assertThatThrownBy(() -> reviewers.as(RITA, () -> b.service.resume(SYSTEM, "looks fine to me now")))
        .isInstanceOfSatisfying(ApprovalRefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.MISSING_ROLE));
    assertThatThrownBy(() -> b.service.resume(SYSTEM, "nobody is logged in"))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_AUTHENTICATED));

    a.service.sweep();
    b.service.sweep();
    assertThat(a.aims.isStopped(SYSTEM)).isTrue();
    assertThat(b.aims.isStopped(SYSTEM)).isTrue();
  }

  @Test
  void aStopPressedWhileTheStoreIsUnreachableStopsThisInstanceAtOnceAndReachesTheOthersAtTheNextSweep()
      throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    a.dataSource.down();

    assertThatThrownBy(() -> reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "incident 42")))
        .isInstanceOf(ApprovalStoreException.class)
        .hasMessageContaining("stopped on this instance (a) only").hasMessageContaining("retries at each sweep");
    assertThat(a.aims.isStopped(SYSTEM)).isTrue();
    b.service.sweep();
    assertThat(b.aims.isStopped(SYSTEM)).isFalse();

    a.dataSource.up();
    a.service.sweep();

    assertThat(b.nextSwitch()).isEqualTo("stopped by olga");
    refusedAsStopped(b.aims);
  }

  @Test
  void aResumeThatCannotBeWrittenLeavesTheSystemStopped() throws Exception {
    Instance a = instance("a");
    reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "incident 42"));
    a.dataSource.down();

    assertThatThrownBy(() -> reviewers.as(OLGA, () -> a.service.resume(SYSTEM, "all clear, resuming")))
        .isInstanceOf(ApprovalStoreException.class).hasMessageContaining("was not resumed");

    assertThat(a.aims.isStopped(SYSTEM)).isTrue();
  }

  @Test
  void whenTheSharedStateCannotBeReadForLongerThanTheMaxAgeEverySystemIsHeldStoppedUntilItCanBe()
      throws Exception {
    Instance a = instance("a");
    a.dataSource.down();

    // within the allowed age: the state read a moment ago still stands
    assertThatThrownBy(a.service::sweep).isInstanceOf(ApprovalStoreException.class);
    assertThat(a.aims.isStopped(SYSTEM)).isFalse();

    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertThatThrownBy(a.service::sweep).isInstanceOf(ApprovalStoreException.class);

    assertThat(a.aims.isStopped(SYSTEM)).isTrue();
    refusedAsStopped(a.aims);
    assertThat(a.log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.actor().id()).isEqualTo(ApprovalService.HOLD_ACTOR_ID);
          assertThat(e.reason()).contains("cannot be read");
        });

    a.dataSource.up();
    a.service.sweep();

    assertThat(a.aims.isStopped(SYSTEM)).isFalse();
    assertThat(a.log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor().id()).isEqualTo(ApprovalService.HOLD_ACTOR_ID));
  }

  @Test
  void anInstanceAttachedWhileTheStoreIsUnreachableIsHeldStoppedAndTakesOnAStopPressedMeanwhile() throws Exception {
    Instance a = instance("a");
    Instance b = new Instance("b", true);

    assertThat(b.aims.isStopped(SYSTEM)).isTrue();
    refusedAsStopped(b.aims);
    reviewers.as(OLGA, () -> a.service.stop(SYSTEM, "incident 42"));

    b.dataSource.up();
    b.service.sweep();

    // the hold becomes the stop it stood in for: still stopped, and not resumed in between
    assertThat(b.aims.isStopped(SYSTEM)).isTrue();
    assertThat(b.log.events(EventTypes.SYSTEM_RESUMED, SystemEvent.class)).isEmpty();
    reviewers.as(OLGA, () -> a.service.resume(SYSTEM, "incident 42 closed"));
    b.service.sweep();
    assertThat(b.aims.isStopped(SYSTEM)).isFalse();
  }

  @Test
  void aBurstOfDecisionsOnOneInstanceWakesEveryCallerOnTheOtherWithoutASweep() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    List<UUID> ids = new ArrayList<>();
    List<CompletableFuture<dev.aims.core.ReviewOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      outcomes.add(a.service.submit(reviewRequest(id, 80_000, clock.instant())).toCompletableFuture());
    }

    List<Future<?>> reviews = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int lane = t;
      reviews.add(threads.submit(() -> {
        for (int i = lane; i < ids.size(); i += 4) {
          UUID id = ids.get(i);
          if (i % 3 == 0) {
            reviewers.as(RAJ, () -> b.service.reject(id, "debt ratio too high for this amount"));
          } else {
            reviewers.as(RITA, () -> b.service.approve(id, WHY));
          }
        }
      }));
    }
    for (Future<?> f : reviews) {
      f.get(60, TimeUnit.SECONDS);
    }

    // sweepEvery is ZERO and nobody sweeps: only the notices can wake the callers
    for (int i = 0; i < ids.size(); i++) {
      assertThat(outcomes.get(i).get(20, TimeUnit.SECONDS).resolution())
          .isEqualTo(i % 3 == 0 ? Resolution.REJECTED : Resolution.APPROVED);
    }
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM aims_approval_requests WHERE settled")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(300);
    }
  }

  @Test
  void aNoticeWithoutAStatusFromAnOlderVersionStillWakesTheCaller() throws Exception {
    Instance a = instance("a");
    UUID id = UUID.randomUUID();
    CompletableFuture<dev.aims.core.ReviewOutcome> outcome =
        a.service.submit(reviewRequest(id, 80_000, clock.instant())).toCompletableFuture();
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      // what an older instance writes: the new state, then a notice that carries only the id
      s.executeUpdate("UPDATE aims_approval_requests SET status = 'REJECTED', decided_at = now(), request = request"
          + " || jsonb_build_object('status', 'REJECTED', 'decided_at', '2026-11-23T10:05:00Z', 'rationale',"
          + " 'rejected on an older instance', 'decided_by', jsonb_build_object('id', 'raj', 'role', 'AIMS_REVIEWER'))"
          + " WHERE id = '" + id + "'");
      s.execute("SELECT pg_notify('aims_approvals', '" + id + "')");
    }

    // no sweep runs: only the notice can wake the caller
    dev.aims.core.ReviewOutcome o = outcome.get(20, TimeUnit.SECONDS);
    assertThat(o.resolution()).isEqualTo(Resolution.REJECTED);
    assertThat(o.rationale()).isEqualTo("rejected on an older instance");
  }

  Instance instance(String name) {
    return new Instance(name);
  }
}
