package dev.aims.oversight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsException;
import dev.aims.core.ApprovalGate;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.SystemControlListener;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.ReviewRequest;
import dev.aims.core.Verdict;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import dev.aims.oversight.ReviewResult.Effect;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Human approval for decisions whose verdict is REVIEW: the {@link ApprovalGate} AIMS core hands
 * them to, and the reviewers' side of the same requests.
 *
 * <pre>{@code
 * ApprovalService approvals = ApprovalService.builder()
 *     .reviewers(springSecurityReviewerContext)                  // identity never from text
 *     .policy("credit-scoring", ReviewPolicy.of("AIMS_REVIEWER", Duration.ofHours(4))
 *         .thenEscalateTo("AIMS_SENIOR_REVIEWER", Duration.ofHours(2)).requiring(2))
 *     .notifier(Notifier.slf4j())
 *     .build();
 * Aims aims = Aims.builder().approvalGate(approvals).decisionLog(log)...build();
 * approvals.attach(aims);                    // its log and redaction, stop switch, policy versions
 *
 * // on a reviewer's thread, with the reviewer authenticated:
 * approvals.approve(requestId, "income verified against payslips");
 * }</pre>
 *
 * <p>What it guarantees: one request per decision; exactly one terminal state per request (one
 * conditional write in the store); expiry and every failure deny, nothing is approved by a
 * timeout; the requester never reviews their own request; a reviewer counts once towards k and
 * must hold the current tier's role; every refused action is recorded in the store and counted.
 * Core records {@code approval.requested} and the terminal {@code approval.*} events of a waiting
 * caller; this service records {@code approval.escalated}, and the terminal events of requests
 * whose caller is gone (settled after a restart). Thread-safe.
 */
