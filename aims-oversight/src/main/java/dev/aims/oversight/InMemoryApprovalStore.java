package dev.aims.oversight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.aims.core.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Requests in one Caffeine cache. PENDING requests weigh 0 and never expire, so size and time
 * eviction only ever remove resolved ones; the number of PENDING requests is capped separately and
 * a request over the cap is refused, not evicted. Each change is one {@code computeIfPresent} on
 * the request's key: the atomic section the lifecycle rules run in.
 */
final class InMemoryApprovalStore extends ApprovalStore {
  /** Caffeine caps "never" at about 146 years; anything left above 70 years was a PENDING entry. */
  private static final long STILL_PENDING = Long.MAX_VALUE >> 2;
  private final int maxPending;
  private final int maxResolved;
  private final Duration retention;
  private final AtomicInteger pending = new AtomicInteger();
  private final ConcurrentMap<String, AtomicInteger> pendingBySystem = new ConcurrentHashMap<>();
  private volatile Clock clock = Clock.systemUTC();
  private volatile @Nullable Cache<UUID, StoredRequest> cache;
  /** The stop switch per system: one service per store, so nobody else reads it; kept for one code path. */
  private final ConcurrentMap<String, SystemControl> controls = new ConcurrentHashMap<>();
  /** Idempotency key to request id; a key whose request was evicted is taken by the next request. */
  private final ConcurrentMap<String, UUID> keys = new ConcurrentHashMap<>();

