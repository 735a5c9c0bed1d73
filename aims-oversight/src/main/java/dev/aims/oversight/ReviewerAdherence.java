package dev.aims.oversight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Per-reviewer counts and times, bounded to the most active reviewers. Thread-safe. */
final class ReviewerAdherence {
  static final int MAX_REVIEWERS = 10_000;

  private static final class Counts {
    final LongAdder approvals = new LongAdder();
    final LongAdder overrides = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder escalations = new LongAdder();
    final LongAdder rubberStamps = new LongAdder();
    final LongAdder decisions = new LongAdder();
    final LongAdder totalNanos = new LongAdder();
    final AtomicLong maxNanos = new AtomicLong();
  }

  private final Cache<String, Counts> reviewers = Caffeine.newBuilder().maximumSize(MAX_REVIEWERS)
      .executor(Runnable::run).build();

  void record(String reviewer, ReviewAction action, Duration took, boolean rubberStamp) {
    Counts c = reviewers.get(reviewer, k -> new Counts());
    switch (action) {
      case APPROVE -> c.approvals.increment();
      case OVERRIDE -> c.overrides.increment();
      case REJECT -> c.rejections.increment();
      case ESCALATE -> c.escalations.increment();
    }
    if (rubberStamp) {
      c.rubberStamps.increment();
    }
    long nanos = Math.max(0, took.toNanos());
    c.decisions.increment();
    c.totalNanos.add(nanos);
    c.maxNanos.accumulateAndGet(nanos, Math::max);
  }

  Optional<ReviewerStats> of(String reviewer) {
    Counts c = reviewers.getIfPresent(reviewer);
    return c == null ? Optional.empty() : Optional.of(snapshot(reviewer, c));
  }

  List<ReviewerStats> all() {
    List<ReviewerStats> out = new ArrayList<>();
    reviewers.asMap().forEach((id, c) -> out.add(snapshot(id, c)));
    out.sort(Comparator.comparing(ReviewerStats::reviewer));
    return out;
  }

  private static ReviewerStats snapshot(String reviewer, Counts c) {
    long n = c.decisions.sum();
    return new ReviewerStats(reviewer, c.approvals.sum(), c.overrides.sum(), c.rejections.sum(),
        c.escalations.sum(), c.rubberStamps.sum(), Duration.ofNanos(n == 0 ? 0 : c.totalNanos.sum() / n),
        Duration.ofNanos(c.maxNanos.get()));
  }
}
