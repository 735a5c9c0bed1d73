package dev.aims.core.monitor;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of {@code slices} histograms of {@code width} bins. A value is recorded under a key — its
 * sequence number in a count window, its time in milliseconds in a time window — and lands in the
 * slice of epoch {@code key / sliceLength}. Recording is lock-free: the slice being written is
 * cached in one packed {@code long}, so the common case is one volatile read, two comparisons, an
 * atomic increment and, for numeric values, an atomic add to the bin's sum. A slice is cleared,
 * under a lock, only by the first writer of a new epoch, once per slice length.
 *
 * <p>A writer that read the cursor just before its slice was recycled adds its value to the new
 * epoch: counts are never lost, a value can at worst land one slice late.
 */
final class SliceRing {
  private static final int SLOT_BITS = 20;
  private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  private static final long MAX_CACHED_EPOCH = 1L << 42;

  final int slices;
  final int width;
  final long sliceLength;
  private final AtomicLongArray counts;
  private final AtomicLongArray sums; // raw long bits of doubles; length 0 without sums
  private final AtomicLongArray epochs;
  private final boolean withSums;
  /** The epoch being written and its slot, packed as {@code epoch << 20 | slot}; -1 for none. */
  private volatile long cursor = -1;

  SliceRing(int slices, int width, long sliceLength, boolean withSums) {
    this.slices = slices;
    this.width = width;
    this.sliceLength = Math.max(1, sliceLength);
    this.withSums = withSums;
    this.counts = new AtomicLongArray(slices * width);
    this.sums = new AtomicLongArray(withSums ? slices * width : 0);
    this.epochs = new AtomicLongArray(slices);
    for (int s = 0; s < slices; s++) {
      epochs.set(s, -1);
    }
  }

  long epochOf(long key) {
    return Math.max(0, key) / sliceLength;
  }

  void add(long key, int bin, double value) {
    int i = base(key) + bin;
    counts.getAndIncrement(i);
    if (withSums) {
      long prev;
      long next;
      do {
        prev = sums.get(i);
        next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + value);
      } while (!sums.weakCompareAndSetVolatile(i, prev, next));
    }
  }

  void increment(long key, int bin) {
    counts.getAndIncrement(base(key) + bin);
  }

  private int base(long key) {
    long c = cursor;
    if (c >= 0) {
      long start = (c >>> SLOT_BITS) * sliceLength;
      if (key >= start && key - start < sliceLength) {
        return (int) (c & SLOT_MASK) * width;
      }
    }
    return slowBase(key);
  }

  private int slowBase(long key) {
    long epoch = epochOf(key);
    int s = (int) (epoch % slices);
    if (epochs.get(s) < epoch) {
      recycle(s, epoch);
    }
    long c = cursor;
    if ((c < 0 || epoch > c >>> SLOT_BITS) && epoch < MAX_CACHED_EPOCH) {
      publish(epoch, s);
    }
    return s * width;
  }

  private synchronized void publish(long epoch, int s) {
    long c = cursor;
    if ((c < 0 || epoch > c >>> SLOT_BITS) && epochs.get(s) == epoch) {
      cursor = epoch << SLOT_BITS | s;
    }
  }

  private synchronized void recycle(int s, long epoch) {
    if (epochs.get(s) >= epoch) {
      return;
    }
    int base = s * width;
    for (int b = 0; b < width; b++) {
      counts.set(base + b, 0);
      if (withSums) {
        sums.set(base + b, 0);
      }
    }
    epochs.set(s, epoch);
  }

  /** The sum of the slices whose epoch is in {@code [from, to]}. */
  Histogram sum(long from, long to) {
    long[] c = new long[width];
    double[] sm = new double[withSums ? width : 0];
    for (int s = 0; s < slices; s++) {
      long e = epochs.get(s);
      if (e < from || e > to || e < 0) {
        continue;
      }
      int base = s * width;
      for (int b = 0; b < width; b++) {
        c[b] += counts.get(base + b);
        if (withSums) {
          sm[b] += Double.longBitsToDouble(sums.get(base + b));
        }
      }
    }
    return Histogram.of(c, sm);
  }

  long bytes() {
    return Memory.OBJECT + 4 * (Memory.OBJECT + Memory.REFERENCE) + 16
        + Memory.array(slices * width, 8) + Memory.array(withSums ? slices * width : 0, 8)
        + Memory.array(slices, 8);
  }
}
