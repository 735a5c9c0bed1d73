package dev.aims.benchmarks;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionCall;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.oversight.ApprovalStore;
import dev.aims.oversight.Notifier;
import dev.aims.oversight.ReviewResult;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Human-approval round trips (issue aims-oversight), as a harness with a {@code main} rather than
 * JMH: a round trip needs two cooperating threads (a blocked caller, a reviewer), and the targets
 * are latency percentiles of that hand-over, which JMH's per-thread timing does not give.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aims.benchmarks.ApprovalRoundTripBenchmark [inprocess] [postgres] [concurrent]
 * </pre>
 *
 * <ol>
 *   <li><b>inprocess</b>: a governed call blocks on REVIEW (in-memory store); a reviewer thread
 *       gets the REQUESTED notice and approves; the time from the request being created (the
 *       notice) to the caller being released. Peer: a bare {@code CompletableFuture} handed to the
 *       reviewer thread and completed there (what a hand-written gate would cost at least).
 *   <li><b>postgres</b>: two {@code ApprovalService} instances on one embedded PostgreSQL
 *       ({@code synchronous_commit=on}); the caller blocks on instance A, the reviewer approves on
 *       instance B, A is woken by LISTEN/NOTIFY. Time from {@code approve} being called on B to the
 *       caller being released on A. Peer: the 1-second polling design (a status row, the caller
 *       re-reads it every second; the reviewer updates it at a random moment), same measure.
 *   <li><b>concurrent</b>: 1,000 requests pending at once ({@code callAsync}), each acted on by two
 *       of 8 reviewer threads at once (even threads approve, odd threads reject); throughput and
 *       anomalies: requests with other than one deciding action, other than one terminal event,
 *       a caller outcome that differs from the store, or a caller never released (lost wake-up).
 *       In memory, then through PostgreSQL with callers on instance A and reviewers on instance B.
 * </ol>
 */
public final class ApprovalRoundTripBenchmark {
  static final String SYSTEM = "credit-scoring";
  static final String USE_CASE = "score-applicant";
  static final String ROLE = ApprovalService.DEFAULT_REVIEWER_ROLE;
  static final String WHY = "income verified against payslips";
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final ThreadLocal<Reviewer> WHO = new ThreadLocal<>();
  static final ReviewerContext CONTEXT = WHO::get;

  record Applicant(String id, double income, double amount) {}

  record Score(double value) {}

  private ApprovalRoundTripBenchmark() {}

  public static void main(String[] args) throws Exception {
    run(args);
    Exception failed = REVIEWER_FAILURE.get();
    if (failed != null) {
      throw new IllegalStateException("a reviewer thread failed; the figures above are not valid", failed);
    }
  }

