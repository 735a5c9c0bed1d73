package dev.aims.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code capacity} raw values (or more: the ring is a power of two, so a slot is a mask,
 * not a division). A writer takes a slot with one atomic increment and stores the value with
 * opaque (untorn) access; readers copy what is there.
 */
final class ExactRing {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(double[].class);

  private final double[] values;
  private final int mask;
  private final AtomicLong seq = new AtomicLong();

  ExactRing(int capacity) {
    int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
    this.values = new double[Math.max(size, 1)];
    this.mask = values.length - 1;
  }

  void add(double value) {
    long s = seq.getAndIncrement();
    SLOT.setOpaque(values, (int) s & mask, value);
  }

  long recorded() {
    return seq.get();
  }

  int capacity() {
    return values.length;
  }

  /**
   * The {@code n} values recorded before the newest {@code skip}, sorted; fewer when fewer were
   * recorded.
   */
  double[] sorted(int n, int skip, long recorded) {
    long end = recorded - skip;
    long start = Math.max(0, Math.max(end - n, recorded - values.length));
    if (end <= start) {
      return new double[0];
    }
    double[] out = new double[(int) (end - start)];
    for (long s = start; s < end; s++) {
      out[(int) (s - start)] = (double) SLOT.getOpaque(values, (int) s & mask);
    }
    DriftStatistics.sort(out);
    return out;
  }

  long bytes() {
    return Memory.OBJECT + Memory.REFERENCE * 2 + Memory.array(values.length, 8) + Memory.OBJECT + 8;
  }
}
