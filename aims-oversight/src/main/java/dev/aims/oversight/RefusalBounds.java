package dev.aims.oversight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The per-instance bounds of {@link RationalePolicy} on refused attempts: how many are stored per
 * request and how many a reviewer may make per window. Memory is bounded too: at most 100,000
 * requests and 10,000 reviewers are tracked, the least recent forgotten first.
 */
final class RefusalBounds {
  private final RationalePolicy policy;
  private final Clock clock;
  private final Cache<UUID, AtomicInteger> storedPerRequest =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofDays(1)).build();
  private final Cache<String, Window> perReviewer;

  RefusalBounds(RationalePolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
    this.perReviewer = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(policy.refusalWindow()).build();
  }

  /** When {@code reviewer} may act again, or null when they may act now. */
  @Nullable Instant limitedUntil(Reviewer reviewer) {
    Window w = perReviewer.getIfPresent(Reviewer.identityKey(reviewer.id()));
    return w == null ? null : w.limitedUntil(clock.instant(), policy);
  }

  /** Counts one refused attempt of {@code reviewer}. */
  void refused(Reviewer reviewer) {
    perReviewer.get(Reviewer.identityKey(reviewer.id()), k -> new Window()).count(clock.instant(), policy);
  }

  /** Whether one more refused attempt on {@code request} is stored (counts it). */
  boolean store(UUID request) {
    return storedPerRequest.get(request, k -> new AtomicInteger()).incrementAndGet() <= policy.maxRefusedPerRequest();
  }

  /** A fixed window of refusals. */
  private static final class Window {
    private @Nullable Instant start;
    private int count;

    synchronized void count(Instant now, RationalePolicy p) {
      if (start == null || !now.isBefore(start.plus(p.refusalWindow()))) {
        start = now;
        count = 0;
      }
      count++;
    }

    synchronized @Nullable Instant limitedUntil(Instant now, RationalePolicy p) {
      if (start == null) {
        return null;
      }
      Instant end = start.plus(p.refusalWindow());
      return count >= p.maxRefusalsPerReviewer() && now.isBefore(end) ? end : null;
    }
  }
}
