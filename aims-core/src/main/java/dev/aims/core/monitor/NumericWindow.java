package dev.aims.core.monitor;

import org.jspecify.annotations.Nullable;

/** The current (and, for a rolling reference, previous) window of a numeric feature. */
abstract class NumericWindow {
  /** Raw sorted values, or a histogram over the reference's fine bins. */
  record Sample(double @Nullable [] sorted, @Nullable Histogram histogram) {
    long count() {
      return sorted != null ? sorted.length : histogram.total();
    }

    Histogram histogram(Bins bins) {
      return histogram != null ? histogram : Histogram.of(bins, sorted);
    }
  }

  abstract void add(double value, long nowMillis);

  abstract Sample current(long nowMillis);

  /** The window before the current one (rolling references only). */
  abstract Sample previous(long nowMillis);

  abstract long bytes();

  static NumericWindow create(Window w, @Nullable Bins bins, boolean rolling) {
    if (w.isExact()) {
      return new Exact(w.count(), rolling);
    }
    if (bins == null) {
      throw new IllegalStateException("a binned window needs bins");
    }
    return new Binned(w, bins, rolling);
  }

  /** A ring of raw values: every statistic is exact. */
  static final class Exact extends NumericWindow {
    private final ExactRing ring;
    private final int n;

    Exact(int n, boolean rolling) {
      this.n = n;
      this.ring = new ExactRing(rolling ? 2 * n : n);
    }

    @Override
    void add(double value, long nowMillis) {
      ring.add(value);
    }

    @Override
    Sample current(long nowMillis) {
      return new Sample(ring.sorted(n, 0, ring.recorded()), null);
    }

    @Override
    Sample previous(long nowMillis) {
      long recorded = ring.recorded();
      return new Sample(ring.sorted(n, (int) Math.min(n, recorded), recorded), null);
    }

    @Override
    long bytes() {
      return Memory.OBJECT + Memory.REFERENCE + 4 + ring.bytes();
    }
  }

  /** A ring of histogram slices by count or by time. */
  static final class Binned extends NumericWindow {
    private final Bins bins;
    private final SliceRing ring;
    private final int slices;
    private final boolean timeBased;

    Binned(Window w, Bins bins, boolean rolling) {
      this.bins = bins;
      this.slices = w.slices();
      this.timeBased = w.isTimeBased();
      long sliceLength = timeBased ? w.duration().toMillis() / slices : (w.count() + slices - 1) / slices;
      int n = rolling ? 2 * slices : slices;
      this.ring = timeBased ? new SliceRing(n, bins.fineBins(), sliceLength, true)
          : SliceRing.byCount(n, bins.fineBins(), sliceLength, true);
    }

    private long latest(long nowMillis) {
      return timeBased ? ring.epochOf(nowMillis) : ring.currentEpoch();
    }

    @Override
    void add(double value, long nowMillis) {
      int bin = bins.fine(value);
      if (timeBased) {
        ring.add(nowMillis, bin, value);
      } else {
        ring.addNext(bin, value);
      }
    }

    @Override
    Sample current(long nowMillis) {
      long e = latest(nowMillis);
      return new Sample(null, ring.sum(e - slices + 1, e));
    }

    @Override
    Sample previous(long nowMillis) {
      long e = latest(nowMillis);
      return new Sample(null, ring.sum(e - 2L * slices + 1, e - slices));
    }

    @Override
    long bytes() {
      return Memory.OBJECT + 2 * Memory.REFERENCE + 8 + ring.bytes();
    }
  }
}
