package dev.aims.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Simulated people at the other end of {@code aims-oversight}: a small pool of reviewers who take
 * approval requests from the {@link ApprovalService}'s queue ({@link ApprovalService#list}) and
 * answer them through its API, each authenticated in turn through the {@link ReviewerContext} this
 * pool also is. In a real deployment each reviewer works in their own session and the Spring
 * starter fills the context from the authenticated principal.
 *
 * <p>Everything runs on the caller's thread against the simulated clock: {@link #runUntil} moves
 * the clock to each review that is due, acts, and sweeps deadlines once a simulated minute. Who
 * takes a request and how long they need comes from a seeded {@link Random}, so the same seed
 * gives the same reviews.
 *
 * <p>The careful and the slow reviewers decide by rule, reading the (redacted) proposed output
 * they are shown:
 *
 * <ul>
 *   <li>score at least {@value #APPROVE_AT}: approve;
 *   <li>score below {@value #REJECT_BELOW}: reject;
 *   <li>in between: override the model with a counter-offer (a smaller loan).
 * </ul>
 *
 * The rubber-stamper approves everything within seconds: the automation bias that
 * {@link ApprovalService#reviewerStats()} and the {@code aims.approval.rubber.stamp} counter show.
 */
final class ReviewerPool implements ReviewerContext {
  static final double APPROVE_AT = 0.55;
  static final double REJECT_BELOW = 0.45;
  static final String ROLE = ApprovalService.DEFAULT_REVIEWER_ROLE;
  /** How often the pool's loop runs {@link ApprovalService#sweep()} (the service's own thread is off). */
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  /** How a reviewer works. */
  enum Style {
    CAREFUL("careful", Duration.ofMinutes(2), Duration.ofMinutes(12)),
    SLOW("slow", Duration.ofMinutes(20), Duration.ofMinutes(50)),
    RUBBER_STAMP("rubber-stamps", Duration.ofSeconds(2), Duration.ofSeconds(8));

    final String label;
    final Duration fastest;
    final Duration slowest;

    Style(String label, Duration fastest, Duration slowest) {
      this.label = label;
      this.fastest = fastest;
      this.slowest = slowest;
    }
  }

  /** One reviewer of the pool and their share of the requests they pick up. */
  record Member(Reviewer reviewer, Style style, int weight) {
    String id() {
      return reviewer.id();
    }
  }

  static final List<Member> MEMBERS = List.of(
      new Member(Reviewer.of("reviewer-1", ROLE), Style.CAREFUL, 35),
      new Member(Reviewer.of("reviewer-2", ROLE), Style.CAREFUL, 30),
      new Member(Reviewer.of("reviewer-3", ROLE), Style.SLOW, 20),
      new Member(Reviewer.of("reviewer-4", ROLE), Style.RUBBER_STAMP, 15));

  /** A review one member will give at a set time. */
  private record Task(Instant due, long seq, UUID requestId, Member member) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ThreadLocal<@Nullable Reviewer> acting = new ThreadLocal<>();
  private final TestClock clock;
  private final Random random;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private final Map<String, List<Duration>> timesToDecision = new LinkedHashMap<>();
  private @Nullable ApprovalService approvals;
  private @Nullable UUID cursor;
  private long seq;
  private Instant nextSweep;
  private boolean leaveNextUnanswered;
  private @Nullable UUID unanswered;
  private long pickedUp;
  private long foundDecided;

  ReviewerPool(TestClock clock, long seed) {
    this.clock = clock;
    this.random = new Random(seed);
    this.nextSweep = clock.instant().plus(SWEEP_EVERY);
    MEMBERS.forEach(m -> timesToDecision.put(m.id(), new ArrayList<>()));
  }

  /** The service the pool works against (built after the pool, which is its reviewer context). */
  void workFor(ApprovalService service) {
    this.approvals = service;
  }

  /** The authenticated reviewer of the calling thread: set only while a member acts. */
  @Override
  public @Nullable Reviewer current() {
    return acting.get();
  }

  /** Runs {@code action} authenticated as {@code who} (a reviewer, or an operator for the stop switch). */
  <T> T as(Reviewer who, Supplier<T> action) {
    Reviewer before = acting.get();
    acting.set(who);
    try {
      return action.get();
    } finally {
      if (before == null) {
        acting.remove();
      } else {
        acting.set(before);
      }
    }
  }

  /** The next request the pool picks up stays in the queue, unanswered, until its deadline passes. */
  void leaveNextUnanswered() {
    leaveNextUnanswered = true;
  }

  /** The request left unanswered, once picked up. */
  @Nullable UUID unanswered() {
    return unanswered;
  }

  /** Takes the requests that appeared in the queue since the last look and gives each one to a member. */
  void pickUp() {
    ApprovalService service = service();
    ApprovalPage page;
    do {
      page = service.list(ApprovalQuery.pending().system(Quickstart.SYSTEM).after(cursor).limit(ApprovalQuery.MAX_LIMIT));
      for (ApprovalRequest r : page.items()) {
        cursor = r.id();
        pickedUp++;
        if (leaveNextUnanswered) {
          leaveNextUnanswered = false;
          unanswered = r.id();
          continue;
        }
        Member m = draw();
        long spread = m.style().slowest.toMillis() - m.style().fastest.toMillis();
        Duration takes = m.style().fastest.plusMillis((long) (random.nextDouble() * spread));
        tasks.add(new Task(r.tierStartedAt().plus(takes), seq++, r.id(), m));
      }
    } while (page.next() != null);
  }

  /**
   * Moves the clock to {@code until}, stopping at every review that falls due on the way to give it,
   * and sweeping deadlines once a simulated minute.
   */
  void runUntil(Instant until) {
    while (true) {
      Task next = tasks.peek();
      Instant step = next != null && !next.due().isAfter(until) ? next.due() : until;
      while (!nextSweep.isAfter(step)) {
        moveTo(nextSweep);
        service().sweep();
        nextSweep = nextSweep.plus(SWEEP_EVERY);
      }
      moveTo(step);
      if (next == null || next.due().isAfter(until)) {
        return;
      }
      tasks.poll();
      review(next);
    }
  }

  /** After the last application: works off the queue and lets the clock run until no request is pending. */
  void drain() {
    pickUp();
    while (!tasks.isEmpty() || !service().list(ApprovalQuery.pending().system(Quickstart.SYSTEM).limit(1)).items().isEmpty()) {
      runUntil(clock.instant().plus(SWEEP_EVERY));
    }
  }

  /** Times from the request reaching the reviewer to their decision, per reviewer id. */
  Map<String, List<Duration>> timesToDecision() {
    return timesToDecision;
  }

  /** Requests a member took but found already ended (e.g. cancelled by the stop switch) when they got to it. */
  long foundDecided() {
    return foundDecided;
  }

  long pickedUp() {
    return pickedUp;
  }

  private void review(Task task) {
    ApprovalService service = service();
    ApprovalRequest r = service.find(task.requestId()).orElse(null);
    if (r == null || r.status() != ApprovalStatus.PENDING) {
      foundDecided++;    // cancelled by the stop switch while it waited in this reviewer's in-tray
      return;
    }
    double p = shownProbability(r);
    Member m = task.member();
    Duration took = Duration.between(r.tierStartedAt(), clock.instant());
    as(m.reviewer(), () -> {
      if (m.style() == Style.RUBBER_STAMP) {
        return service.approve(r.id(), "looks fine to me, approved");
      }
      if (p >= APPROVE_AT) {
        return service.approve(r.id(),
            String.format(Locale.ROOT, "score %.3f is at least %.2f; affordability checked", p, APPROVE_AT));
      }
      if (p < REJECT_BELOW) {
        return service.reject(r.id(),
            String.format(Locale.ROOT, "score %.3f is below %.2f for a large loan", p, REJECT_BELOW));
      }
      return service.override(r.id(), String.format(Locale.ROOT, "score %.3f is borderline; offer a smaller loan", p),
          new Score(p, Score.Recommendation.COUNTER_OFFER));
    });
    timesToDecision.get(m.id()).add(took);
  }

  /** What the reviewer is shown: the model's output as redacted canonical JSON. */
  private static double shownProbability(ApprovalRequest r) {
    try {
      JsonNode shown = JSON.readTree(r.proposedOutput());
      return shown.get("probability").asDouble();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the proposed output of request " + r.id(), e);
    }
  }

  private Member draw() {
    int total = MEMBERS.stream().mapToInt(Member::weight).sum();
    int x = random.nextInt(total);
    for (Member m : MEMBERS) {
      x -= m.weight();
      if (x < 0) {
        return m;
      }
    }
    throw new AssertionError("unreachable");
  }

  private void moveTo(Instant t) {
    if (t.isAfter(clock.instant())) {
      clock.set(t);
    }
  }

  private ApprovalService service() {
    return Objects.requireNonNull(approvals, "workFor(service) first");
  }
}
