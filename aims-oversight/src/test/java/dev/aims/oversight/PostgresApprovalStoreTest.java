package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL store against a real PostgreSQL, with several instances sharing one database. */
class PostgresApprovalStoreTest {
  /** Longer than any clock jump here, so a live owner is never taken for dead unless a test means it. */
  static final Duration LEASE = Duration.ofDays(1);
  static EmbeddedPostgres pg;
  static final AtomicInteger databases = new AtomicInteger();

  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final ExecutorService threads = Executors.newCachedThreadPool();
  final List<AutoCloseable> closing = new ArrayList<>();
  SwitchableDataSource db;

  /** One instance: its own Aims, decision log and approval service, on the shared database. */
  final class Instance {
    final String name;
    final InMemoryDecisionLog log = InMemoryDecisionLog.create();
    final TestNotifier notices = new TestNotifier();
    final SwitchableDataSource dataSource;
    final ApprovalService service;
    final Aims aims;

    Instance(String name, String policyVersion, Consumer<ApprovalService.Builder> more) {
      this(name, policyVersion, oneReviewer(), more);
    }

    Instance(String name, String policyVersion, ReviewPolicy policy, Consumer<ApprovalService.Builder> more) {
      this.name = name;
      this.dataSource = new SwitchableDataSource(db);
      // these tests move a test clock past deadlines and leases; DatabaseDecidesDeadlinesTest covers the database's
      ApprovalStore store = PostgresApprovalStore.onInstanceClock(dataSource);
      ApprovalService.Builder b = ApprovalService.builder().clock(clock).reviewers(reviewers).decisionLog(log)
          .encoder(encoder()).notifier(notices).instanceId(name).sweepEvery(Duration.ZERO).ownerLease(LEASE)
          .store(store).policy(SYSTEM, policy);
      more.accept(b);
      service = b.build();
      aims = aims(service, log, clock, policyVersion);
      closing.add(service);
      closing.add(store); // the service does not close a store it was given
    }

    Future<Decision<Score>> largeLoanCall() {
      return threads.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    }

    List<String> types() {
      return log.events().stream().map(AimsEvent::type).toList();
    }
  }

  Instance instance(String name) {
    return new Instance(name, "p-1", b -> {});
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
    String name = "approvals_" + databases.incrementAndGet();
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

  @Test
  void anApprovalOnOneInstanceWakesTheCallerBlockedOnAnotherThroughListenNotify() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    Future<Decision<Score>> call = a.largeLoanCall();
    ApprovalRequest r = a.notices.nextRequest();

    assertThat(b.service.list(ApprovalQuery.pending()).items()).extracting(ApprovalRequest::id).containsExactly(r.id());
    assertThat(b.service.find(r.id())).contains(r);
    reviewers.as(RITA, () -> b.service.approve(r.id(), WHY));

    // no sweep runs (sweepEvery ZERO): only the notification can wake the caller
    Decision<Score> d = call.get(20, TimeUnit.SECONDS);
    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(d.review().actor()).isEqualTo(RITA.as(REVIEWER_ROLE));
    assertThat(a.types()).containsSubsequence(EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED,
        EventTypes.DECISION_FINAL);
    assertThat(b.types()).doesNotContain(EventTypes.APPROVAL_GRANTED);
    assertThat(b.service.attempts(r.id())).singleElement().satisfies(x -> assertThat(x.accepted()).isTrue());
  }

  @Test
  void anOverrideOnAnotherInstanceReachesTheCallerAsTheOutputsType() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    Future<Decision<Score>> call = a.largeLoanCall();
    ApprovalRequest r = a.notices.nextRequest();

    reviewers.as(RITA, () -> b.service.override(r.id(), "collateral not counted", new Score(0.3, "manual")));