public final class ApprovalService implements ApprovalGate, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalService.class);
  private static final int SWEEP_BATCH = 500;
  private static final int SWEEP_ROUNDS = 50;

  /**
   * A caller of this instance waiting for a request to end. {@code claimed} lets exactly one local
   * thread (the one that made the change, the notification listener, a sweep) hand the end over.
   */
  private record Waiter(CompletableFuture<ReviewOutcome> future, Class<?> outputType, String useCase,
      AtomicBoolean claimed) {
    Waiter(Class<?> outputType, String useCase) {
      this(new CompletableFuture<>(), outputType, useCase, new AtomicBoolean());
    }
  }

  private record StopState(Actor actor, String reason) {}

  /** Why this service is changing its own Aims's switch, so the Aims listener knows what not to do. */
  private enum Applying {
    /** applying the shared state: do not write it back */
    STORE,
    /** holding the systems stopped because the shared state cannot be read: neither write nor cancel */
    HOLD
  }

  /** A press on this instance the store could not take yet; retried at each sweep. */
  private record Unshared(boolean stop, String reason, Actor actor, long seenVersion) {}

  private final Clock clock;
  private final ApprovalStore store;
  private final ReviewerContext reviewers;
  private final Map<String, ReviewPolicy> policies;
  private final ReviewPolicy defaultPolicy;
  private final @Nullable DecisionLog log;
  private final @Nullable EventEncoder encoder;
  private final List<Notifier> notifiers;
  private final Map<String, ContinuationHandler> continuations;
  private final RationalePolicy rationale;
  private final RefusalBounds refusalBounds;
  private final Duration rubberStampFloor;
  private final String adminRole;
  private final String instance;
  private final Duration lease;
  private final int maxActionBytes;
  private final OversightMetrics metrics;
  private final ReviewerAdherence adherence = new ReviewerAdherence();
  private final ConcurrentHashMap<UUID, Waiter> waiters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, StopState> stopped = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  /** Whether this service created the store and the scheduler (and so closes them). */
  private final boolean ownsStore;
  private final boolean ownsScheduler;
  private final Duration sweepEvery;
  private final Duration shutdownTimeout;
  private volatile java.util.concurrent.@Nullable ScheduledFuture<?> sweeping;
  private final Executor continuationExecutor;
  private final AtomicBoolean notifierWarned = new AtomicBoolean();
  private final Object sweepLock = new Object();
  private final Duration stopStateMaxAge;
  /** Guards the stop switch bookkeeping below; taken for presses and for applying the shared state. */
  private final Object controlLock = new Object();
  private final Map<String, Long> appliedVersions = new HashMap<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Unshared> unshared = new ConcurrentHashMap<>();
  private final ThreadLocal<@Nullable Applying> applying = new ThreadLocal<>();
  private final AtomicBoolean controlsUnreadable = new AtomicBoolean();
  private volatile @Nullable Instant controlsReadAt;
  private volatile @Nullable SystemControlListener controlListener;
  private volatile @Nullable Aims aims;
  private volatile boolean closed;

  private ApprovalService(Builder b) {
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.ownsStore = b.store == null;
    this.store = b.store != null ? b.store : ApprovalStore.inMemory();
    this.reviewers = Objects.requireNonNull(b.reviewers);
    this.policies = Map.copyOf(b.policies);
    this.defaultPolicy = b.defaultPolicy != null ? b.defaultPolicy
        : ReviewPolicy.of(DEFAULT_REVIEWER_ROLE, DEFAULT_DEADLINE);
    this.log = b.log;
    this.encoder = b.encoder;
    this.notifiers = List.copyOf(b.notifiers);
    this.continuations = Map.copyOf(b.continuations);
    this.rationale = b.rationalePolicy();
    this.rubberStampFloor = b.rubberStampFloor;
    this.adminRole = b.adminRole;
    this.instance = b.instance != null ? b.instance : UUID.randomUUID().toString();
    this.lease = b.lease;
    this.maxActionBytes = b.maxActionBytes;
    this.stopStateMaxAge = b.stopStateMaxAge;
    this.metrics = new OversightMetrics(b.registry, clock);
    this.refusalBounds = new RefusalBounds(rationale, clock);
    this.ownsScheduler = b.scheduler == null;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
    } else {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "aims-approvals-" + instance);
        t.setDaemon(true);
        return t;
      });
      s.setRemoveOnCancelPolicy(true);
      this.scheduler = s;
    }
    this.sweepEvery = b.sweepEvery;
    this.shutdownTimeout = b.shutdownTimeout;
    this.continuationExecutor = b.continuationExecutor != null ? b.continuationExecutor : scheduler;
    store.open(clock, instance, new ApprovalStore.ChangeListener() {
      @Override
      public void requestsEnded(List<UUID> ids) {
        if (!closed) {
          endedElsewhere(ids);
        }
      }

      @Override
      public void controlsChanged() {
        if (!closed) {
          reconcileControls();
        }
      }
    });
    // the sweep starts at attach: before it, an escalation or a settled orphan would be recorded nowhere
    // or unredacted
  }

  /** The role of the default policy's single tier. */
  public static final String DEFAULT_REVIEWER_ROLE = "AIMS_REVIEWER";
  /** The role the stop switch and resume need unless configured. */
  public static final String DEFAULT_ADMIN_ROLE = "AIMS_ADMIN";
  /** The deadline of the default policy. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofHours(24);
  /** Default of {@link Builder#shutdownTimeout}. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  /** Default of {@link Builder#stopStateMaxAge}. */
  public static final Duration DEFAULT_STOP_STATE_MAX_AGE = Duration.ofSeconds(30);
  /** The actor id of a hold: systems held stopped because the shared stop switch state cannot be read. */
  public static final String HOLD_ACTOR_ID = "aims-oversight";
  /** Who holds a system stopped when the shared stop switch state cannot be read. */
  static final Actor HOLD_ACTOR = new Actor(HOLD_ACTOR_ID, "AIMS_SYSTEM");

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects the service to the {@link Aims} that uses it as its gate. From then on: events are
   * recorded through {@link Aims#record} and outputs redacted with {@link Aims#encoder} (unless
   * {@link Builder#decisionLog}/{@link Builder#encoder} were given); {@link #stop} stops the system
   * there; pressing {@link Aims#stop} directly also cancels the system's pending requests; and
   * authorisations and continuations re-check the system's current policy version against the
   * request's. Call once, after {@code Aims.builder()...approvalGate(this).build()}.
   *
   * <p>With a shared store (PostgreSQL) the stop switch is shared: a press on any instance, through
   * this service or on its {@code Aims}, is written to the store and applied to the {@code Aims} of
   * every other instance. {@code attach} reads the shared state first, so an instance that starts
   * while a system is stopped comes up with it stopped. If that state cannot be read, the systems
   * are held stopped until it can (see {@link Builder#stopStateMaxAge}).
   */
  public ApprovalService attach(Aims aims) {
    Objects.requireNonNull(aims, "aims");
    synchronized (this) {
      if (this.aims == aims) {
        return this;
      }
      if (this.aims != null) {
        throw new IllegalStateException("this ApprovalService is already attached to another Aims instance");
      }
      this.aims = aims;
    }
    SystemControlListener listener = new SystemControlListener() {
      @Override
      public void stopped(String systemId, String reason, Actor actor) {
        Applying mode = applying.get();
        if (mode == Applying.HOLD) {
          return;
        }
        StopState state = new StopState(actor, reason);
        if (stopped.putIfAbsent(systemId, state) != null) {
          return; // pressed through stop(..) below, which marks the system first and does the rest itself
        }
        RuntimeException failure = null;
        int cancelled = 0;
        try {
          cancelled = cancelPending(systemId, state);
        } catch (RuntimeException e) {
          failure = e;
        }
        // pressed on this Aims itself: share it; applied from the store: it is shared already
        failure = first(mode == null ? share(systemId, true, reason, actor, true) : null, failure);
        LOG.warn("AIMS stop switch: system '{}' stopped by '{}' ({}{}); {} pending approval requests cancelled here",
            systemId, actor.id(), reason, mode == null ? "" : ", pressed on another instance", cancelled);
        if (failure != null) {
          throw failure;
        }
      }

      @Override
      public void resumed(String systemId, String reason, Actor actor) {
        stopped.remove(systemId);
        if (applying.get() == null) {
          RuntimeException notShared = share(systemId, false, reason, actor, true);
          if (notShared != null) {
            throw notShared;
          }
        }
      }

      @Override
      public String toString() {
        return ApprovalService.this + " stop switch";
      }
    };
    controlListener = listener;
    aims.addSystemControlListener(listener);
    reconcileControls();
    if (!sweepEvery.isZero() && !closed) {
      long every = sweepEvery.toMillis();
      sweeping = scheduler.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  // ---- the gate ---------------------------------------------------------------------------------

  /**
   * Makes the approval request of one decision and returns a stage that completes when it ends.
   * The stage fails (so core refuses the decision) if the request cannot be made or stored.
   */
  @Override
  public CompletionStage<ReviewOutcome> submit(ReviewRequest review) {
    Objects.requireNonNull(review, "review request");
    UUID id = review.decisionId();
    String system = review.system().id();
    if (closed) {
      return shutDown(id, "the approval service is closed; decision " + id + " of system '" + system
          + "' cannot be reviewed and is refused");
    }
    Instant now = now();
    StopState stop = stopped.get(system);
    if (stop != null) {
      return CompletableFuture.completedFuture(
          new ReviewOutcome(Resolution.CANCELLED, stop.actor(), stop.reason(), null, now));
    }
    ApprovalRequest request;
    String actionJson;
    try {
      ReviewPolicy policy = policies.getOrDefault(system, defaultPolicy);
      // the approval binds the action parameters the call gave, else the proposed output
      JsonNode action = ActionDigest.toJson(review.actionOrOutput());
      actionJson = CanonicalJson.write(action);
      int bytes = actionJson.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxActionBytes) {
        throw new IllegalArgumentException("the action of decision " + id + " is " + bytes
            + " bytes of JSON, over maxActionBytes=" + maxActionBytes + "; an approval cannot be bound to it");
      }
      String digest = ActionDigest.ofJson(id, system, review.useCase(), action);
      String shown = redacted(id, system, review.useCase(), review.proposedOutput(), false);
      String input = redactedInput(id, system, review.useCase(), review.input());
      request = new ApprovalRequest(id, system, review.useCase(), review.model(), shown, review.reasons(),
          review.requester(), policy, review.policyVersion(), digest, now, ApprovalStatus.PENDING, 0, now,
          now.plus(policy.tier(0).deadline()), List.of(), null, null, null, null, input);
    } catch (RuntimeException e) {
      return refused(id, "decision " + id + " of system '" + system + "' needs review but no approval request could"
          + " be made (" + e.getMessage() + "); it is refused, never allowed", e);
    }
    Waiter waiter = new Waiter(review.proposedOutput().getClass(), review.useCase());
    String key = review.idempotencyKey() == null ? null : scopedKey(review);
    waiters.put(id, waiter);
    if (closed && waiters.remove(id, waiter)) {
      // close() went through the waiters while this one was being added
      return shutDown(id, "the approval service closed while decision " + id + " of system '" + system
          + "' was being submitted; it is refused");
    }
    StoredRequest stored;
    try {
      stored = store.create(StoredRequest.created(request, actionJson, instance, now.plus(lease), key));
    } catch (RuntimeException e) {
      waiters.remove(id, waiter);
      return refused(id, "decision " + id + " of system '" + system + "' needs review but the approval store "
          + store + " could not take it (" + e.getMessage() + "); it is refused, never allowed", e);
    }
    if (!stored.request().id().equals(id)) {
      // another attempt with the same key stored its request first
      waiters.remove(id, waiter);
      return retried(review, stored, new Waiter(review.proposedOutput().getClass(), review.useCase()), actionJson);
    }
    metrics.track(system, store);
    StopState late = stopped.get(system);
    if (late != null) {
      // the stop switch was pressed while this request was being stored: reviewers are told only of the end
      cancel(id, late);
    } else {
      // told after the check: whoever reacts to the notice by pressing the switch finds the request in the store
      notifyAll(ApprovalNotice.Kind.REQUESTED, request, now);
    }
    return waiter.future();
  }

  /**
   * The caller's idempotency key, scoped so that a key names one call of one requester: hex SHA-256
   * of the canonical JSON of {@code [system, use case, requester, key]} (fixed length, any characters).
   */
  private static String scopedKey(ReviewRequest review) {
    com.fasterxml.jackson.databind.node.ArrayNode scope = ActionDigest.mapper().createArrayNode()
        .add(review.system().id()).add(review.useCase()).add(review.requester()).add(review.idempotencyKey());
    return EventEncoder.sha256Hex(CanonicalJson.write(scope).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A retry of a call whose first attempt made request {@code had} (same idempotency key): the
   * caller waits for that request instead of a new one, or gets its end. An approval is handed out
   * once: if the first attempt's caller (or a continuation) already got it, the retry is refused.
   */
  private CompletionStage<ReviewOutcome> retried(ReviewRequest review, StoredRequest had, Waiter waiter,
      String actionJson) {
    UUID id = review.decisionId();
    ApprovalRequest r = had.request();
    UUID rid = r.id();
    if (!had.actionJson().equals(actionJson)) {
      return refused(id, "decision " + id + " gives idempotency key '" + review.idempotencyKey() + "', which request "
          + rid + " was made with for another action; a key names one call. Use a new key for a new call", null);
    }
    if (waiters.putIfAbsent(rid, waiter) != null) {
      return refused(id, "decision " + id + " gives idempotency key '" + review.idempotencyKey() + "' of request "
          + rid + ", for which a caller already waits on this instance; one caller waits per key", null);
    }
    LOG.info("AIMS: decision {} retries request {} (same idempotency key); no second request is made", id, rid);
    boolean adopted;
    StoredRequest now;
    try {
      adopted = store.adopt(rid, instance, now().plus(lease));
      now = adopted ? store.find(rid) : had;
    } catch (RuntimeException e) {
      waiters.remove(rid, waiter);
      return refused(id, "decision " + id + " retries request " + rid + " but the approval store " + store
          + " could not be read (" + e.getMessage() + "); it is refused, never allowed", e);
    }
    if (now == null) {
      waiters.remove(rid, waiter);
      return refused(id, "request " + rid + " of idempotency key '" + review.idempotencyKey() + "' is no longer"
          + " retained; decision " + id + " is refused. Use a new key", null);
    }
    if (!adopted) {
      // its end was handed out already: a denial is the same denial, an approval is not handed out twice
      waiters.remove(rid, waiter);
      ApprovalRequest end = now.request();
      if (end.status() == ApprovalStatus.APPROVED) {
        return refused(id, "request " + rid + " of idempotency key '" + review.idempotencyKey() + "' was approved"
            + " and its approval was already handed out" + (continuations.containsKey(end.useCase())
                ? " (or run by its continuation)" : "")
            + "; an approval is used once, so decision " + id + " is refused", null);
      }
      return CompletableFuture.completedFuture(end.outcome(null));
    }
    if (now.request().status().terminal()) {
      settle(now, null);
    }
    return waiter.future();
  }

  // ---- reviewers --------------------------------------------------------------------------------

  /** Approves as the authenticated reviewer. Counts towards k; the request is APPROVED when k distinct reviewers did. */
  public ReviewResult approve(UUID requestId, String rationale) {
    return act(requestId, ReviewAction.APPROVE, rationale, null, null);
  }

  /**
   * Approves the action the reviewer was shown: refused with {@code DIGEST_MISMATCH} unless the
   * request is bound to {@code actionDigest} (so an approval cannot be replayed onto another request).
   */
  public ReviewResult approve(UUID requestId, String rationale, String actionDigest) {
    return act(requestId, ReviewAction.APPROVE, rationale, Objects.requireNonNull(actionDigest, "actionDigest"), null);
  }

  /** Rejects as the authenticated reviewer: the request ends REJECTED. */
  public ReviewResult reject(UUID requestId, String rationale) {
    return act(requestId, ReviewAction.REJECT, rationale, null, null);
  }

  /**
   * Approves with a modified output (recorded as {@code decision.overridden} with both values). The
   * output must be of the model output's type. Only for requests that need one approver.
   */
  public ReviewResult override(UUID requestId, String rationale, Object output) {
    return act(requestId, ReviewAction.OVERRIDE, rationale, null, Objects.requireNonNull(output, "output"));
  }

  /** Hands the request to the next tier of its chain now ({@code approval.escalated}). */
  public ReviewResult escalate(UUID requestId, String rationale) {
    return act(requestId, ReviewAction.ESCALATE, rationale, null, null);
  }

  private ReviewResult act(UUID id, ReviewAction action, @Nullable String rationale, @Nullable String digest,
      @Nullable Object override) {
    Objects.requireNonNull(id, "request id");
    Reviewer who = reviewers.current();
    if (who == null) {
      metrics.refused(null, Refusal.NOT_AUTHENTICATED);
      throw new ApprovalRefusedException(Refusal.NOT_AUTHENTICATED, action.name().toLowerCase(java.util.Locale.ROOT)
          + " of request " + id + " needs an authenticated reviewer, and the reviewer context has none", id);
    }
    Instant limitedUntil = refusalBounds.limitedUntil(who);
    if (limitedUntil != null) {
      metrics.refused(null, Refusal.RATE_LIMITED);
      LOG.debug("AIMS refused {} of approval request {} by '{}': rate limited until {}", action, id, who.id(),
          limitedUntil);
      throw new ApprovalRefusedException(Refusal.RATE_LIMITED, "reviewer '" + who.id() + "' made "
          + this.rationale.maxRefusalsPerReviewer() + " refused attempts within " + this.rationale.refusalWindow()
          + "; further actions are refused until " + limitedUntil, id);
    }
    String overrideRedacted = null;
    String overrideJson = null;
    String overrideDigest = null;
    if (override != null) {
      ApprovalRequest r = requireKnown(id);
      JsonNode node = ActionDigest.toJson(override);
      overrideJson = CanonicalJson.write(node);
      overrideDigest = ActionDigest.ofJson(id, r.system(), r.useCase(), node);
      overrideRedacted = redacted(id, r.system(), r.useCase(), override, true);
    }
    Vote vote = new Vote(who, action, rationale, digest, overrideRedacted, overrideJson, overrideDigest);
    Instant now = now();
    Lifecycle.Step step = storeCall(id, () -> store.apply(id,
        (cur, at) -> bounded(Lifecycle.vote(cur, vote, at, this.rationale))));
    if (step == null) {
      throw unknown(id);
    }
    ApprovalRequest before = step.before().request();
    Refusal refusal = step.refusal();
    if (refusal != null) {
      metrics.refused(before.system(), refusal);
      if (refusal != Refusal.ALREADY_DECIDED && refusal != Refusal.DEADLINE_PASSED) {
        refusalBounds.refused(who); // losing a race is not a reviewer's mistake: it does not count towards the limit
      }
      if (refusal == Refusal.ALREADY_DECIDED || refusal == Refusal.DEADLINE_PASSED) {
        LOG.info("AIMS refused {} of approval request {} by '{}': {}", action, id, who.id(), step.message());
      } else {
        LOG.warn("AIMS refused {} of approval request {} (system '{}') by '{}': {}", action, id, before.system(),
            who.id(), step.message());
      }
      if (refusal == Refusal.DEADLINE_PASSED) {
        sweepQuietly(); // expiry wins: end the request now rather than at the next sweep
      }
      throw new ApprovalRefusedException(refusal, Objects.requireNonNull(step.message()), id);
    }
    if (step.kind() == Lifecycle.Kind.DUPLICATE) {
      // idempotent (HTTP 200): recorded as an attempt, but not counted in aims.approval.refused
      return new ReviewResult(step.current().request(), Effect.DUPLICATE);
    }
    Duration took = Duration.between(before.tierStartedAt(), now);
    boolean fast = (action == ReviewAction.APPROVE || action == ReviewAction.OVERRIDE)
        && took.compareTo(rubberStampFloor) < 0;
    adherence.record(who.id(), action, took, fast);
    if (fast) {
      metrics.rubberStamp(before.system());
    }
    afterStep(step, override, rationale);
    Effect effect = switch (step.kind()) {
      case DECIDED -> Effect.DECIDED;
      case ESCALATED -> Effect.ESCALATED;
      default -> Effect.COUNTED;
    };
    return new ReviewResult(step.current().request(), effect);
  }

  /**
   * The step with its attempt as stored: a refused attempt beyond the request's bound is not stored
   * (it is still counted and logged), and a stored rationale is cut to the policy's maximum.
   */
  private Lifecycle.Step bounded(Lifecycle.Step step) {
    ReviewAttempt a = step.attempt();
    if (a == null) {
      return step;
    }
    if (a.refusal() != null && !refusalBounds.store(a.requestId())) {
      return new Lifecycle.Step(step.before(), step.after(), null, step.refusal(), step.message(), step.kind(),
          step.actor());
    }
    String kept = rationale.kept(a.rationale());
    if (kept == a.rationale()) {
      return step;
    }
    return new Lifecycle.Step(step.before(), step.after(), new ReviewAttempt(a.requestId(), a.reviewer(), a.action(),
        a.tier(), a.role(), a.at(), kept, a.refusal()), step.refusal(), step.message(), step.kind(), step.actor());
  }

  /**
   * The exact action parameters the request's approval is bound to, as canonical JSON: the
   * {@code DecisionCall.action(..)} parameters, or the proposed output when the call gave none. Its
   * digest (with the ids, see {@link ActionDigest}) is {@link ApprovalRequest#actionDigest()}. Not
   * redacted: a reviewer must see what the approval lets run. Never in notices or the decision log;
   * callers (the HTTP API, the console) show it only to users who may review.
   */
  public Optional<String> action(UUID requestId) {
    Objects.requireNonNull(requestId, "requestId");
    StoredRequest s = storeCall(requestId, () -> store.find(requestId));
    return s == null ? Optional.empty() : Optional.of(s.actionJson());
  }

  /** The request as it is now. */
  public Optional<ApprovalRequest> find(UUID requestId) {
    Objects.requireNonNull(requestId, "requestId");
    StoredRequest s = storeCall(requestId, () -> store.find(requestId));
    return s == null ? Optional.empty() : Optional.of(s.request());
  }

  /** One page of requests; see {@link ApprovalQuery}. */
  public ApprovalPage list(ApprovalQuery query) {
    Objects.requireNonNull(query, "query");
    return storeCall(null, () -> store.list(query));
  }

  /** Every reviewer action on the request, accepted and refused, oldest first. */
  public List<ReviewAttempt> attempts(UUID requestId) {
    Objects.requireNonNull(requestId, "requestId");
    return storeCall(requestId, () -> store.attempts(requestId));
  }

  /** Automation-bias signals of each reviewer seen by this instance, by reviewer id. */
  public List<ReviewerStats> reviewerStats() {
    return adherence.all();
  }

  public Optional<ReviewerStats> reviewerStats(String reviewer) {
    return adherence.of(Objects.requireNonNull(reviewer, "reviewer"));
  }

  // ---- running an approved action ---------------------------------------------------------------

  /**
   * Hands out an approved action to run, once: refused unless the request is APPROVED, the
   * parameters are exactly the approved action ({@link ActionDigest}; for an override, the
   * reviewer's output), the system's policy version is still the request's, and the approval was
   * not used before. The check and the use are one conditional write.
   */
  public ApprovedAction authorize(UUID requestId, Object actionParameters) {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(actionParameters, "actionParameters");
    StoredRequest s = storeCall(requestId, () -> store.find(requestId));
    if (s == null) {
      throw unknown(requestId);
    }
    ApprovalRequest r = s.request();
    if (r.status() != ApprovalStatus.APPROVED) {
      throw refuse(r, Refusal.NOT_APPROVED, "request " + requestId + " is " + r.status() + ", not APPROVED;"
          + " its action must not run");
    }
    JsonNode params = ActionDigest.toJson(actionParameters);
    String digest = ActionDigest.ofJson(requestId, r.system(), r.useCase(), params);
    if (!digest.equals(s.approvedDigest())) {
      throw refuse(r, Refusal.DIGEST_MISMATCH, "the action to run (digest " + digest + ") is not the action approved"
          + " for request " + requestId + " (digest " + s.approvedDigest() + "); it must not run");
    }
    checkPolicy(r);
    if (!storeCall(requestId, () -> store.consume(requestId, now()))) {
      throw refuse(r, Refusal.ALREADY_CONSUMED, "the approval of request " + requestId
          + " was already used; an approval runs its action once");
    }
    return new ApprovedAction(r, CanonicalJson.write(params));
  }

  // ---- stop switch ------------------------------------------------------------------------------

  /**
   * Presses the stop switch of one AI system as the authenticated operator, who must hold the admin
   * role: new decisions are refused ({@link Aims#stop}), calls in flight do not act on their output,
   * and the system's PENDING requests are CANCELLED. With a shared store the press is written there
   * and every other instance on it stops the system too. Returns how many requests this call
   * cancelled (a request being submitted at the same moment cancels itself and is not counted here).
   *
   * @throws ApprovalStoreException if the store could not take the press: the system is stopped on
   *     this instance, and the press is written to the store at the next sweep that reaches it
   */
  public int stop(String system, String reason) {
    Objects.requireNonNull(system, "system");
    requireText(reason, "reason");
    Reviewer who = requireAdmin("stop", system);
    Aims a = requireAttached();
    if (a.isStopped(system) && !held.contains(system)) {
      metrics.refused(system, Refusal.ALREADY_STOPPED);
      throw new ApprovalRefusedException(Refusal.ALREADY_STOPPED, "system '" + system + "' is already stopped;"
          + " nothing was pressed or recorded. Resume it first to stop it again with another reason", null);
    }
    Actor actor = who.as(adminRole);
    StopState state = new StopState(actor, reason);
    // marked first: submits from now on cancel themselves, and the Aims listener leaves the cancelling to us
    stopped.put(system, state);
    RuntimeException failure = null;
    try {
      if (held.contains(system)) {
        // already held stopped because the shared state is unreadable: Aims.stop would record nothing
        record(new SystemEvent(EventTypes.SYSTEM_STOPPED, clock.instant(), system, actor, reason));
      }
      a.stop(system, reason, actor);
    } catch (RuntimeException e) {
      failure = e; // the switch is pressed even if its event could not be written: cancel anyway, then report
    }
    int cancelled = 0;
    try {
      cancelled = cancelPending(system, state);
    } catch (RuntimeException e) {
      failure = first(failure, e);
    }
    // the press not reaching the other instances is what the operator must hear first
    failure = first(share(system, true, reason, actor, true), failure);
    if (failure != null) {
      throw failure;
    }
    LOG.warn("AIMS stop switch: system '{}' stopped by '{}' ({}); {} pending approval requests cancelled", system,
        who.id(), reason, cancelled);
    return cancelled;
  }

  /**
   * Releases the stop switch; needs the same admin role as {@link #stop}. With a shared store the
   * release is written there first and every instance on it resumes the system.
   *
   * @throws ApprovalStoreException if the store could not take the release: the system stays
   *     stopped everywhere (nothing is resumed on a state that could not be shared)
   */
  public void resume(String system, String reason) {
    Objects.requireNonNull(system, "system");
    requireText(reason, "reason");
    Reviewer who = requireAdmin("resume", system);
    Aims a = requireAttached();
    a.register().get(system); // an unknown system fails here, with the known ones named, before anything is written
    if (!a.isStopped(system)) {
      metrics.refused(system, Refusal.NOT_STOPPED);
      throw new ApprovalRefusedException(Refusal.NOT_STOPPED, "system '" + system + "' is not stopped on this"
          + " instance; nothing was released or recorded", null);
    }
    RuntimeException failure = share(system, false, reason, who.as(adminRole), false);
    if (failure != null) {
      throw failure;
    }
  }

  private int cancelPending(String system, StopState state) {
    int cancelled = 0;
    for (UUID id : storeCall(null, () -> store.pendingOf(system))) {
      if (cancel(id, state)) {
        cancelled++;
      }
    }
    return cancelled;
  }

  private boolean cancel(UUID id, StopState state) {
    Lifecycle.Step step = storeCall(id, () -> store.apply(id,
        (cur, at) -> Lifecycle.cancel(cur, state.actor(), state.reason(), at)));
    if (step == null || step.after() == null) {
      return false;
    }
    afterStep(step, null, state.reason());
    return true;
  }

  /**
   * Writes a press made on this instance to the store, then makes this instance's Aims match what
   * the store holds now. Returns the failure to report, or null.
   *
   * @param retryLater whether the press already took effect here, so that a failed write is kept
   *     and retried at each sweep (a stop always; a release only if nobody pressed since)
   */
  private @Nullable RuntimeException share(String system, boolean stop, String reason, Actor actor,
      boolean retryLater) {
    synchronized (controlLock) {
      long seen = appliedVersions.getOrDefault(system, 0L);
      SystemControl now;
      try {
        now = storeCall(null, () -> store.press(system, stop, reason, actor, now(), instance, -1));
      } catch (RuntimeException e) {
        String what;
        if (!retryLater) {
          what = "system '" + system + "' was not resumed: the shared stop switch state could not be written to "
              + store + " (" + e.getMessage() + "); it stays stopped on every instance. Try again";
        } else {
          unshared.put(system, new Unshared(stop, reason, actor, seen));
          what = "system '" + system + "' is " + (stop ? "stopped" : "resumed") + " on this instance (" + instance
              + ") only: the shared stop switch state could not be written to " + store + " (" + e.getMessage()
              + "); other instances " + (stop ? "are not stopped" : "stay stopped") + " until it is. This instance"
              + " retries at each sweep";
        }
        LOG.error("AIMS stop switch: {}", what);
        return new ApprovalStoreException(what, null, e);
      }
      unshared.remove(system);
      appliedVersions.put(system, now.version());
      try {
        converge(now, requireAttached());
      } catch (RuntimeException e) {
        return e;
      }
      return null;
    }
  }

  /**
   * Makes this instance's stop switches match the store: writes presses the store could not take
   * before, then applies every state newer than the one applied here. Runs at attach, on each stop
   * switch notice and at each sweep. If the state cannot be read for longer than
   * {@link Builder#stopStateMaxAge} (at attach: at once), every system is held stopped until it can.
   */
  private void reconcileControls() {
    Aims a = aims;
    if (a == null || closed) {
      return;
    }
    List<SystemControl> rows;
    try {
      shareUnshared(a);
      rows = storeCall(null, store::controls);
    } catch (RuntimeException e) {
      controlsUnreadable(a, e);
      return;
    }
    synchronized (controlLock) {
      controlsReadAt = now();
      if (controlsUnreadable.compareAndSet(true, false)) {
        LOG.info("AIMS reads the shared stop switch state again");
      }
      Set<String> inStore = new HashSet<>();
      for (SystemControl row : rows) {
        inStore.add(row.system());
        if (a.register().find(row.system()).isEmpty()) {
          continue; // a system this instance does not run
        }
        long applied = appliedVersions.getOrDefault(row.system(), 0L);
        if (row.version() > applied || held.contains(row.system())) {
          appliedVersions.put(row.system(), row.version());
          try {
            converge(row, a);
          } catch (RuntimeException e) {
            LOG.error("AIMS could not fully apply the shared stop switch state of system '{}' (stopped: {}); the"
                + " switch itself has changed", row.system(), row.stopped(), e);
          }
        }
      }
      for (String system : List.copyOf(held)) {
        if (!inStore.contains(system)) {
          // never pressed anywhere: the hold ends
          try {
            converge(new SystemControl(system, false, "never stopped", HOLD_ACTOR, now(), 1, instance), a);
          } catch (RuntimeException e) {
            LOG.error("AIMS could not release the hold on system '{}'", system, e);
          }
        }
      }
    }
  }

  /** Presses the store could not take when they were made: a stop always, a release only if nothing changed since. */
  private void shareUnshared(Aims a) {
    for (Map.Entry<String, Unshared> e : unshared.entrySet()) {
      String system = e.getKey();
      Unshared u = e.getValue();
      synchronized (controlLock) {
        SystemControl now = store.press(system, u.stop(), u.reason(), u.actor(), now(), instance,
            u.stop() ? -1 : u.seenVersion());
        unshared.remove(system, u);
        appliedVersions.put(system, now.version());
        LOG.warn("AIMS stop switch: the {} of system '{}' by '{}' made on this instance is now shared", u.stop()
            ? "stop" : "release", system, u.actor().id());
        try {
          converge(now, a);
          if (u.stop()) {
            // the requests it could not cancel then (the store was unreachable)
            cancelPending(system, new StopState(u.actor(), u.reason()));
          }
        } catch (RuntimeException failure) {
          LOG.error("AIMS could not fully apply the shared stop switch state of system '{}'", system, failure);
        }
      }
    }
  }

  /** Applies a shared state to this instance's Aims (caller holds {@code controlLock}). */
  private void converge(SystemControl row, Aims a) {
    String system = row.system();
    boolean wasHeld = held.remove(system);
    boolean here = a.isStopped(system);
    if (row.stopped()) {
      if (!here) {
        applying(Applying.STORE, () -> a.stop(system, row.reason(), row.actor()));
      } else if (wasHeld) {
        // the hold turns into the stop it guarded against: cancel as any stop does
        StopState state = new StopState(row.actor(), row.reason());
        if (stopped.putIfAbsent(system, state) == null) {
          cancelPending(system, state);
        }
      }
    } else if (here) {
      if (wasHeld) {
        applying(Applying.HOLD, () -> a.resume(system, "the shared stop switch state is readable again and the"
            + " system is not stopped", HOLD_ACTOR));
      } else {
        applying(Applying.STORE, () -> a.resume(system, row.reason(), row.actor()));
      }
    }
  }

  /** Fail safe: past the allowed age (or before the first read) every system of this Aims is held stopped. */
  private void controlsUnreadable(Aims a, RuntimeException e) {
    Instant readAt = controlsReadAt;
    Instant now = now();
    boolean tooOld = readAt == null || Duration.between(readAt, now).compareTo(stopStateMaxAge) > 0;
    if (controlsUnreadable.compareAndSet(false, true)) {
      LOG.warn("AIMS cannot read the shared stop switch state from {} ({}); {}", store, e.getMessage(), tooOld
          ? "holding every system stopped until it can" : "using the state read at " + readAt + " for up to "
              + stopStateMaxAge + ", then holding every system stopped until it can be read");
    }
    if (!tooOld) {
      return;
    }
    String reason = "the shared stop switch state cannot be read (" + e.getMessage() + ")"
        + (readAt == null ? "" : "; last read at " + readAt) + ": held stopped until it can";
    synchronized (controlLock) {
      for (AiSystem system : a.register().systems()) {
        String id = system.id();
        if (held.contains(id) || a.isStopped(id)) {
          continue;
        }
        held.add(id);
        try {
          applying(Applying.HOLD, () -> a.stop(id, reason, HOLD_ACTOR));
        } catch (RuntimeException failure) {
          LOG.error("AIMS held system '{}' stopped but could not record it", id, failure);
        }
      }
    }
  }

  private void applying(Applying mode, Runnable change) {
    Applying before = applying.get();
    applying.set(mode);
    try {
      change.run();
    } finally {
      if (before == null) {
        applying.remove();
      } else {
        applying.set(before);
      }
    }
  }

  private static @Nullable RuntimeException first(@Nullable RuntimeException a, @Nullable RuntimeException b) {
    if (a == null) {
      return b;
    }
    if (b != null && b != a) {
      a.addSuppressed(b);
    }
    return a;
  }

  // ---- the clock --------------------------------------------------------------------------------

  /**
   * Escalates or expires every request whose tier deadline has passed, settles requests whose caller
   * is gone, and renews this instance's leases. Runs on the service's own thread every
   * {@link Builder#sweepEvery}; call it directly in tests that move a {@code TestClock}. Returns how
   * many requests it escalated or expired. The periodic sweep starts at {@link #attach}; called
   * before it, a sweep escalates and expires (waiting callers are answered) but settles no request
   * whose caller is gone, since its end could not be recorded redacted yet.
   */
  public int sweep() {
    if (closed) {
      return 0;
    }

    // first, and whatever else fails: a sweep that cannot reach the store still keeps the stop switch safe
    reconcileControls();
    synchronized (sweepLock) {
      Instant now = now();
      int changed = 0;
      for (int round = 0; round < SWEEP_ROUNDS; round++) {
        List<Lifecycle.Step> steps = store.sweep(now, SWEEP_BATCH);
        for (Lifecycle.Step step : steps) {
          afterStep(step, null, null);
          changed++;
        }
        if (steps.size() < SWEEP_BATCH && steps.stream().noneMatch(s -> s.kind() == Lifecycle.Kind.ESCALATED)) {
          break;
        }
      }
      store.renewLeases(now.plus(lease));
      changed += cancelAbandoned(now);
      if (!waiters.isEmpty()) {
        // a notification can be lost while the listening connection reconnects: catch up
        endedElsewhere(store.ended(List.copyOf(waiters.keySet())));
      }
      for (StoredRequest orphan : store.unsettled(now, SWEEP_BATCH)) {
        if (!waiters.containsKey(orphan.request().id())) {
          settleOrphan(orphan);
        }
      }
      return changed;
    }
  }

  // ---- restart rules ----------------------------------------------------------------------------
  //
  // A request outlives its caller only in a shared store. Then:
  // 1. its caller is gone (the owner shut down: it refused its callers, and cancelled the requests
  //    no continuation could run; or it died: its lease lapsed) and nothing could act on an
  //    approval (no continuation for its use case): any instance's sweep cancels it, and records
  //    approval.cancelled and decision.final, so it is never approvable with nobody to act on it;
  // 2. a continuation could act on it: it stays approvable; whichever instance ends it settles it
  //    once (one conditional write), records its end and, if approved, runs the continuation once;
  // 3. a retry with the same idempotency key waits for the same request (see retried).
  // decision.final is written for a request settled without its caller unless the owner answered
  // that caller itself (a graceful shutdown, recognisable by the released lease).

  /** The actor of a cancellation because the caller is gone. */
  static final String CALLER_GONE = "the caller of this request is gone (its instance stopped or stopped renewing"
      + " its lease) and no continuation could act on an approval; it is cancelled";

  private int cancelAbandoned(Instant sweptAt) {
    int cancelled = 0;
    for (StoredRequest s : store.abandoned(sweptAt, SWEEP_BATCH)) {
      ApprovalRequest r = s.request();
      if (continuations.containsKey(r.useCase())) {
        continue; // rule 2
      }
      Lifecycle.Step step = store.apply(r.id(), (cur, at) -> abandoned(cur, at)
          ? Lifecycle.cancel(cur, HOLD_ACTOR, CALLER_GONE, at) : Lifecycle.unchanged(cur));
      if (step != null && step.after() != null) {
        LOG.warn("AIMS cancelled approval request {} of system '{}': its caller on instance {} is gone", r.id(),
            r.system(), s.owner());
        afterStep(step, null, CALLER_GONE);
        cancelled++;
      }
    }
    return cancelled;
  }

  /** Re-checked under the row lock: a retry may have adopted the request since it was listed. */
  private boolean abandoned(StoredRequest cur, Instant at) {
    return !cur.request().status().terminal() && !cur.owner().equals(instance) && cur.ownerLease().isBefore(at);
  }

  /** At shutdown, a refused caller's request that no continuation could run is cancelled and settled here. */
  private void endAtShutdown(UUID id) {
    Instant at = now();
    String why = "the caller was refused because instance " + instance + " shut down";
    try {
      Lifecycle.Step step = store.apply(id, (cur, when) -> Lifecycle.cancel(cur, HOLD_ACTOR, why, when));
      if (step != null && step.after() != null) {
        store.settle(id); // core records the caller's refusal: nobody records this end again
        notifyAll(ApprovalNotice.Kind.DECIDED, step.current().request(), at);
      }
    } catch (RuntimeException e) {
      LOG.warn("AIMS could not cancel approval request {} at shutdown; another instance cancels it once this"
          + " instance's lease is released", id, e);
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.error("AIMS approval sweep failed; requests past their deadline stay refused to reviewers and are"
          + " retried at the next sweep", e);
    }
  }

  // ---- after a change ---------------------------------------------------------------------------

  private void afterStep(Lifecycle.Step step, @Nullable Object localOverride, @Nullable String rationale) {
    ApprovalRequest r = step.current().request();
    switch (step.kind()) {
      case ESCALATED -> {
        ApprovalRequest before = step.before().request();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from_tier", before.tier());
        details.put("to_tier", r.tier());
        details.put("required_role", r.requiredRole());
        details.put("deadline", r.deadline().toString());
        details.put("cause", step.actor() == null ? "deadline" : "reviewer");
        record(new ApprovalEvent(EventTypes.APPROVAL_ESCALATED, now(), r.id(), r.system(), r.useCase(),
            step.actor(), step.actor() == null ? null : rationale, details));
        notifyAll(ApprovalNotice.Kind.ESCALATED, r, now());
      }
      case COUNTED -> {
        // a vote that does not decide yet is evidence too: the deciding one is in the terminal event
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tier", r.tier());
        details.put("required_role", r.requiredRole());
        details.put("approvals", r.approvedBy().size());
        details.put("approvals_required", r.approvalsRequired());
        record(new ApprovalEvent(EventTypes.APPROVAL_COUNTED, now(), r.id(), r.system(), r.useCase(),
            step.actor(), rationale, details));
      }
      case DECIDED -> {
        notifyAll(ApprovalNotice.Kind.DECIDED, r, now());
        settle(step.current(), localOverride);
      }
      default -> {}
    }
  }

  /** Hands an ended request to the caller waiting here, or settles it as an orphan. */
  private void settle(StoredRequest s, @Nullable Object localOverride) {
    UUID id = s.request().id();
    Waiter w = waiters.get(id);
    if (w != null) {
      if (!w.claimed().compareAndSet(false, true)) {
        return; // another thread of this instance is handing it over
      }
      // the waiter stays registered until the store says who settled, so a sweep never takes it for an orphan
      boolean mine;
      try {
        mine = store.settle(id);
      } catch (RuntimeException e) {
        LOG.warn("AIMS could not mark approval request {} settled; handing its end to the waiting caller anyway", id, e);
        mine = true;
      }
      waiters.remove(id, w);
      if (mine) {
        complete(w, s, localOverride);
      } else {
        w.future().complete(new ReviewOutcome(Resolution.CANCELLED, null,
            "settled by another instance while this caller waited", null, now()));
      }
      return;
    }
    settleOrphan(s); // the store decides, by its clock, whether the owner's lease has lapsed
  }

  private void complete(Waiter w, StoredRequest s, @Nullable Object localOverride) {
    ApprovalRequest r = s.request();
    Object overrideValue = null;
    if (r.overridden()) {
      if (localOverride != null && w.outputType().isInstance(localOverride)) {
        overrideValue = localOverride;
      } else {
        try {
          overrideValue = ActionDigest.mapper().readValue(Objects.requireNonNull(s.overrideJson()), w.outputType());
        } catch (JsonProcessingException | RuntimeException e) {
          w.future().completeExceptionally(new DecisionRefusedException(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE,
              "the override of decision " + r.id() + " cannot be read as " + w.outputType().getName() + " ("
                  + e.getMessage() + "); it is refused", r.id(), e));
          return;
        }
      }
    }
    w.future().complete(r.outcome(overrideValue));
  }

  /** An ended request nobody waits for: record its end once and run its continuation once. */
  private void settleOrphan(StoredRequest s) {
    ApprovalRequest r = s.request();
    if (aims == null && (log == null || encoder == null)) {
      return; // not attached: its end could be recorded nowhere or unredacted; the first sweep after attach settles it
    }
    if (!store.settleOrphan(r.id())) {
      return;
    }
    Resolution resolution = Objects.requireNonNull(r.resolution());
    String type = switch (resolution) {
      case APPROVED, OVERRIDDEN -> EventTypes.APPROVAL_GRANTED;
      case EXPIRED -> EventTypes.APPROVAL_EXPIRED;
      case REJECTED -> EventTypes.APPROVAL_REJECTED;
      case CANCELLED -> EventTypes.APPROVAL_CANCELLED;
    };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("resolution", resolution.name());
    details.put("settled", "no waiting caller");
    if (r.status() == ApprovalStatus.APPROVED) {
      details.put("approvers", r.approvedBy());
    }
    record(new ApprovalEvent(type, now(), r.id(), r.system(), r.useCase(), r.decidedBy(), r.rationale(), details));
    if (resolution == Resolution.OVERRIDDEN) {
      record(new DecisionEvent(EventTypes.DECISION_OVERRIDDEN, now(), r.id(), r.system(), r.useCase(), r.model(),
          null, null, readTree(r.proposedOutput()), readTree(Objects.requireNonNull(s.overrideJson())), Map.of(), null,
          Verdict.REVIEW, Outcome.OVERRIDDEN, r.reasons(), r.policyVersion(), null, null, null, null, r.decidedBy(),
          r.rationale(), null));
    }
    if (!s.ownerLease().equals(Instant.EPOCH)) {
      // the caller never heard (its instance died): this is the decision's end in the log
      Outcome outcome = switch (resolution) {
        case APPROVED -> Outcome.APPROVED;
        case OVERRIDDEN -> Outcome.OVERRIDDEN;
        case EXPIRED -> Outcome.EXPIRED;
        case REJECTED -> Outcome.REJECTED;
        case CANCELLED -> Outcome.REFUSED;
      };
      boolean runs = continuations.containsKey(r.useCase()) && r.status() == ApprovalStatus.APPROVED;
      record(new DecisionEvent(EventTypes.DECISION_FINAL, now(), r.id(), r.system(), r.useCase(), r.model(), null,
          null, readTree(r.proposedOutput()), s.overrideJson() == null ? null : readTree(s.overrideJson()), Map.of(),
          null, Verdict.REVIEW, outcome, r.reasons(), r.policyVersion(), null, null, null, null, r.decidedBy(),
          r.rationale(), "settled without its caller (instance " + s.owner() + " is gone)"
              + (runs ? "; the continuation runs the approved action" : "")));
    }
    ContinuationHandler handler = continuations.get(r.useCase());
    if (handler != null && r.status() == ApprovalStatus.APPROVED) {
      continuationExecutor.execute(() -> continueWith(s, handler));
    }
  }

  private void continueWith(StoredRequest s, ContinuationHandler handler) {
    ApprovalRequest r = s.request();
    try {
      // checked before the approval is used, so a refusal here does not burn it
      String action = s.approvedActionJson();
      String digest = ActionDigest.ofJson(r.id(), r.system(), r.useCase(), readTree(action));
      if (!digest.equals(s.approvedDigest())) {
        throw refuse(r, Refusal.DIGEST_MISMATCH, "the stored action of request " + r.id() + " no longer matches"
            + " its approval (digest " + digest + " vs " + s.approvedDigest() + "); the continuation does not run");
      }
      checkPolicy(r);
      if (!store.consume(r.id(), now())) {
        return;
      }
      handler.resume(new ApprovedAction(r, action));
    } catch (ApprovalRefusedException e) {
      LOG.error("AIMS did not run the continuation of approval request {}: {}", r.id(), e.getMessage());
    } catch (Exception e) {
      LOG.error("AIMS continuation of approval request {} (use case '{}') failed; the approval is used and is not"
          + " retried", r.id(), r.useCase(), e);
    }
  }

  /**
   * Requests another instance ended (PostgreSQL NOTIFY), or a sweep found ended: hands those whose
   * caller waits here to it, settling them all with one store call (a burst of notices costs one
   * round trip, not two per request).
   */
  private void endedElsewhere(List<UUID> ids) {
    Map<UUID, Waiter> claimed = new LinkedHashMap<>();
    for (UUID id : ids) {
      Waiter w = waiters.get(id);
      if (w != null && w.claimed().compareAndSet(false, true)) {
        claimed.put(id, w);
      }
    }
    if (claimed.isEmpty()) {
      return;
    }
    try {
      for (StoredRequest s : store.settleEnded(claimed.keySet())) {
        Waiter w = claimed.remove(s.request().id());
        if (w != null) {
          waiters.remove(s.request().id(), w);
          complete(w, s, null);
        }
      }
      if (claimed.isEmpty()) {
        return;
      }
      // the rest are still PENDING (a notice without a status) or were settled by another instance
      Set<UUID> settledElsewhere = new HashSet<>(store.ended(List.copyOf(claimed.keySet())));
      for (Map.Entry<UUID, Waiter> e : claimed.entrySet()) {
        if (settledElsewhere.contains(e.getKey())) {
          waiters.remove(e.getKey(), e.getValue());
          e.getValue().future().complete(new ReviewOutcome(Resolution.CANCELLED, null,
              "settled by another instance while this caller waited", null, now()));
        } else {
          e.getValue().claimed().set(false);
        }
      }
    } catch (RuntimeException e) {
      for (Waiter w : claimed.values()) {
        w.claimed().set(false);
      }
      LOG.warn("AIMS could not settle {} ended approval requests after change notices; the next sweep retries",
          claimed.size(), e);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void checkPolicy(ApprovalRequest r) {
    String now = currentPolicyVersion(r.system());
    if (now == null || !now.equals(r.policyVersion())) {
      throw refuse(r, Refusal.POLICY_CHANGED, "request " + r.id() + " was made under policy version "
          + r.policyVersion() + " of system '" + r.system() + "', which is now "
          + (now == null ? "unknown (attach the Aims instance to the ApprovalService)" : now)
          + "; the approval no longer applies");
    }
  }

  private @Nullable String currentPolicyVersion(String system) {
    Aims a = aims;
    return a == null ? null : a.policy(system).version();
  }

  private ApprovalRefusedException refuse(ApprovalRequest r, Refusal refusal, String message) {
    metrics.refused(r.system(), refusal);
    LOG.warn("AIMS refused: {}", message);
    return new ApprovalRefusedException(refusal, message, r.id());
  }

  private ApprovalRefusedException unknown(UUID id) {
    metrics.refused(null, Refusal.UNKNOWN_REQUEST);
    return new ApprovalRefusedException(Refusal.UNKNOWN_REQUEST, "no approval request " + id
        + " (never made, or resolved and no longer retained)", id);
  }

  private ApprovalRequest requireKnown(UUID id) {
    StoredRequest s = storeCall(id, () -> store.find(id));
    if (s == null) {
      throw unknown(id);
    }
    return s.request();
  }

  private Reviewer requireAdmin(String what, String system) {
    Reviewer who = reviewers.current();
    if (who == null) {
      metrics.refused(system, Refusal.NOT_AUTHENTICATED);
      throw new ApprovalRefusedException(Refusal.NOT_AUTHENTICATED, what + " of system '" + system
          + "' needs an authenticated operator, and the reviewer context has none", null);
    }
    if (!who.hasRole(adminRole)) {
      metrics.refused(system, Refusal.MISSING_ROLE);
      LOG.warn("AIMS refused {} of system '{}' by '{}': role {} is required", what, system, who.id(), adminRole);
      throw new ApprovalRefusedException(Refusal.MISSING_ROLE, "'" + who.id() + "' lacks role " + adminRole
          + " that " + what + " of system '" + system + "' needs", null);
    }
    return who;
  }

  private Aims requireAttached() {
    Aims a = aims;
    if (a == null) {
      throw new IllegalStateException("the stop switch needs the Aims instance: call approvalService.attach(aims)"
          + " after building it");
    }
    return a;
  }

  private String redacted(UUID id, String system, String useCase, Object value, boolean override) {
    DecisionEvent e = new DecisionEvent(EventTypes.DECISION_PROPOSED, now(), id, system, useCase, null, null, null,
        override ? null : value, override ? value : null, Map.of(), null, Verdict.REVIEW, null, List.of(), null, null,
        null, null, null, null, null, null);
    ObjectNode body = encoder().encode(e);
    JsonNode shown = body.get(override ? "overridden_output" : "output");
    return shown == null ? "null" : CanonicalJson.write(shown);
  }

  /** The input as the decision log shows it (the system's redaction rules), canonical JSON; null when none. */
  private @Nullable String redactedInput(UUID id, String system, String useCase, @Nullable Object input) {
    if (input == null) {
      return null;
    }
    DecisionEvent e = new DecisionEvent(EventTypes.DECISION_PROPOSED, now(), id, system, useCase, null, null, input,
        null, null, Map.of(), null, Verdict.REVIEW, null, List.of(), null, null, null, null, null, null, null, null);
    JsonNode shown = encoder().encode(e).get("input");
    return shown == null || shown.isNull() ? null : CanonicalJson.write(shown);
  }

  private static JsonNode readTree(String json) {
    try {
      return ActionDigest.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }
  }

  /** The given log with the given (or the attached Aims's) encoder; else the attached Aims; else nowhere. */
  private void record(AimsEvent event) {
    DecisionLog l = log;
    Aims a = aims;
    try {
      if (l != null) {
        l.append(new LogEntry(event, encoder()));
      } else if (a != null) {
        a.record(event);
      }
    } catch (RuntimeException e) {
      LOG.error("AIMS could not write {} of decision to the decision log {}; the step itself is in the approval"
          + " store", event.type(), l != null ? l : a, e);
    }
  }

  private EventEncoder encoder() {
    EventEncoder e = encoder;
    if (e != null) {
      return e;
    }
    Aims a = aims;
    return a != null ? a.encoder() : EventEncoder.plain();
  }

  private void notifyAll(ApprovalNotice.Kind kind, ApprovalRequest request, Instant at) {
    if (notifiers.isEmpty()) {
      return;
    }
    ApprovalNotice notice = new ApprovalNotice(UUID.randomUUID(), kind, request, at);
    for (Notifier n : notifiers) {
      try {
        n.notify(notice);
      } catch (RuntimeException e) {
        if (notifierWarned.compareAndSet(false, true)) {
          LOG.warn("AIMS notifier {} failed; notices are a convenience and reviews go on. Further failures are not"
              + " logged.", n, e);
        }
      }
    }
  }

  private <T> T storeCall(@Nullable UUID id, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (AimsException e) {
      throw e; // the store's own kinds (ApprovalStoreException, refusals) say what happened already
    } catch (RuntimeException e) {
      throw new ApprovalStoreException("the approval store " + store + " failed (" + e + "); nothing was changed"
          + " and the action can be retried", id, e);
    }
  }

  private static CompletionStage<ReviewOutcome> shutDown(UUID id, String message) {
    return CompletableFuture.failedFuture(
        new DecisionRefusedException(DecisionRefusedException.Cause.SHUTDOWN, message, id, null));
  }

  private static CompletionStage<ReviewOutcome> refused(UUID id, String message, @Nullable Throwable cause) {
    return CompletableFuture.failedFuture(
        new DecisionRefusedException(DecisionRefusedException.Cause.NO_REVIEW_POSSIBLE, message, id, cause));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static void requireText(@Nullable String value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /**
   * Stops the sweeps, gives up this instance's leases (so other instances settle its requests) and
   * fails the callers still waiting here: their decisions are refused. With the PostgreSQL store the
   * requests stay PENDING and another instance's continuation can complete them. Closes only what
   * the service created: the default in-memory store and its own scheduler, not a store or
   * scheduler given to the builder.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    java.util.concurrent.ScheduledFuture<?> sweep = sweeping;
    if (sweep != null) {
      sweep.cancel(false);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    Aims a = aims;
    SystemControlListener l = controlListener;
    if (a != null && l != null) {
      a.removeSystemControlListener(l);
    }
    // answer every caller waiting here first, and let core write each refusal before anything closes
    int refused = 0;
    List<UUID> nothingToRun = new ArrayList<>();
    for (Map.Entry<UUID, Waiter> e : new HashMap<>(waiters).entrySet()) {
      if (waiters.remove(e.getKey(), e.getValue())) {
        refused++;
        if (!continuations.containsKey(e.getValue().useCase())) {
          nothingToRun.add(e.getKey());
        }
        e.getValue().future().completeExceptionally(new DecisionRefusedException(
            DecisionRefusedException.Cause.SHUTDOWN, "the approval service is shutting down while decision "
                + e.getKey() + " waited for review; it is refused here (a durable store keeps the request, and a"
                + " continuation handler can run it once it is approved); retry the call", e.getKey(), null));
      }
    }
    nothingToRun.forEach(this::endAtShutdown); // restart rule 1, by the owner itself
    if (a != null && !a.awaitReviewsEnded(shutdownTimeout)) {
      LOG.warn("AIMS approval service closed with {} governed calls still not ended after {} ({} refused here);"
          + " their refusals may be missing from the decision log", a.reviewsInFlight(), shutdownTimeout, refused);
    }
    try {
      store.releaseLeases();
    } catch (RuntimeException e) {
      LOG.warn("AIMS could not release approval leases of instance {}; other instances take over when they lapse",
          instance, e);
    }
    if (ownsStore) {
      store.close(); // a store given to the builder is its creator's to close
    }
  }

  @Override
  public String toString() {
    return "ApprovalService[" + instance + ", " + store + "]";
  }

  /** Builds an {@link ApprovalService}. Each setting may be given once; a second call fails with its name. */
  public static final class Builder {
    private final Map<String, ReviewPolicy> policies = new HashMap<>();
    private final List<Notifier> notifiers = new ArrayList<>();
    private final Map<String, ContinuationHandler> continuations = new HashMap<>();
    private @Nullable Clock clock;
    private @Nullable ApprovalStore store;
    private @Nullable ReviewerContext reviewers;
    private @Nullable ReviewPolicy defaultPolicy;
    private @Nullable DecisionLog log;
    private @Nullable EventEncoder encoder;
    private @Nullable MeterRegistry registry;
    private @Nullable String instance;
    private @Nullable Executor continuationExecutor;
    private @Nullable ScheduledExecutorService scheduler;
    private int minRationale = RationalePolicy.DEFAULT_MIN_VISIBLE;
    private @Nullable RationalePolicy rationale;
    private Duration rubberStampFloor = Duration.ofSeconds(10);
    private String adminRole = DEFAULT_ADMIN_ROLE;
    private Duration sweepEvery = Duration.ofSeconds(1);
    private Duration lease = Duration.ofSeconds(30);
    private int maxActionBytes = 256 * 1024;
    private Duration stopStateMaxAge = DEFAULT_STOP_STATE_MAX_AGE;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    /** Required: where reviewer identity and roles come from. */
    public Builder reviewers(ReviewerContext context) {
      this.reviewers = once(this.reviewers, context, "reviewers");
      return this;
    }

    /** The review policy of one AI system; systems without one use the default policy. */
    public Builder policy(String system, ReviewPolicy policy) {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(policy, "policy");
      if (policies.putIfAbsent(system, policy) != null) {
        throw new IllegalStateException("review policy for system '" + system + "' was already set");
      }
      return this;
    }

    /** The policy of systems without their own (default: one tier, role AIMS_REVIEWER, 24 hours, one approver). */
    public Builder defaultPolicy(ReviewPolicy policy) {
      this.defaultPolicy = once(this.defaultPolicy, policy, "defaultPolicy");
      return this;
    }

    /**
     * Default: a bounded in-memory store, which {@link ApprovalService#close} closes. A store given
     * here is the caller's: the service uses it and releases its leases at close, but does not close it.
     */
    public Builder store(ApprovalStore store) {
      this.store = once(this.store, store, "store");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /**
     * Where {@code approval.escalated} (and the ends of requests settled without a caller) are
     * recorded. Default: the log of the {@link Aims} given to {@link ApprovalService#attach}, through
     * {@link Aims#record}; give one only to record elsewhere.
     */
    public Builder decisionLog(DecisionLog log) {
      this.log = once(this.log, log, "decisionLog");
      return this;
    }

    /**
     * The encoder (and so the redaction rules) for events and for the outputs reviewers see: use the
     * same redactors as the Aims instance. Default: the attached {@link Aims}'s
     * ({@link Aims#encoder}); before {@code attach}, no redaction.
     */
    public Builder encoder(EventEncoder encoder) {
      this.encoder = once(this.encoder, encoder, "encoder");
      return this;
    }

    /** Adds a notifier; several may be added. */
    public Builder notifier(Notifier notifier) {
      notifiers.add(Objects.requireNonNull(notifier, "notifier"));
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = once(this.registry, registry, "meterRegistry");
      return this;
    }

    /**
     * Fewest letters or digits a rationale for approve, reject, override and escalate must have
     * (default 10; whitespace, control and format characters do not count). The same as
     * {@code rationale(RationalePolicy.ofDefaults().withMinVisible(chars))}; set one of the two.
     */
    public Builder minRationaleLength(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("minRationaleLength must be >= 1 (a rationale is required) but was " + chars);
      }
      this.minRationale = onceInt("minRationaleLength", chars);
      return this;
    }

    /**
     * The bounds on rationales and refused attempts (default {@link RationalePolicy#ofDefaults()}:
     * at least 10 letters or digits, at most 4 KiB, 32 refused attempts stored per request, 30
     * refusals per reviewer a minute).
     */
    public Builder rationale(RationalePolicy policy) {
      this.rationale = once(this.rationale, policy, "rationale");
      return this;
    }

    private RationalePolicy rationalePolicy() {
      return rationale != null ? rationale : RationalePolicy.ofDefaults().withMinVisible(minRationale);
    }

    /** Approvals decided faster than this after the request reached the tier count as rubber stamps (default 10 s). */
    public Builder rubberStampFloor(Duration floor) {
      Objects.requireNonNull(floor, "rubberStampFloor");
      if (floor.isNegative()) {
        throw new IllegalArgumentException("rubberStampFloor must be >= 0 but was " + floor);
      }
      mark("rubberStampFloor");
      this.rubberStampFloor = floor;
      return this;
    }

    /** The role stop and resume need (default AIMS_ADMIN). */
    public Builder adminRole(String role) {
      requireText(role, "adminRole");
      mark("adminRole");
      this.adminRole = role;
      return this;
    }

    /** How often the service's thread sweeps deadlines (default 1 s); {@code Duration.ZERO}: only when {@link #sweep()} is called. */
    public Builder sweepEvery(Duration every) {
      Objects.requireNonNull(every, "sweepEvery");
      if (every.isNegative() || (!every.isZero() && every.toMillis() < 1)) {
        throw new IllegalArgumentException("sweepEvery must be zero or at least 1 ms but was " + every);
      }
      mark("sweepEvery");
      this.sweepEvery = every;
      return this;
    }

    /** This instance's id in a shared store (default: random per start). */
    public Builder instanceId(String id) {
      requireText(id, "instanceId");
      this.instance = once(this.instance, id, "instanceId");
      return this;
    }

    /** How long this instance vouches for the callers it has waiting (default 30 s; renewed at each sweep). */
    public Builder ownerLease(Duration lease) {
      Objects.requireNonNull(lease, "ownerLease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("ownerLease must be positive but was " + lease);
      }
      mark("ownerLease");
      this.lease = lease;
      return this;
    }

    /** Largest action (the call's action parameters, else the proposed output, as JSON) a request is bound to (default 256 KiB); larger REVIEWs are refused. */
    public Builder maxActionBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxActionBytes must be >= 1024 but was " + bytes);
      }
      this.maxActionBytes = onceInt("maxActionBytes", bytes);
      return this;
    }

    /**
     * How long this instance goes on with the stop switch state it last read from a store it can no
     * longer read (default 30 s); after that, and at {@link ApprovalService#attach} if the state
     * cannot be read at all, every system of its {@code Aims} is held stopped (recorded as
     * {@code system.stopped} by {@link ApprovalService#HOLD_ACTOR_ID}) until the state can be read,
     * so a stop pressed elsewhere meanwhile is never missed for longer. The state is read at each
     * sweep, so the hold starts at the first sweep past this age. {@code Duration.ZERO}: at the first
     * failed read.
     */
    public Builder stopStateMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "stopStateMaxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("stopStateMaxAge must be >= 0 but was " + maxAge);
      }
      mark("stopStateMaxAge");
      this.stopStateMaxAge = maxAge;
      return this;
    }

    /** Runs approved actions of a use case whose caller is gone (see {@link ContinuationHandler}). */
    public Builder onApproved(String useCase, ContinuationHandler handler) {
      requireText(useCase, "useCase");
      Objects.requireNonNull(handler, "handler");
      if (continuations.putIfAbsent(useCase, handler) != null) {
        throw new IllegalStateException("a continuation handler for use case '" + useCase + "' was already set");
      }
      return this;
    }

    /**
     * The executor the sweep runs on (and continuations, unless {@link #continuationExecutor} is
     * given), e.g. the application's managed scheduler. Default: one daemon thread of the service's
     * own. A given scheduler is the application's: {@link #close} cancels the service's sweep on it
     * and does not shut it down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = once(this.scheduler, Objects.requireNonNull(scheduler, "scheduler"), "scheduler");
      return this;
    }

    /**
     * How long {@link ApprovalService#close} waits, after refusing the callers waiting for review,
     * for their governed calls to write the refusal (default 10 s).
     */
    public Builder shutdownTimeout(Duration timeout) {
      mark("shutdownTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative: " + timeout);
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Where continuation handlers run (default: the scheduler). */
    public Builder continuationExecutor(Executor executor) {
      this.continuationExecutor = once(this.continuationExecutor, executor, "continuationExecutor");
      return this;
    }

    /**
     * @throws IllegalStateException if no reviewer context was given
     */
    public ApprovalService build() {
      if (reviewers == null) {
        throw new IllegalStateException("reviewers(ReviewerContext) is required: reviewer identity and roles come from"
            + " the authenticated context, never from request text");
      }
      if (rationale != null && set.contains("minRationaleLength")) {
        throw new IllegalStateException("set the rationale's minimum with rationale(...) or minRationaleLength(...),"
            + " not both");
      }
      return new ApprovalService(this);
    }

    private void mark(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private int onceInt(String name, int value) {
      mark(name);
      return value;
    }

    private static <T> T once(@Nullable T current, T value, String name) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
      return value;
    }
  }
}
