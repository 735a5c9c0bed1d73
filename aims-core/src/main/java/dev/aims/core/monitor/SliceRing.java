package dev.aims.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ring of {@code slices} histograms of {@code width} bins.
 *
 * <p><b>By key</b> ({@link #add}, {@link #increment}): a value is recorded under a key — its time
 * in milliseconds in a time window — and lands in the slice of epoch {@code key / sliceLength}.
 * The slice being written is cached in one packed {@code long}, so the common case is one volatile
 * read, two comparisons, an atomic increment and, for numeric values, an atomic add to the bin's
 * sum. A slice is cleared, under a lock, only by the first writer of a new epoch, once per slice
 * length.
 *
 * <p><b>By count</b> ({@link #byCount}, {@link #addNext}, {@link #incrementNext}): each slice takes
 * {@code sliceLength} values, then the next one starts. No sequence number is taken per value (it
 * would be one more atomic operation per record): the writer adds to the current slice and counts
 * down a plain (racy, never blocking) budget; when the budget is used up, a check under a lock
 * sums the slice's exact counts and either starts the next slice or grants half of what is left.
 * Single-threaded a slice therefore holds exactly {@code sliceLength} values (with about
 * {@code 1 + log2(sliceLength)} checks); under contention a countdown lost to a race lets a slice
 * take a few values more, never fewer, and counts are never lost.
 *
 * <p>A writer that read the cursor just before its slice was recycled adds its value to the new
 * epoch: counts are never lost, a value can at worst land one slice late.
 */
final class SliceRing {
  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle BUDGET;

  static {
    try {
      BUDGET = MethodHandles.lookup().findVarHandle(SliceRing.class, "budget", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  private static final int SLOT_BITS = 20;
  private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  private static final long MAX_CACHED_EPOCH = 1L << 42;

  final int slices;
  final int width;
  final long sliceLength;
  /** Atomic through {@link #CELL}. */
  private final long[] counts;
  /** Raw long bits of doubles, atomic through {@link #CELL}; length 0 without sums. */
  private final long[] sums;
  private final AtomicLongArray epochs;
  private final boolean withSums;
  /** The epoch being written and its slot, packed as {@code epoch << 20 | slot}; -1 for none. */
  private volatile long cursor = -1;
  /** By count: values the current slice may still take before the next check (opaque, racy). */
  @SuppressWarnings("unused")
  private long budget;

  SliceRing(int slices, int width, long sliceLength, boolean withSums) {
    this.slices = slices;
    this.width = width;
    this.sliceLength = Math.max(1, sliceLength);
    this.withSums = withSums;
    this.counts = new long[slices * width];
    this.sums = new long[withSums ? slices * width : 0];
    this.epochs = new AtomicLongArray(slices);
    for (int s = 0; s < slices; s++) {
      epochs.set(s, -1);
    }
  }

  /** A ring filled by count: epoch 0 is open from the start. */
  static SliceRing byCount(int slices, int width, long sliceLength, boolean withSums) {
    SliceRing r = new SliceRing(slices, width, sliceLength, withSums);
    r.epochs.set(0, 0);
    r.cursor = 0;
    return r;
  }

  /** By count: the epoch being written (0 before the first value). */
  long currentEpoch() {
    return cursor >>> SLOT_BITS;
  }

  /** By count: adds a value to the current slice. */
  void addNext(int bin, double value) {
    int i = nextBase() + bin;
    CELL.getAndAdd(counts, i, 1L);
    if (withSums) {
      addSum(i, value);
    }
  }

  /** By count: counts one value in the current slice. */
  void incrementNext(int bin) {
    CELL.getAndAdd(counts, nextBase() + bin, 1L);
  }

  private int nextBase() {
    long left = (long) BUDGET.getOpaque(this);
    if (left > 0) {
      BUDGET.setOpaque(this, left - 1);
    } else {
      check();
    }
    return (int) (cursor & SLOT_MASK) * width;
  }

  /**
   * Starts the next slice if the current one is full, by its exact counts; then grants half of
   * what is left (at least the current writer's value), so a slice takes about
   * {@code 1 + log2(sliceLength)} checks and races can only stretch the granted half. (Granting
   * seven eighths halves the checks but let slices grow by half under an 8-thread hammer test.)
   */
  private synchronized void check() {
    long c = cursor;
    int s = (int) (c & SLOT_MASK);
    long total = 0;
    for (int b = s * width, end = b + width; b < end; b++) {
      total += (long) CELL.getVolatile(counts, b);
    }
    if (total >= sliceLength) {
      long epoch = (c >>> SLOT_BITS) + 1;
      s = (int) (epoch % slices);
      recycle(s, epoch);
      cursor = epoch << SLOT_BITS | s;
      total = 0;
    }
    BUDGET.setOpaque(this, (sliceLength - total + 1) / 2 - 1);
  }

  long epochOf(long key) {
    return Math.max(0, key) / sliceLength;
  }

  void add(long key, int bin, double value) {
    int i = base(key) + bin;
    CELL.getAndAdd(counts, i, 1L);
    if (withSums) {
      addSum(i, value);
    }
  }

  private void addSum(int i, double value) {
    long[] sm = sums;
    long prev = (long) CELL.getOpaque(sm, i);
    long seen;
    while ((seen = (long) CELL.compareAndExchange(sm, i, prev,
        Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + value))) != prev) {
      prev = seen;
    }
  }

  void increment(long key, int bin) {
    CELL.getAndAdd(counts, base(key) + bin, 1L);
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
      CELL.setVolatile(counts, base + b, 0L);
      if (withSums) {
        CELL.setVolatile(sums, base + b, 0L);
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
        c[b] += (long) CELL.getVolatile(counts, base + b);
        if (withSums) {
          sm[b] += Double.longBitsToDouble((long) CELL.getVolatile(sums, base + b));
        }
      }
    }
    return Histogram.of(c, sm);
  }

  long bytes() {
    return Memory.OBJECT + 2 * (Memory.OBJECT + Memory.REFERENCE) + 2 * Memory.REFERENCE + 16
        + Memory.array(slices * width, 8) + Memory.array(withSums ? slices * width : 0, 8)
        + Memory.array(slices, 8) + 8;
  }
}