    assertThat(call.get(20, TimeUnit.SECONDS).output()).isEqualTo(new Score(0.3, "manual"));
  }

  @Test
  void theOverdueGaugeCountsDueRequestsOfItsSystemInTheSharedTable() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Instance a = new Instance("a", "p-1", b -> b.meterRegistry(registry));
    Instance b = instance("b");
    a.service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant()));
    b.service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant())); // made on the other instance
    io.micrometer.core.instrument.Gauge overdue =
        registry.get(ApprovalMetricNames.APPROVALS_OVERDUE).tag("system", SYSTEM).gauge();
    assertThat(overdue.value()).isZero();
    clock.advance(Duration.ofMinutes(61));
    assertThat(overdue.value()).isEqualTo(2);
    b.service.sweep();
    assertThat(overdue.value()).isZero();
  }

  @Test
  void reviewersOnTwoInstancesRacingMakeExactlyOneTransition() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    for (int i = 0; i < 30; i++) {
      UUID id = UUID.randomUUID();
      CompletableFuture<ReviewOutcome> outcome = a.service.submit(reviewRequest(id, 80_000, clock.instant()))
          .toCompletableFuture();
      boolean rejectOnB = i % 2 == 1;
      CountDownLatch go = new CountDownLatch(1);
      Future<Object> onA = threads.submit(() -> attempt(go, RITA, () -> a.service.approve(id, WHY)));
      Future<Object> onB = threads.submit(() -> attempt(go, RAJ,
          () -> rejectOnB ? b.service.reject(id, "not on my watch, sorry") : b.service.approve(id, WHY)));
      go.countDown();
      List<Object> results = List.of(onA.get(20, TimeUnit.SECONDS), onB.get(20, TimeUnit.SECONDS));

      assertThat(results).filteredOn(x -> x instanceof ReviewResult rr && rr.effect() == ReviewResult.Effect.DECIDED)
          .hasSize(1);
      assertThat(results).filteredOn(x -> x instanceof ApprovalRefusedException e
          && e.refusal() == Refusal.ALREADY_DECIDED).hasSize(1);
      Resolution resolution = outcome.get(20, TimeUnit.SECONDS).resolution();
      assertThat(resolution.name()).isEqualTo(a.service.find(id).orElseThrow().status().name());
      assertThat(a.service.attempts(id)).hasSize(2);
    }
  }

  private Object attempt(CountDownLatch go, Reviewer who, java.util.function.Supplier<Object> action) throws Exception {
    go.await();
    try {
      return reviewers.as(who, action);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void sweepsOnTwoInstancesExpireEachRequestExactlyOnce() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    List<CompletableFuture<ReviewOutcome>> outcomes = new ArrayList<>();
    AtomicInteger completions = new AtomicInteger();
    for (int i = 0; i < 300; i++) {
      CompletableFuture<ReviewOutcome> o = a.service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant()))
          .toCompletableFuture();
      o.whenComplete((x, e) -> completions.incrementAndGet());
      outcomes.add(o);
    }
    clock.advance(Duration.ofHours(1));

    CountDownLatch go = new CountDownLatch(1);
    Future<Integer> sweepA = threads.submit(() -> {
      go.await();
      return a.service.sweep();
    });
    Future<Integer> sweepB = threads.submit(() -> {
      go.await();
      return b.service.sweep();
    });
    go.countDown();

    assertThat(sweepA.get(30, TimeUnit.SECONDS) + sweepB.get(30, TimeUnit.SECONDS)).isEqualTo(300);
    for (CompletableFuture<ReviewOutcome> o : outcomes) {
      assertThat(o.get(20, TimeUnit.SECONDS).resolution()).isEqualTo(Resolution.EXPIRED);
    }
    assertThat(completions).hasValue(300);
    assertThat(a.service.list(ApprovalQuery.withStatus(ApprovalStatus.EXPIRED).limit(500)).items()).hasSize(300);
  }

  @Test
  void whenTheInstanceHoldingTheCallerIsGoneAnotherInstancesHandlerRunsTheApprovedActionOnce() throws Exception {
    List<ApprovedAction> ran = new CopyOnWriteArrayList<>();
    Consumer<ApprovalService.Builder> handler = x -> x.onApproved(USE_CASE, ran::add).continuationExecutor(Runnable::run);
    // every instance runs the same application: a has the continuation too, so its close leaves the request open
    Instance a = new Instance("a", "p-1", handler);
    Instance b = new Instance("b", "p-1", handler);
    Instance c = new Instance("c", "p-1", handler);
    Future<Decision<Score>> call = a.largeLoanCall();
    ApprovalRequest r = a.notices.nextRequest();

    a.service.close(); // a restart: the caller is refused there, the request stays PENDING in the database
    assertThat(failure(call)).isInstanceOf(DecisionRefusedException.class).hasMessageContaining("shutting down");
    assertThat(b.service.find(r.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);

    reviewers.as(RITA, () -> b.service.approve(r.id(), WHY));
    b.service.sweep();
    c.service.sweep();

    assertThat(ran).singleElement().satisfies(action -> {
      assertThat(action.request().id()).isEqualTo(r.id());
      assertThat(action.action(Score.class)).isEqualTo(score(applicant(80_000)));
    });
    assertThat(b.log.events(EventTypes.APPROVAL_GRANTED, ApprovalEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo(RITA.as(REVIEWER_ROLE)));
    assertThat(c.types()).doesNotContain(EventTypes.APPROVAL_GRANTED);
    assertThatThrownBy(() -> b.service.authorize(r.id(), score(applicant(80_000))))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.ALREADY_CONSUMED));
  }

  record Transfer(double amount, String account) {}

  @Test
  void theContinuationRunsTheActionParametersTheCallGaveNotTheModelOutput() throws Exception {
    List<ApprovedAction> ran = new CopyOnWriteArrayList<>();
    Instance a = new Instance("a", "p-1", x -> x.onApproved(USE_CASE, ran::add));
    Instance b = new Instance("b", "p-1", x -> x.onApproved(USE_CASE, ran::add).continuationExecutor(Runnable::run));
    Transfer transfer = new Transfer(80_000, "DE89 3704 0044 0532 0130 00");
    Future<Decision<Score>> call = threads.submit(() -> largeLoan(a.aims, 80_000).action(transfer).call(Fixtures::score));
    ApprovalRequest r = a.notices.nextRequest();
    a.service.close();
    assertThat(failure(call)).isInstanceOf(DecisionRefusedException.class);

    reviewers.as(RITA, () -> b.service.approve(r.id(), WHY, ActionDigest.of(r.id(), SYSTEM, USE_CASE, transfer)));
    b.service.sweep();

    assertThat(ran).singleElement().satisfies(action -> assertThat(action.action(Transfer.class)).isEqualTo(transfer));
  }

  @Test
  void anInstanceThatCrashedLosesItsRequestsToOthersWhenItsLeaseLapses() throws Exception {
    Instance a = instance("a");
    List<ApprovedAction> ran = new CopyOnWriteArrayList<>();
    Instance b = new Instance("b", "p-1", x -> x.onApproved(USE_CASE, ran::add).continuationExecutor(Runnable::run));
    UUID id = UUID.randomUUID();
    a.service.submit(reviewRequest(id, 80_000, clock.instant()));
    a.dataSource.down(); // a is cut off and never answers again

    reviewers.as(RITA, () -> b.service.approve(id, WHY));
    b.service.sweep();
    assertThat(ran).isEmpty(); // a's lease still runs: its caller might be waiting

    clock.advance(LEASE.plusSeconds(1));
    b.service.sweep();
    b.service.sweep();

    assertThat(ran).hasSize(1);
    assertThat(b.types()).containsOnlyOnce(EventTypes.APPROVAL_GRANTED);
  }

  @Test
  void anOrphanedRequestExpiresOnceAcrossSweepingInstances() throws Exception {
    // with a continuation the closing owner leaves the request open (without one it would cancel it)
    Instance a = new Instance("a", "p-1", x -> x.onApproved(USE_CASE, action -> {}));
    Instance b = instance("b");
    Instance c = instance("c");
    UUID id = UUID.randomUUID();
    a.service.submit(reviewRequest(id, 80_000, clock.instant()));
    a.service.close();
    clock.advance(Duration.ofHours(1));

    CountDownLatch go = new CountDownLatch(1);
    Future<Integer> onB = threads.submit(() -> {
      go.await();
      return b.service.sweep();
    });
    Future<Integer> onC = threads.submit(() -> {
      go.await();
      return c.service.sweep();
    });
    go.countDown();
    onB.get(20, TimeUnit.SECONDS);
    onC.get(20, TimeUnit.SECONDS);
    b.service.sweep();
    c.service.sweep();

    long expired = b.types().stream().filter(EventTypes.APPROVAL_EXPIRED::equals).count()
        + c.types().stream().filter(EventTypes.APPROVAL_EXPIRED::equals).count();
    assertThat(expired).isEqualTo(1);
    assertThat(b.service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
  }

  @Test
  void aContinuationIsNotRunWhenThePolicyChangedOrTheStoredActionWasTamperedWith() throws Exception {
    List<ApprovedAction> ran = new CopyOnWriteArrayList<>();
    Instance a = new Instance("a", "p-1", x -> x.onApproved(USE_CASE, ran::add));
    Instance newPolicy = new Instance("b", "p-2", x -> x.onApproved(USE_CASE, ran::add).continuationExecutor(Runnable::run));
    Instance samePolicy = new Instance("c", "p-1", x -> x.onApproved(USE_CASE, ran::add).continuationExecutor(Runnable::run));
    UUID policyChanged = UUID.randomUUID();
    a.service.submit(reviewRequest(policyChanged, 80_000, clock.instant()));
    UUID tampered = UUID.randomUUID();
    a.service.submit(reviewRequest(tampered, 80_000, clock.instant()));
    a.service.close();
    try (Connection conn = db.getConnection(); Statement s = conn.createStatement()) {
      s.executeUpdate("UPDATE aims_approval_requests SET action = replace(action, 'scored', 'approved')"
          + " WHERE id = '" + tampered + "'");
    }

    reviewers.as(RITA, () -> newPolicy.service.approve(policyChanged, WHY));
    reviewers.as(RITA, () -> samePolicy.service.approve(tampered, WHY));
    newPolicy.service.sweep();
    samePolicy.service.sweep();

    assertThat(ran).isEmpty();
  }

  @Test
  void closingAnInstanceRefusesItsWaitingCallersAndLogsEachRefusalFirst() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    List<Future<Decision<Score>>> waiting = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(a.largeLoanCall());
      ids.add(a.notices.nextRequest().id());
    }

    a.service.close();
    int finalsWhenClosed = a.log.events(EventTypes.DECISION_FINAL, dev.aims.core.event.DecisionEvent.class).size();

    for (Future<Decision<Score>> call : waiting) {
      assertThat(failure(call)).isInstanceOfSatisfying(DecisionRefusedException.class,
          e -> assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.SHUTDOWN));
    }
    assertThat(finalsWhenClosed).as("written before close returned, so before the log can close").isEqualTo(3);
    assertThat(a.log.events(EventTypes.DECISION_FINAL, dev.aims.core.event.DecisionEvent.class)).allSatisfy(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(e.error()).startsWith("shutdown: ");
    });
    // no continuation could act on an approval: the requests are cancelled, not left approvable elsewhere
    for (UUID id : ids) {
      assertThat(b.service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.CANCELLED);
      assertThatThrownBy(() -> reviewers.as(RITA, () -> b.service.approve(id, WHY)))
          .isInstanceOfSatisfying(ApprovalRefusedException.class,
              e -> assertThat(e.refusal()).isEqualTo(Refusal.ALREADY_DECIDED));
    }
    b.service.sweep();
    assertThat(b.types()).as("the owner's log has the end (decision.final REFUSED); nobody records it again")
        .doesNotContain(EventTypes.APPROVAL_CANCELLED, EventTypes.DECISION_FINAL);
  }

  @Test
  void anUnreachableStoreDeniesReviewWithAClearError() throws Exception {
    Instance a = instance("a");
    a.dataSource.down();

    assertThatThrownBy(() -> largeLoan(a.aims, 80_000).call(Fixtures::score))
        .isInstanceOfSatisfying(DecisionRefusedException.class, e -> {
          assertThat(e.refusal()).isEqualTo(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE);
          assertThat(e.getMessage()).contains("approval store").contains("refused, never allowed");
        });
    assertThatThrownBy(() -> reviewers.as(RITA, () -> a.service.approve(UUID.randomUUID(), WHY)))
        .isInstanceOf(ApprovalStoreException.class).hasMessageContaining("nothing was changed");
    assertThat(a.log.events(EventTypes.DECISION_FINAL, dev.aims.core.event.DecisionEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.REFUSED));

    a.dataSource.up();
    Future<Decision<Score>> call = a.largeLoanCall();
    ApprovalRequest r = a.notices.nextRequest();
    reviewers.as(RITA, () -> a.service.approve(r.id(), WHY));
    assertThat(call.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPROVED);
  }

  @Test
  void listingIsPageableAcrossInstances() {
    Instance a = instance("a");
    Instance b = instance("b");
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      UUID id = new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L | i);
      ids.add(id);
      a.service.submit(reviewRequest(id, 80_000, clock.instant()));
    }

    List<UUID> seen = new ArrayList<>();
    int pages = 0;
    ApprovalPage page = b.service.list(ApprovalQuery.pending().system(SYSTEM).limit(500));
    while (true) {
      pages++;
      page.items().forEach(r -> seen.add(r.id()));
      if (page.next() == null) {
        break;
      }
      page = b.service.list(ApprovalQuery.pending().system(SYSTEM).limit(500).after(page.next()));
    }

    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(ids);
  }

  @Test
  void aDeadlineEscalatesOnceAcrossInstancesAndTheSeniorTierDecides() throws Exception {
    ReviewPolicy chain = oneReviewer().thenEscalateTo(SENIOR_ROLE, Duration.ofMinutes(30));
    Instance a = new Instance("a", "p-1", chain, x -> {});
    Instance b = new Instance("b", "p-1", chain, x -> {});
    Future<Decision<Score>> call = a.largeLoanCall();
    ApprovalRequest r = a.notices.nextRequest();
    clock.advance(Duration.ofHours(1));

    CountDownLatch go = new CountDownLatch(1);
    Future<Integer> onA = threads.submit(() -> {
      go.await();
      return a.service.sweep();
    });
    Future<Integer> onB = threads.submit(() -> {
      go.await();
      return b.service.sweep();
    });
    go.countDown();

    assertThat(onA.get(20, TimeUnit.SECONDS) + onB.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    long escalations = a.types().stream().filter(EventTypes.APPROVAL_ESCALATED::equals).count()
        + b.types().stream().filter(EventTypes.APPROVAL_ESCALATED::equals).count();
    assertThat(escalations).isEqualTo(1);
    assertThat(b.service.find(r.id()).orElseThrow().requiredRole()).isEqualTo(SENIOR_ROLE);
    reviewers.as(SAM, () -> b.service.approve(r.id(), "senior review of the collateral done"));
    assertThat(call.get(20, TimeUnit.SECONDS).review().actor()).isEqualTo(SAM.as(SENIOR_ROLE));
  }
}
