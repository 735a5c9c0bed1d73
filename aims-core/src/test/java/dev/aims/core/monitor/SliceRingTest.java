package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A ring filled by count keeps exactly the last slices of {@code sliceLength} values, without a sequence number. */
class SliceRingTest {

  @Test
  void singleThreadedEverySliceHoldsExactlyItsLength() {
    for (int length : new int[] {1, 2, 3, 7, 100, 1000}) {
      int slices = 10;
      SliceRing ring = SliceRing.byCount(slices, 5, length, true);
      for (long i = 1; i <= 25L * length + 3; i++) {
        ring.addNext((int) (i % 5), i);
        // as with a sequence number: value i - 1 (0-based) is in epoch (i - 1) / length
        long epoch = (i - 1) / length;
        assertThat(ring.currentEpoch()).as("length %d, value %d", length, i).isEqualTo(epoch);
        Histogram h = ring.sum(epoch - slices + 1, epoch);
        long oldest = Math.max(0, epoch - slices + 1) * length;
        assertThat(h.total()).as("length %d, value %d", length, i).isEqualTo(i - oldest);
        double sum = 0;
        for (double s : h.sums()) {
          sum += s;
        }
        assertThat(sum).isEqualTo((oldest + 1 + i) * (i - oldest) / 2.0);
      }
    }
  }

  @Test
  void underContentionNoCountIsLostAndSlicesStayCloseToTheirLength() throws Exception {
    int threads = 8;
    int perThread = 100_000; // 800 slices or fewer: the ring of 1,000 does not wrap
    int length = 1000;
    int slices = 1000; // the ring never wraps: every slice can be inspected afterwards
    SliceRing ring = SliceRing.byCount(slices, 3, length, false);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          ring.incrementNext(i % 3);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long e = ring.currentEpoch();
    assertThat(ring.sum(0, e).total()).isEqualTo((long) threads * perThread);
    for (long k = 0; k < e; k++) {
      long n = ring.sum(k, k).total();
      assertThat(n).as("slice %d", k).isBetween((long) length, length + length / 2L);
    }
  }
}
