package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The recording path's table lookup gives exactly the bin of the reference rule. */
class BinsTest {

  static void assertSameAsBinarySearch(double[] reference, double[] probes) {
    Bins bins = Bins.of(DriftStatistics.sortedCopy(reference), 10, 10);
    for (double x : probes) {
      assertThat(bins.fine(x)).as("bin of %s", x).isEqualTo(DriftStatistics.bin(bins.edges, x));
    }
    for (double e : bins.edges) {
      for (double x : new double[] {e, Math.nextDown(e), Math.nextUp(e)}) {
        assertThat(bins.fine(x)).as("bin of %s", x).isEqualTo(DriftStatistics.bin(bins.edges, x));
      }
    }
  }

  @Test
  void theTableLookupAgreesWithTheBinarySearchEverywhere() {
    Random rnd = new Random(5);
    double[] normal = new double[2000];
    double[] heavy = new double[2000];
    double[] ties = new double[2000];
    for (int i = 0; i < normal.length; i++) {
      normal[i] = rnd.nextGaussian();
      heavy[i] = Math.exp(8 * rnd.nextGaussian()); // a few huge values crowd the bulk into one cell
      ties[i] = rnd.nextInt(12);
    }
    double[] probes = new double[200_000];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = i % 3 == 0 ? rnd.nextGaussian() * 3 : i % 3 == 1 ? Math.exp(9 * rnd.nextGaussian())
          : rnd.nextInt(14) - 1 + (rnd.nextBoolean() ? 0 : rnd.nextDouble());
    }
    assertSameAsBinarySearch(normal, probes);
    assertSameAsBinarySearch(heavy, probes);
    assertSameAsBinarySearch(ties, probes);
    assertSameAsBinarySearch(new double[] {3, 3, 3}, probes);
    assertSameAsBinarySearch(new double[] {0, 1, 2}, probes);
  }
}