  InMemoryApprovalStore(int maxPending, int maxResolved, Duration retention) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1 but was " + maxPending);
    }
    if (maxResolved < 0) {
      throw new IllegalArgumentException("maxResolved must be >= 0 but was " + maxResolved);
    }
    if (retention == null || retention.isNegative()) {
      throw new IllegalArgumentException("retention must be >= 0 but was " + retention);
    }
    this.maxPending = maxPending;
    this.maxResolved = maxResolved;
    this.retention = retention;
  }

  @Override
  synchronized void open(Clock clock, String instance, ChangeListener changes) {
    if (cache != null) {
      throw new IllegalStateException("this approval store already serves an ApprovalService; build one store per service");
    }
    this.clock = clock;
    long keep = retention.toNanos();
    cache = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(this::nanos)
        .maximumWeight(maxResolved)
        .<UUID, StoredRequest>weigher((id, r) -> r.request().status().terminal() ? 1 : 0)
        .expireAfter(new Expiry<UUID, StoredRequest>() {
          @Override
          public long expireAfterCreate(UUID id, StoredRequest r, long now) {
            return r.request().status().terminal() ? keep : Long.MAX_VALUE;
          }

          @Override
          public long expireAfterUpdate(UUID id, StoredRequest r, long now, long current) {
            // retention counts from the end of the request: later bookkeeping (settle, consume) keeps the clock
            return !r.request().status().terminal() ? Long.MAX_VALUE : current > STILL_PENDING ? keep : current;
          }

          @Override
          public long expireAfterRead(UUID id, StoredRequest r, long now, long current) {
            return current;
          }
        })
        .build();
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private Cache<UUID, StoredRequest> cache() {
    Cache<UUID, StoredRequest> c = cache;
    if (c == null) {
      throw new IllegalStateException("the approval store is not open; hand it to ApprovalService.builder().store(...)");
    }
    return c;
  }

  @Override
  StoredRequest create(StoredRequest request) {
    String key = request.idempotencyKey();
    if (key != null) {
      UUID id = request.request().id();
      while (true) {
        UUID had = keys.putIfAbsent(key, id);
        if (had == null || had.equals(id)) {
          break;
        }
        StoredRequest existing = find(had);
        if (existing != null) {
          return existing;
        }
        keys.remove(key, had); // its request is no longer retained: the key starts afresh
      }
    }
    try {
      insert(request);
    } catch (RuntimeException e) {
      if (key != null) {
        keys.remove(key, request.request().id());
      }
      throw e;
    }
    return request;
  }

  private void insert(StoredRequest request) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      throw new ApprovalStoreException("the in-memory approval store holds its maximum of " + maxPending
          + " pending requests; decision " + request.request().id() + " is refused. Resolve pending requests,"
          + " raise maxPending, or use the PostgreSQL store", request.request().id(), null);
    }
    // counted before it becomes visible: a reviewer may end it the moment it is in the map
    AtomicInteger ofSystem = pendingBySystem.computeIfAbsent(request.request().system(), s -> new AtomicInteger());
    ofSystem.incrementAndGet();
    if (cache().asMap().putIfAbsent(request.request().id(), request) != null) {
      pending.decrementAndGet();
      ofSystem.decrementAndGet();
      throw new IllegalStateException("an approval request with id " + request.request().id() + " already exists");
    }
  }

  @Override
  @Nullable StoredRequest find(UUID id) {
    return cache().getIfPresent(id);
  }

  @Override
  ApprovalPage list(ApprovalQuery query) {
    List<ApprovalRequest> matching = new ArrayList<>();
    for (StoredRequest r : cache().asMap().values()) {
      if (query.matches(r.request())) {
        matching.add(r.request());
      }
    }
    matching.sort(query.descending() ? (a, b) -> Ids.compare(b.id(), a.id()) : (a, b) -> Ids.compare(a.id(), b.id()));
    if (matching.size() <= query.limit()) {
      return new ApprovalPage(matching, null);
    }
    List<ApprovalRequest> page = matching.subList(0, query.limit());
    return new ApprovalPage(page, page.get(page.size() - 1).id());
  }

  @Override
  List<ReviewAttempt> attempts(UUID id) {
    StoredRequest r = find(id);
    return r == null ? List.of() : r.attempts();
  }

  @Override
  Lifecycle.@Nullable Step apply(UUID id, BiFunction<StoredRequest, Instant, Lifecycle.Step> rule) {
    Lifecycle.Step[] step = new Lifecycle.Step[1];
    cache().asMap().computeIfPresent(id, (key, cur) -> {
      Lifecycle.Step s = rule.apply(cur, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
      step[0] = s;
      StoredRequest next = s.current();
      if (s.attempt() != null) {
        next = next.withAttempt(s.attempt());
      }
      return next;
    });
    Lifecycle.Step s = step[0];
    if (s != null && s.ended()) {
      pending.decrementAndGet();
      pendingBySystem.computeIfAbsent(s.before().request().system(), k -> new AtomicInteger()).decrementAndGet();
    }
    return s;
  }

  @Override
  List<Lifecycle.Step> sweep(Instant now, int limit) {
    List<Lifecycle.Step> steps = new ArrayList<>();
    for (StoredRequest r : cache().asMap().values()) {
      if (steps.size() >= limit) {
        break;
      }
      ApprovalRequest q = r.request();
      if (q.status() == ApprovalStatus.PENDING && !now.isBefore(q.deadline())) {
        Lifecycle.Step s = apply(q.id(), (cur, at) -> Lifecycle.timeout(cur, now));
        if (s != null && s.after() != null) {
          steps.add(s);
        }
      }
    }
    return steps;
  }

  @Override
  List<UUID> pendingOf(String system) {
    List<UUID> ids = new ArrayList<>();
    for (StoredRequest r : cache().asMap().values()) {
      if (r.request().status() == ApprovalStatus.PENDING && r.request().system().equals(system)) {
        ids.add(r.request().id());
      }
    }
    return ids;
  }

  @Override
  long openCount(String system) {
    AtomicInteger n = pendingBySystem.get(system);
    return n == null ? 0 : n.get();
  }

  @Override
  long overdueCount(String system, Instant now) {
    long n = 0;
    for (StoredRequest r : cache().asMap().values()) {
      ApprovalRequest q = r.request();
      if (q.status() == ApprovalStatus.PENDING && q.system().equals(system) && !q.deadline().isAfter(now)) {
        n++;
      }
    }
    return n;
  }

  @Override
  boolean settle(UUID id) {
    boolean[] won = new boolean[1];
    cache().asMap().computeIfPresent(id, (key, cur) -> {
      if (cur.settled() || !cur.request().status().terminal()) {
        return cur;
      }
      won[0] = true;
      return cur.settledNow();
    });
    return won[0];
  }

  @Override
  boolean settleOrphan(UUID id) {
    return settle(id); // one process: the owner is this instance
  }

  @Override
  List<StoredRequest> settleEnded(Collection<UUID> ids) {
    List<StoredRequest> out = new ArrayList<>();
    for (UUID id : ids) {
      StoredRequest[] won = new StoredRequest[1];
      cache().asMap().computeIfPresent(id, (key, cur) -> {
        if (cur.settled() || !cur.request().status().terminal()) {
          return cur;
        }
        won[0] = cur.settledNow();
        return won[0];
      });
      if (won[0] != null) {
        out.add(won[0]);
      }
    }
    return out;
  }

  @Override
  boolean consume(UUID id, Instant now) {
    boolean[] won = new boolean[1];
    cache().asMap().computeIfPresent(id, (key, cur) -> {
      if (cur.consumedAt() != null || cur.request().status() != ApprovalStatus.APPROVED) {
        return cur;
      }
      won[0] = true;
      return cur.consumed(now);
    });
    return won[0];
  }

  @Override
  List<StoredRequest> unsettled(Instant now, int limit) {
    List<StoredRequest> out = new ArrayList<>();
    for (StoredRequest r : cache().asMap().values()) {
      if (out.size() >= limit) {
        break;
      }
      if (r.request().status().terminal() && !r.settled()) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  boolean adopt(UUID id, String owner, Instant lease) {
    boolean[] won = new boolean[1];
    cache().asMap().computeIfPresent(id, (key, cur) -> {
      if (cur.settled()) {
        return cur;
      }
      won[0] = true;
      return cur.adoptedBy(owner, lease);
    });
    return won[0];
  }

  @Override
  List<StoredRequest> abandoned(Instant now, int limit) {
    return List.of(); // one process: a caller gone is a closed service, which ended its requests
  }

  @Override
  void renewLeases(Instant until) {
    // one process: the owner is always this instance
  }

  @Override
  void releaseLeases() {}

  @Override
  List<UUID> ended(List<UUID> ids) {
    List<UUID> out = new ArrayList<>();
    for (UUID id : ids) {
      StoredRequest r = find(id);
      if (r == null || r.request().status().terminal()) {
        out.add(id);
      }
    }
    return out;
  }

  @Override
  List<SystemControl> controls() {
    List<SystemControl> out = new ArrayList<>(controls.values());
    out.sort(Comparator.comparing(SystemControl::system));
    return out;
  }

  @Override
  SystemControl press(String system, boolean stop, String reason, Actor actor, Instant at, String instance,
      long expectedVersion) {
    return controls.compute(system, (key, cur) -> {
      long version = cur == null ? 0 : cur.version();
      boolean state = cur != null && cur.stopped();
      if (cur != null && (state == stop || (expectedVersion >= 0 && version != expectedVersion))) {
        return cur;
      }
      return new SystemControl(system, stop, reason, actor, at, version + 1, instance);
    });
  }

  /** Entries held now, pending and resolved (for tests of the bound). */
  long size() {
    Cache<UUID, StoredRequest> c = cache();
    c.cleanUp();
    return c.estimatedSize();
  }

  @Override
  public void close() {
    Cache<UUID, StoredRequest> c = cache;
    if (c != null) {
      c.cleanUp();
    }
  }

  @Override
  public String toString() {
    return "InMemoryApprovalStore[maxPending=" + maxPending + ", maxResolved=" + maxResolved + ", retention="
        + retention + "]";
  }
}
