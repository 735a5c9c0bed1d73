package dev.aims.oversight;

import dev.aims.core.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where approval requests live. Choose one of the built-ins and hand it to
 * {@link ApprovalService.Builder#store(ApprovalStore)}; one store object serves one service.
 *
 * <ul>
 *   <li>{@link #inMemory()}: the default. One process; bounded (pending requests up to a maximum,
 *       resolved ones retained for a while); gone when the process ends.
 *   <li>{@link #postgres(DataSource)}: for several instances and for requests that must outlive a
 *       restart. Requests and review attempts in tables; each decision is one conditional UPDATE;
 *       expiry sweeps lock with {@code FOR UPDATE SKIP LOCKED}; waiting instances are woken with
 *       {@code LISTEN/NOTIFY}. The stop switch of each AI system is shared the same way: a press on
 *       one instance is written to a table and every instance on the database applies it.
 * </ul>
 *
 * Both guarantee exactly one terminal transition per request: every change runs the same rules
 * inside one atomic section and is written only if the request is still as the rules saw it.
 */
public abstract class ApprovalStore implements AutoCloseable {
  /** Default cap on PENDING requests in memory; beyond it new REVIEW decisions are refused. */
  public static final int DEFAULT_MAX_PENDING = 10_000;
  /** Default cap on resolved requests kept in memory (oldest-used evicted first). */
  public static final int DEFAULT_MAX_RESOLVED = 10_000;
  /** Default time a resolved request stays readable. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

  ApprovalStore() {}

  /** An in-memory store with the default bounds. */
  public static ApprovalStore inMemory() {
    return inMemory(DEFAULT_MAX_PENDING, DEFAULT_MAX_RESOLVED, DEFAULT_RETENTION);
  }

  /**
   * An in-memory store.
   *
   * @param maxPending PENDING requests held at most; a REVIEW decision beyond it is refused (never
   *     allowed, never evicted silently)
   * @param maxResolved resolved requests kept at most
   * @param retention how long a resolved request stays readable
   */
  public static ApprovalStore inMemory(int maxPending, int maxResolved, Duration retention) {
    return new InMemoryApprovalStore(maxPending, maxResolved, retention);
  }

  /**
   * A PostgreSQL store on {@code dataSource} (needs {@code org.postgresql:postgresql}); creates its
   * tables if they are missing. Resolved requests are kept for {@link #DEFAULT_RETENTION_DB}.
   */
  public static ApprovalStore postgres(DataSource dataSource) {
    return postgres(dataSource, DEFAULT_RETENTION_DB);
  }

  /** Default time a resolved request stays in the PostgreSQL tables. */
  public static final Duration DEFAULT_RETENTION_DB = Duration.ofDays(90);

  /** A PostgreSQL store keeping resolved requests for {@code retention}. */
  public static ApprovalStore postgres(DataSource dataSource, Duration retention) {
    return new PostgresApprovalStore(Objects.requireNonNull(dataSource, "dataSource"), retention);
  }

  // ---- what the service needs (package-private: the lifecycle rules live in Lifecycle) --------

  /** What a shared store tells its service about changes made by other instances (PostgreSQL NOTIFY). */
  interface ChangeListener {
    /**
     * Requests that reached a terminal state, in batches: every notice that arrived together. A
     * notice that does not say the new state (from an older version) is passed on as well.
     */
    void requestsEnded(List<UUID> ids);

    /** The shared stop switch state changed (or notices may have been missed): read it again. */
    void controlsChanged();
  }

  /** Starts the store for one service; {@code changes} is told about changes other instances make. */
  abstract void open(Clock clock, String instance, ChangeListener changes);

  /**
   * Stores a new PENDING request, unless it has an idempotency key that a stored request already
   * has: then nothing is stored and that request is returned (one request per key).
   */
  abstract StoredRequest create(StoredRequest request);

  /**
   * Makes {@code owner} the instance whose caller waits for the request (a retry with the same
   * idempotency key), unless its end was already handed out; true if it did.
   */
  abstract boolean adopt(UUID id, String owner, Instant lease);

  /**
   * PENDING requests whose caller is gone: their owner is another instance that released its
   * leases (it shut down) or let them lapse (it died).
   */
  abstract List<StoredRequest> abandoned(Instant now, int limit);

  abstract @Nullable StoredRequest find(UUID id);

  abstract ApprovalPage list(ApprovalQuery query);

  abstract List<ReviewAttempt> attempts(UUID id);

  /**
   * Runs {@code rule} on the request's current state and the store's time ("now": the clock in
   * memory, the database's clock in PostgreSQL, read inside the row lock) and writes its step
   * atomically: the attempt, and the new state only if the request is unchanged since the rule
   * read it. Null if no such request.
   */
  abstract Lifecycle.@Nullable Step apply(UUID id, BiFunction<StoredRequest, Instant, Lifecycle.Step> rule);

  /**
   * Marks an ended request whose caller is gone as handed over: only if its owner is this instance
   * or its owner's lease has lapsed by the store's time. True only for the one caller that did it.
   */
  abstract boolean settleOrphan(UUID id);

  /** Applies the clock's rule to PENDING requests past their deadline, skipping ones another instance holds. */
  abstract List<Lifecycle.Step> sweep(Instant now, int limit);

  /** Ids of the system's PENDING requests. */
  abstract List<UUID> pendingOf(String system);

  /** How many of the system's requests are PENDING. */
  abstract long openCount(String system);

  /** How many of the system's PENDING requests are due ({@code deadline <= now}) and not yet swept. */
  abstract long overdueCount(String system, Instant now);

  /** Marks an ended request as handed over; true only for the one caller that did it. */
  abstract boolean settle(UUID id);

  /**
   * Marks the ended requests among {@code ids} as handed over, in one step; returns the ones this
   * caller settled (as they are now). Ids still PENDING, unknown or settled before are left out.
   */
  abstract List<StoredRequest> settleEnded(Collection<UUID> ids);

  /** Marks an APPROVED request's action as used; true only for the one caller that did it. */
  abstract boolean consume(UUID id, Instant now);

  /** Ended requests nobody settled whose owner is this instance or has let its lease lapse. */
  abstract List<StoredRequest> unsettled(Instant now, int limit);

  /** Extends this instance's lease on the requests it owns and has not settled. */
  abstract void renewLeases(Instant until);

  /** Gives up this instance's leases at once (graceful shutdown): others settle its requests. */
  abstract void releaseLeases();

  /** Ids among {@code ids} that are no longer PENDING (catching up on missed notifications). */
  abstract List<UUID> ended(List<UUID> ids);

  // ---- the shared stop switch -------------------------------------------------------------------

  /** The stop switch of every system that was ever pressed through this store. */
  abstract List<SystemControl> controls();

  /**
   * Presses a system's stop switch in the store: writes the new state if it differs from the
   * stored one and, when {@code expectedVersion >= 0}, only if the stored version is still that
   * (0: never pressed). A change is announced to the other instances. Returns the stored state
   * after the call, changed or not.
   */
  abstract SystemControl press(String system, boolean stop, String reason, Actor actor, Instant at, String instance,
      long expectedVersion);

  @Override
  public abstract void close();
}