  private static void run(String[] args) throws Exception {
    Set<String> parts = new LinkedHashSet<>(args.length == 0 ? List.of("inprocess", "postgres", "concurrent")
        : Arrays.asList(args));
    if (parts.contains("inprocess")) {
      inProcess(2_000, 10_000);
    }
    if (parts.contains("concurrent")) {
      concurrent("in-memory store", ApprovalStore::inMemory, false, 1_000, 8);
    }
    if (parts.contains("postgres") || parts.contains("concurrent")) {
      Path dir = DecisionEvents.tempDir("approvals-");
      try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("data"))
          .setServerConfig("synchronous_commit", "on")
          .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
          .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
          .start()) {
        if (parts.contains("postgres")) {
          crossInstance(freshDatabase(pg, "listen"), 50, 300);
          polling(freshDatabase(pg, "polling"), 8, 5);
        }
        if (parts.contains("concurrent")) {
          DataSource ds = freshDatabase(pg, "concurrent");
          concurrent("PostgreSQL store, callers on A, reviewers on B", () -> ApprovalStore.postgres(ds), true, 1_000, 8);
        }
      } finally {
        DecisionEvents.delete(dir);
      }
    }
  }

  // ---- 1. in process ----------------------------------------------------------------------------

  static void inProcess(int warmup, int n) throws Exception {
    BlockingQueue<ApprovalNotice> requests = new LinkedBlockingQueue<>();
    AtomicLong created = new AtomicLong();
    Notifier toReviewer = notice -> {
      if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
        created.set(System.nanoTime());
        requests.add(notice);
      }
    };
    ApprovalService service = ApprovalService.builder().reviewers(CONTEXT).notifier(toReviewer).build();
    Aims aims = aims(service, null);
    Thread reviewer = reviewerThread("reviewer", () -> {
      WHO.set(Reviewer.of("rita", ROLE));
      while (true) {
        ApprovalNotice notice = requests.take();
        service.approve(notice.request().id(), WHY);
      }
    });
    long[] roundTrip = new long[n];
    long[] call = new long[n];
    try {
      for (int i = -warmup; i < n; i++) {
        long t0 = System.nanoTime();
        Decision<Score> d = largeLoan(aims).call(ApprovalRoundTripBenchmark::score);
        long released = System.nanoTime();
        if (d.review() == null) {
          throw new IllegalStateException("no review");
        }
        if (i >= 0) {
          roundTrip[i] = released - created.get();
          call[i] = released - t0;
        }
      }
    } finally {
      reviewer.interrupt();
      service.close();
    }

    // peer: the least a gate can cost, a future completed on another thread
    BlockingQueue<CompletableFuture<Long>> handoff = new LinkedBlockingQueue<>();
    Thread peerReviewer = reviewerThread("peer-reviewer", () -> {
      while (true) {
        handoff.take().complete(System.nanoTime());
      }
    });
    long[] peer = new long[n];
    try {
      for (int i = -warmup; i < n; i++) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        long t0 = System.nanoTime();
        handoff.add(f);
        f.join();
        long released = System.nanoTime();
        if (i >= 0) {
          peer[i] = released - t0;
        }
      }
    } finally {
      peerReviewer.interrupt();
    }
    System.out.println("== in-process round trip (" + n + " after " + warmup + " warm-up) ==");
    print("AIMS: request created -> approved on reviewer thread -> caller released", roundTrip);
    print("AIMS: whole governed call (policy, model, request, approval, records)", call);
    print("peer: bare CompletableFuture completed on another thread", peer);
  }

  // ---- 2. across instances through PostgreSQL ---------------------------------------------------

  static void crossInstance(DataSource ds, int warmup, int n) throws Exception {
    BlockingQueue<ApprovalNotice> requests = new LinkedBlockingQueue<>();
    Notifier toReviewer = notice -> {
      if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
        requests.add(notice);
      }
    };
    ApprovalStore storeA = ApprovalStore.postgres(ds);
    ApprovalStore storeB = ApprovalStore.postgres(ds);
    ApprovalService a = ApprovalService.builder().reviewers(CONTEXT).instanceId("a").notifier(toReviewer)
        .store(storeA).build();
    ApprovalService b = ApprovalService.builder().reviewers(CONTEXT).instanceId("b")
        .store(storeB).build();
    Aims aimsA = aims(a, null);
    Aims aimsB = aims(b, null);
    long[] approveStarted = new long[1];
    long[] approveReturned = new long[1];
    BlockingQueue<Boolean> approved = new LinkedBlockingQueue<>();
    Thread reviewer = reviewerThread("reviewer-b", () -> {
      WHO.set(Reviewer.of("rita", ROLE));
      while (true) {
        ApprovalNotice notice = requests.take();
        approveStarted[0] = System.nanoTime();
        b.approve(notice.request().id(), WHY);
        approveReturned[0] = System.nanoTime();
        approved.add(Boolean.TRUE); // publishes the two fields to the caller
      }
    });
    long[] full = new long[n];
    long[] wake = new long[n];
    try {
      for (int i = -warmup; i < n; i++) {
        largeLoan(aimsA).call(ApprovalRoundTripBenchmark::score);
        long released = System.nanoTime();
        approved.take();
        if (i >= 0) {
          full[i] = released - approveStarted[0];
          wake[i] = released - approveReturned[0];
        }
      }
    } finally {
      reviewer.interrupt();
      a.close();
      b.close();
      aimsB.close();
      storeA.close(); // a service does not close a store it was given
      storeB.close();
    }
    System.out.println("== across instances through PostgreSQL, LISTEN/NOTIFY (" + n + " after " + warmup
        + " warm-up) ==");
    print("AIMS: approve() called on B -> caller released on A", full);
    print("AIMS: approve() returned on B -> caller released on A (wake-up only)", wake);
  }

  /** The peer: a status row, re-read every second by the waiting caller. */
  static void polling(DataSource ds, int lanes, int rounds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE poll_approvals (id uuid PRIMARY KEY, status text NOT NULL)");
    }
    ExecutorService reviewers = Executors.newFixedThreadPool(lanes);
    ExecutorService callers = Executors.newFixedThreadPool(lanes);
    ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> lanesDone = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      lanesDone.add(CompletableFuture.runAsync(() -> {
        for (int r = 0; r < rounds; r++) {
          UUID id = UUID.randomUUID();
          sql(ds, "INSERT INTO poll_approvals VALUES (?, 'PENDING')", id);
          CompletableFuture<Long> decided = CompletableFuture.supplyAsync(() -> {
            sleep(ThreadLocalRandom.current().nextLong(1_000, 2_000)); // the reviewer answers at a random moment
            long t0 = System.nanoTime();
            if (sql(ds, "UPDATE poll_approvals SET status = 'APPROVED' WHERE id = ? AND status = 'PENDING'", id) != 1) {
              throw new IllegalStateException("not pending");
            }
            return t0;
          }, reviewers);
          while (!"APPROVED".equals(status(ds, id))) {
            sleep(1_000);
          }
          long released = System.nanoTime();
          samples.add(released - decided.join());
        }
      }, callers));
    }
    CompletableFuture.allOf(lanesDone.toArray(CompletableFuture[]::new)).join();
    reviewers.shutdownNow();
    callers.shutdownNow();
    long[] s = samples.stream().mapToLong(Long::longValue).toArray();
    System.out.println("== peer: 1-second polling of a status row (" + s.length + " round trips, " + lanes
        + " at a time) ==");
    print("poll: UPDATE called -> caller sees APPROVED", s);
  }

  // ---- 3. 1,000 concurrent requests, 8 reviewers ------------------------------------------------

  interface Stores {
    ApprovalStore create();
  }

  static void concurrent(String label, Stores stores, boolean twoInstances, int requests, int reviewerThreads)
      throws Exception {
    ConcurrentLinkedQueue<UUID> created = new ConcurrentLinkedQueue<>();
    Notifier collect = notice -> {
      if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
        created.add(notice.request().id());
      }
    };
    ApprovalStore storeA = stores.create();
    ApprovalStore storeB = twoInstances ? stores.create() : storeA;
    ApprovalService a = ApprovalService.builder().reviewers(CONTEXT).instanceId("a").notifier(collect)
        .store(storeA).build();
    ApprovalService b = twoInstances
        ? ApprovalService.builder().reviewers(CONTEXT).instanceId("b").store(storeB).build() : a;
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    Aims aims = aims(a, log);
    if (b != a) {
      aims(b, null);
    }

    List<CompletableFuture<Decision<Score>>> calls = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      calls.add(largeLoan(aims).callAsync(in -> CompletableFuture.completedFuture(score(in))).toCompletableFuture());
    }
    List<UUID> ids = new ArrayList<>(created);
    if (ids.size() != requests) {
      throw new IllegalStateException(ids.size() + " requests made, expected " + requests);
    }
    // each request twice in a row: two reviewer threads take it at nearly the same moment
    ConcurrentLinkedQueue<UUID> work = new ConcurrentLinkedQueue<>();
    for (UUID id : ids) {
      work.add(id);
      work.add(id);
    }
    Map<UUID, AtomicInteger> deciding = new ConcurrentHashMap<>();
    AtomicInteger alreadyDecided = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger unexpected = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < reviewerThreads; t++) {
      boolean approves = t % 2 == 0;
      Reviewer me = Reviewer.of("reviewer-" + t, ROLE);
      Thread thread = new Thread(() -> {
        WHO.set(me);
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        UUID id;
        while ((id = work.poll()) != null) {
          try {
            ReviewResult r = approves ? b.approve(id, WHY) : b.reject(id, "debt ratio too high for this amount");
            switch (r.effect()) {
              case DECIDED -> deciding.computeIfAbsent(id, x -> new AtomicInteger()).incrementAndGet();
              case DUPLICATE -> duplicates.incrementAndGet();
              default -> unexpected.incrementAndGet();
            }
          } catch (ApprovalRefusedException e) {
            if (e.refusal() == ApprovalRefusedException.Refusal.ALREADY_DECIDED) {
              alreadyDecided.incrementAndGet();
            } else {
              unexpected.incrementAndGet();
            }
          }
        }
      }, "reviewer-" + t);
      threads.add(thread);
      thread.start();
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long reviewed = System.nanoTime();
    CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    try {
      all.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // rejections complete exceptionally; counted below
    } catch (java.util.concurrent.TimeoutException e) {
      // lost wake-ups: counted below
    }
    long released = System.nanoTime();

    int lostWakeUps = 0;
    int mismatched = 0;
    int approvedCount = 0;
    int rejectedCount = 0;
    Map<UUID, ApprovalStatus> callerSaw = new HashMap<>();
    for (CompletableFuture<Decision<Score>> call : calls) {
      if (!call.isDone()) {
        lostWakeUps++;
        continue;
      }
      try {
        Decision<Score> d = call.join();
        callerSaw.put(d.id(), ApprovalStatus.APPROVED);
        approvedCount++;
      } catch (CompletionException e) {
        if (e.getCause() instanceof DecisionRejectedException r && r.decisionId() != null) {
          callerSaw.put(r.decisionId(), ApprovalStatus.REJECTED);
          rejectedCount++;
        } else {
          unexpected.incrementAndGet();
        }
      }
    }
    Map<UUID, Integer> terminalEvents = new HashMap<>();
    for (AimsEvent e : log.events()) {
      if (e instanceof ApprovalEvent ae && (e.type().equals(EventTypes.APPROVAL_GRANTED)
          || e.type().equals(EventTypes.APPROVAL_REJECTED) || e.type().equals(EventTypes.APPROVAL_EXPIRED))) {
        terminalEvents.merge(ae.decisionId(), 1, Integer::sum);
      }
    }
    int doubleTerminal = 0;
    for (UUID id : ids) {
      AtomicInteger d = deciding.get(id);
      int decidedTimes = d == null ? 0 : d.get();
      ApprovalRequest stored = b.find(id).orElseThrow();
      boolean terminalOnce = decidedTimes == 1 && stored.status().terminal()
          && (callerSaw.get(id) == null || terminalEvents.getOrDefault(id, 0) == 1);
      if (!terminalOnce) {
        doubleTerminal++;
      }
      ApprovalStatus saw = callerSaw.get(id);
      if (saw != null && saw != stored.status()) {
        mismatched++;
      }
    }
    a.close();
    storeA.close(); // a service does not close a store it was given
    if (b != a) {
      b.close();
      storeB.close();
    }
    double seconds = (released - t0) / 1e9;
    System.out.println("== " + requests + " concurrent requests, " + reviewerThreads + " reviewer threads, " + label
        + " ==");
    System.out.printf(Locale.ROOT, "  reviewer actions: %d (%d deciding, %d already-decided, %d duplicate, %d other)%n",
        2 * requests, deciding.values().stream().mapToInt(AtomicInteger::get).sum(), alreadyDecided.get(),
        duplicates.get(), unexpected.get());
    System.out.printf(Locale.ROOT, "  outcomes: %d approved, %d rejected; all reviewed in %.1f ms, all callers"
        + " released in %.1f ms%n", approvedCount, rejectedCount, (reviewed - t0) / 1e6, (released - t0) / 1e6);
    System.out.printf(Locale.ROOT, "  throughput: %.0f requests decided and callers released per second (%.0f reviewer"
        + " actions/s)%n", requests / seconds, 2 * requests / seconds);
    System.out.printf(Locale.ROOT, "  wake-up lag: the last caller was released %.1f ms after the last review%n",
        (released - reviewed) / 1e6);
    System.out.printf(Locale.ROOT, "  anomalies: %d not exactly one terminal state, %d lost wake-ups, %d caller/store"
        + " mismatches, %d unexpected answers%n", doubleTerminal, lostWakeUps, mismatched, unexpected.get());
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static Aims aims(ApprovalService service, InMemoryDecisionLog log) {
    Aims.Builder b = Aims.builder()
        .register(AiSystem.builder(SYSTEM).owner("risk-team").purpose("score consumer loan applications")
            .riskTier(RiskTier.HIGH).allowModel(SCORER).build())
        .policy(SYSTEM, DecisionPolicy.of("p-1",
            NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)))
        .approvalGate(service);
    if (log != null) {
      b.decisionLog(log);
    }
    Aims aims = b.build();
    service.attach(aims);
    return aims;
  }

  static DecisionCall<Applicant> largeLoan(Aims aims) {
    return aims.system(SYSTEM).useCase(USE_CASE).input(new Applicant("a-1", 52_000, 80_000))
        .feature("amount", 80_000).requester("loan-service");
  }

  static Score score(Applicant a) {
    return new Score(1 / (1 + Math.exp(-(a.income() / 50_000 - a.amount() / 100_000))));
  }

  interface Loop {
    void run() throws Exception;
  }

  /** The first exception a reviewer thread died of; {@link #main} fails with it. */
  static final java.util.concurrent.atomic.AtomicReference<Exception> REVIEWER_FAILURE =
      new java.util.concurrent.atomic.AtomicReference<>();

  static Thread reviewerThread(String name, Loop loop) {
    Thread t = new Thread(() -> {
      try {
        loop.run();
      } catch (InterruptedException e) {
        // stopped
      } catch (Exception e) {
        // a reviewer that died would make the figures look better than they are: fail the run
        REVIEWER_FAILURE.compareAndSet(null, e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static DataSource freshDatabase(EmbeddedPostgres pg, String name) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getDatabase("postgres", name);
  }

  static int sql(DataSource ds, String sql, UUID id) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String status(DataSource ds, UUID id) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM poll_approvals WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "MISSING";
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void print(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0);
    System.out.printf(Locale.ROOT, "  %-74s n=%d  p50 %s  p90 %s  p99 %s  max %s  mean %s%n", what, s.length,
        fmt(pct(s, 0.50)), fmt(pct(s, 0.90)), fmt(pct(s, 0.99)), fmt(s[s.length - 1]), fmt((long) mean));
  }

  static long pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static String fmt(long nanos) {
    return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.1f µs", nanos / 1e3)
        : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
