package dev.aims.oversight;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-reviewer counts and times, bounded to the most active reviewers. The median comes from a
 * reservoir sample (Vitter's algorithm R) of at most {@link ReviewerStats#MEDIAN_SAMPLE} times per
 * reviewer: each decision seen so far is in it with the same probability, so memory is fixed (at
 * most 1 KiB per reviewer, 10 MiB for {@value #MAX_REVIEWERS}) and the median is exact until the
 * sample is full. Thread-safe.
 */
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
    /** Grows to {@link ReviewerStats#MEDIAN_SAMPLE} only for reviewers who decide that often. */
    private long[] sample = new long[8];
    private int kept;
    private long seen;

    /** Human actions are rare: a lock per reviewer is cheap here. */
    synchronized void sample(long nanos) {
      seen++;
      if (kept < ReviewerStats.MEDIAN_SAMPLE) {
        if (kept == sample.length) {
          sample = Arrays.copyOf(sample, Math.min(ReviewerStats.MEDIAN_SAMPLE, kept * 2));
        }
        sample[kept++] = nanos;
        return;
      }
      long slot = ThreadLocalRandom.current().nextLong(seen);
      if (slot < kept) {
        sample[(int) slot] = nanos;
      }
    }

    synchronized long median() {
      if (kept == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(sample, kept);
      Arrays.sort(sorted);
      int mid = kept / 2;
      return kept % 2 == 1 ? sorted[mid] : sorted[mid - 1] + (sorted[mid] - sorted[mid - 1]) / 2;
    }
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
    c.sample(nanos);
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
        Duration.ofNanos(c.median()), Duration.ofNanos(c.maxNanos.get()));
  }
}
