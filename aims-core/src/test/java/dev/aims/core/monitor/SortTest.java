package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The radix sort of large samples gives exactly the order of {@code Arrays.sort}. */
class SortTest {

  @Test
  void theRadixSortAgreesWithArraysSort() {
    Random rnd = new Random(11);
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -1e-300};
    for (int n : new int[] {0, 1, 5, DriftStatistics.RADIX_SORT_MIN - 1, DriftStatistics.RADIX_SORT_MIN, 2000, 10_000,
        50_001}) {
      for (int kind = 0; kind < 5; kind++) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = switch (kind) {
            case 0 -> 50_000 + 10_000 * rnd.nextGaussian();
            case 1 -> Math.exp(20 * rnd.nextGaussian()) * (rnd.nextBoolean() ? 1 : -1);
            case 2 -> rnd.nextInt(7) - 3;
            case 3 -> special[rnd.nextInt(special.length)];
            default -> 42.0;
          };
        }
        double[] expected = v.clone();
        Arrays.sort(expected);
        double[] actual = v.clone();
        DriftStatistics.sort(actual);
        for (int i = 0; i < n; i++) {
          // the same value, bit for bit (NaN any NaN), so -0.0 and 0.0 keep their order
          assertThat(Double.doubleToLongBits(actual[i])).as("n=%d kind=%d i=%d", n, kind, i)
              .isEqualTo(Double.doubleToLongBits(expected[i]));
        }
      }
    }
  }
}
