package dev.aims.core.monitor;

import java.util.Arrays;
import java.util.Objects;
import org.hipparchus.special.Gamma;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;

/**
 * The drift statistics on plain arrays, as the monitors compute them from exact windows. Each
 * follows a named reference implementation and is tested against it (SciPy fixtures, see
 * {@code aims-core/src/test/python/make_fixtures.py}):
 *
 * <ul>
 *   <li>{@link #ks}: {@code scipy.stats.ks_2samp(a, b)} with its default {@code method='auto'}
 *       (SciPy 1.10): exact while {@code max(n, m) <= }{@value #MAX_EXACT_KS_N} — the lattice-path
 *       recursion SciPy runs for {@code n != m}, its alternating series for {@code n == m}, falling
 *       back to the asymptotic form when that yields no probability in [0, 1], as SciPy does — else
 *       {@code kstwo.sf(D, round(n·m/(n+m)))}: the exact Smirnov tail in the upper tail, Hipparchus
 *       {@link KolmogorovSmirnovTest#cdf} elsewhere.
 *   <li>{@link #wasserstein}: {@code scipy.stats.wasserstein_distance}.
 *   <li>{@link #jensenShannon}: {@code scipy.spatial.distance.jensenshannon(p, q)}, SciPy's default
 *       natural logarithm (so in {@code [0, sqrt(ln 2)]}).
 *   <li>{@link #chiSquare}: {@code scipy.stats.chi2_contingency(table, correction=False)} on the
 *       2×k table, columns empty in both rows dropped; p-value from Hipparchus
 *       {@link Gamma#regularizedGammaQ}.
 *   <li>{@link #psi}: shares floored at {@value #PSI_FLOOR}, {@code Σ (q−p)·ln(q/p)}; over
 *       {@link #psiEdges} it is the conventional decile PSI.
 *   <li>{@link #binEdges}: {@code numpy.quantile} (method "linear") at {@code i/bins}, plus the
 *       reference minimum and {@code nextUp(max)}, duplicates removed; a reference with at most
 *       {@value #DISCRETE_LIMIT} distinct values gets one bin per value.
 *   <li>{@link #psiEdges}: the same quantiles without the minimum and {@code nextUp(max)}, so the
 *       first and last bins are open ({@code (−∞, q₁)}, {@code [q_{B−1}, ∞)}); a discrete
 *       reference keeps its per-value bins and the bins below and above it.
 * </ul>
 *
 * Methods taking sample arrays accept them in any order and do not modify them.
 */
public final class DriftStatistics {
  /** The share given to an empty bin in PSI, so that {@code ln(q/p)} stays finite (Evidently's rule). */
  public static final double PSI_FLOOR = 1e-4;
  /** The smallest reference standard deviation Wasserstein is divided by (Evidently's rule). */
  public static final double STD_FLOOR = 0.001;
  /** A numeric reference with at most this many distinct values is binned by value. */
  public static final int DISCRETE_LIMIT = 5;
  /**
   * Up to this larger sample size the KS p-value is exact, above it asymptotic: SciPy's
   * {@code MAX_AUTO_N} for {@code ks_2samp(method='auto')}.
   */
  public static final int MAX_EXACT_KS_N = 10_000;

  private static final KolmogorovSmirnovTest KS_TEST = new KolmogorovSmirnovTest(1L);

  private DriftStatistics() {}

  /** A test's statistic and p-value; {@code dof} is the degrees of freedom for chi-square, else 0. */
  public record TestResult(double statistic, double pValue, int dof) {}

  // ---- binning --------------------------------------------------------------------------------

  /** {@code numpy.quantile(sorted, p)} with the default "linear" method, bit for bit. */
  public static double quantile(double[] sorted, double p) {
    int n = sorted.length;
    if (n == 0) {
      throw new IllegalArgumentException("quantile of no values");
    }
    double h = (n - 1) * p;
    if (h >= n - 1) {
      return sorted[n - 1];
    }
    if (h < 0) {
      return sorted[0];
    }
    int lo = (int) Math.floor(h);
    double gamma = h - lo;
    double a = sorted[lo];
    double b = sorted[lo + 1];
    double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  /**
   * The bin edges of a reference: a value {@code x} falls in bin {@link #bin(double[], double)}
   * = the number of edges {@code <= x}, so bin 0 holds values below the reference and the last
   * bin values above it.
   *
   * @param reference the reference values, finite, at least one
   * @param bins the number of quantile bins (10 for PSI)
   */
  public static double[] binEdges(double[] reference, int bins) {
    double[] sorted = sortedCopy(reference);
    return binEdgesSorted(sorted, bins);
  }

  /**
   * The PSI bucket edges of a reference (also used for Jensen–Shannon and chi-square): the
   * quantiles at {@code i/bins}, {@code i = 1..bins−1}, duplicates removed, so the buckets are the
   * conventional deciles {@code (−∞, q₁), [q₁, q₂), ..., [q_{B−1}, ∞)} and a value outside the
   * reference's range counts in the first or last one. A reference with at most
   * {@value #DISCRETE_LIMIT} distinct values keeps {@link #binEdges}: one bucket per value, and one
   * below and one above it (a value the reference never had is new, like a new category).
   */
  public static double[] psiEdges(double[] reference, int bins) {
    return psiEdgesSorted(sortedCopy(reference), bins);
  }

  static double[] psiEdgesSorted(double[] sorted, int bins) {
    double[] edges = binEdgesSorted(sorted, bins);
    if (distinct(sorted, DISCRETE_LIMIT + 1) <= DISCRETE_LIMIT) {
      return edges;
    }
    // drop nextUp(max), above every quantile, and the minimum unless it is also the first quantile
    int from = quantile(sorted, 1.0 / bins) == sorted[0] ? 0 : 1;
    return Arrays.copyOfRange(edges, from, edges.length - 1);
  }

  static double[] binEdgesSorted(double[] sorted, int bins) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("a reference needs at least one value");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1 but was " + bins);
    }
    double top = Math.nextUp(sorted[sorted.length - 1]);
    int distinct = distinct(sorted, DISCRETE_LIMIT + 1);
    double[] raw;
    if (distinct <= DISCRETE_LIMIT) {
      raw = new double[distinct + 1];
      int k = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          raw[k++] = sorted[i];
        }
      }
      raw[k] = top;
      return raw;
    }
    raw = new double[bins + 1];
    raw[0] = sorted[0];
    for (int i = 1; i < bins; i++) {
      raw[i] = quantile(sorted, i / (double) bins);
    }
    raw[bins] = top;
    Arrays.sort(raw);
    return unique(raw);
  }

  /** The number of edges {@code <= x} ({@code numpy.searchsorted(edges, x, side="right")}). */
  public static int bin(double[] edges, double x) {
    int n = edges.length;
    if (n == 0) {
      return 0;
    }
    // branch-free halving (the answer stays in [base, base + n]): random values do not
    // mispredict, which matters on the recording path
    int base = 0;
    while (n > 1) {
      int half = n >>> 1;
      base = edges[base + half] <= x ? base + half : base;
      n -= half;
    }
    return edges[base] <= x ? base + 1 : base;
  }

  /** How many of {@code values} fall in each of the {@code edges.length + 1} bins. */
  public static long[] binCounts(double[] edges, double[] values) {
    long[] counts = new long[edges.length + 1];
    for (double v : values) {
      counts[bin(edges, v)]++;
    }
    return counts;
  }

  // ---- binned statistics ----------------------------------------------------------------------

  /** Population stability index of two count vectors over the same bins (reference first). */
  public static double psi(long[] reference, long[] current) {
    requireSameLength(reference, current);
    double nr = sum(reference);
    double nc = sum(current);
    double psi = 0;
    for (int i = 0; i < reference.length; i++) {
      double p = Math.max(reference[i] / nr, PSI_FLOOR);
      double q = Math.max(current[i] / nc, PSI_FLOOR);
      psi += (q - p) * Math.log(q / p);
    }
    return psi;
  }

  /**
   * Jensen–Shannon distance of two count vectors over the same bins, natural logarithm (SciPy's
   * default base): {@code sqrt((KL(p‖m) + KL(q‖m))/2)}, {@code m = (p + q)/2}, in
   * {@code [0, sqrt(ln 2) ≈ 0.8326]}. The base-2 distance is this divided by {@code sqrt(ln 2)}.
   */
  public static double jensenShannon(long[] reference, long[] current) {
    requireSameLength(reference, current);
    double nr = sum(reference);
    double nc = sum(current);
    double left = 0;
    double right = 0;
    for (int i = 0; i < reference.length; i++) {
      double p = reference[i] / nr;
      double q = current[i] / nc;
      double m = (p + q) / 2.0;
      left += relEntr(p, m);
      right += relEntr(q, m);
    }
    double js = left + right;
    return Math.sqrt(Math.max(js, 0) / 2.0);
  }

  /**
   * Pearson chi-square test of homogeneity on the 2×k table (reference counts, current counts),
   * without continuity correction. Columns empty in both rows are dropped; with fewer than two
   * columns left the result is statistic 0, p-value 1, dof 0 (as SciPy).
   */
  public static TestResult chiSquare(long[] reference, long[] current) {
    requireSameLength(reference, current);
    double nr = sum(reference);
    double nc = sum(current);
    double total = nr + nc;
    int columns = 0;
    double chi2 = 0;
    for (int i = 0; i < reference.length; i++) {
      double col = (double) reference[i] + current[i];
      if (col == 0) {
        continue;
      }
      columns++;
      double er = nr * col / total;
      double ec = nc * col / total;
      double dr = reference[i] - er;
      double dc = current[i] - ec;
      chi2 += dr * dr / er + dc * dc / ec;
    }
    if (columns < 2) {
      return new TestResult(0, 1, 0);
    }
    int dof = columns - 1;
    return new TestResult(chi2, chiSquarePValue(chi2, dof), dof);
  }

  static double chiSquarePValue(double chi2, int dof) {
    if (chi2 <= 0) {
      return 1;
    }
    return Gamma.regularizedGammaQ(dof / 2.0, chi2 / 2.0);
  }

  // ---- exact statistics on raw samples --------------------------------------------------------

  /** Two-sample Kolmogorov–Smirnov (two-sided), as {@code scipy.stats.ks_2samp}. */
  public static TestResult ks(double[] reference, double[] current) {
    return ksSorted(sortedCopy(reference), sortedCopy(current));
  }

  static TestResult ksSorted(double[] a, double[] b) {
    requireNonEmpty(a, b);
    int n = a.length;
    int m = b.length;
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < n && j < m) {
      double x = Math.min(a[i], b[j]);
      while (i < n && a[i] <= x) {
        i++;
      }
      while (j < m && b[j] <= x) {
        j++;
      }
      d = Math.max(d, Math.abs(i / (double) n - j / (double) m));
    }
    return ksTest(d, n, m);
  }

  /**
   * The two-sided test of a KS statistic {@code d} between samples of sizes n and m, as
   * {@code ks_2samp}'s default {@code method='auto'}: with an exact p-value, the statistic is
   * SciPy's {@code h/lcm(n, m)} (the lattice value nearest {@code d}).
   */
  static TestResult ksTest(double d, long n, long m) {
    if (n < 1 || m < 1) {
      throw new IllegalArgumentException("sample sizes must be >= 1 but were " + n + " and " + m);
    }
    if (Math.max(n, m) <= MAX_EXACT_KS_N) {
      long g = gcd(n, m);
      long lcm = (n / g) * m;
      long h = (long) Math.rint(d * lcm);
      double onLattice = h / (double) lcm;
      if (h == 0) {
        return new TestResult(onLattice, 1, 0);
      }
      double p = n == m ? ksOutsideSquare((int) n, (int) h) : exactKsPValue((int) n, (int) m, g, h);
      if (p >= 0 && p <= 1) {
        return new TestResult(onLattice, p, 0);
      }
      // SciPy: "Exact calculation unsuccessful. Switching to method=asymp", with the lattice statistic
      d = onLattice;
    }
    return new TestResult(d, clamp01(asymptoticKsPValue(d, n, m)), 0);
  }

  /**
   * The two-sided p-value {@code P(D >= d)} of the two-sample KS statistic, as
   * {@code ks_2samp(method='auto')}: exact while {@code max(n, m) <= }{@value #MAX_EXACT_KS_N},
   * else asymptotic.
   */
  public static double ksPValue(double d, long n, long m) {
    return ksTest(d, n, m).pValue();
  }

  private static double asymptoticKsPValue(double d, long n, long m) {
    double big = Math.max(n, m);
    double small = Math.min(n, m);
    double en = Math.rint(big * small / (big + small)); // numpy.round: half to even, as rint
    return kolmogorovSf((int) Math.max(1, en), d);
  }

  /**
   * {@code P(D_{n,n} >= h/n)} as SciPy's {@code _compute_prob_outside_square}: the alternating
   * series {@code 2·(C(2n, n−h) − C(2n, n−2h) + ...)/C(2n, n)} evaluated Horner-like from the
   * last term, term ratios multiplied out one factor at a time (same operations, same order).
   */
  static double ksOutsideSquare(int n, int h) {
    double p = 0;
    int k = n / h;
    while (k >= 0) {
      double p1 = 1;
      for (int j = 0; j < h; j++) {
        p1 = (n - (double) k * h - j) * p1 / (n + (double) k * h + j + 1);
      }
      p = p1 * (1 - p);
      k--;
    }
    return 2 * p;
  }
  /**
   * {@code P(D_n >= x)} of the one-sample two-sided KS distribution, as SciPy's
   * {@code kstwo.sf(x, n)} (Simard and L'Ecuyer 2011): in the upper tail ({@code n·x² >= 2.2})
   * twice the exact one-sided Smirnov tail, which keeps full relative precision; elsewhere
   * {@code 1 − P(D_n < x)} from Hipparchus (there the p-value is above 0.02, so the subtraction
   * costs no relevant digits).
   */
  static double kolmogorovSf(int n, double x) {
    if (x >= 1) {
      return 0;
    }
    if (x <= 0) {
      return 1;
    }
    double nxx = n * x * x;
    if (nxx >= 370) {
      return 0;
    }
    if (nxx >= 2.2 || x >= 0.5) {
      return clamp01(2 * smirnovSf(n, x));
    }
    return clamp01(1 - KS_TEST.cdf(x, n));
  }

  /**
   * {@code P(D_n+ >= x)}, the exact one-sided Smirnov tail (Birnbaum and Tingey 1951):
   * {@code x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j)}. All terms are
   * positive; each is computed in log space and the sum stops once the terms past their peak
   * fall below 1e-17 of it.
   */
  static double smirnovSf(int n, double x) {
    int last = (int) Math.floor(n * (1 - x));
    double logN1 = Gamma.logGamma(n + 1.0);
    double logMax = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double scale = Double.NaN;
    // log C(n, j), from logGamma every 256 terms and by the ratio (n − j)/(j + 1) in between: three
    // logGamma calls per term made a fleet-sized tail (n in the tens of thousands) cost milliseconds
    double logChoose = 0;
    for (int j = 0; j <= last; j++) {
      double a = x + j / (double) n;
      double b = 1 - a;
      if (b <= 0) {
        break;
      }
      if ((j & 255) == 0) {
        logChoose = logN1 - Gamma.logGamma(j + 1.0) - Gamma.logGamma(n - j + 1.0);
      }
      double logTerm = logChoose + (j - 1) * Math.log(a) + (n - j) * Math.log(b);
      logChoose += Math.log((n - j) / (double) (j + 1));
      if (Double.isNaN(scale)) {
        scale = logTerm;
      }
      if (logTerm > logMax) {
        logMax = logTerm;
      } else if (logTerm < logMax - 40) {
        break; // past the peak and negligible: the terms only get smaller from here
      }
      sum += Math.exp(logTerm - scale);
    }
    return x * sum * Math.exp(scale);
  }

  /**
   * {@code P(D >= h/lcm(n, m))} for two samples of sizes n and m under the null hypothesis, exactly
   * (SciPy's {@code _compute_outer_prob_inside_method}). A random
   * merge of the samples is a lattice path from (0, 0) to (m, n); the recursion carries, for each
   * point, the probability that a random path to it has already left the band
   * {@code |x/m − y/n| < d} (Viehmann 2021, arXiv:2102.08037, as SciPy does). Carrying the outside
   * probability instead of computing {@code 1 − P(inside)} (as Hipparchus' {@code exactP} does)
   * keeps full relative precision for tiny p-values. Work is proportional to the band's area,
   * at most {@code n·m}.
   */
  static double exactKsPValue(int n, int m, long g, long h) {
    if (m < n) {
      int t = m;
      m = n;
      n = t;
    }
    long mg = m / g;
    long ng = n / g;
    // x runs over the m-sample, y over the n-sample; (x, y) is outside when |x·ng − y·mg| >= h
    double[] col = new double[n + 1];
    Arrays.fill(col, 1.0);
    // each cell averages its two neighbours; a reciprocal table keeps the division off the
    // cell-to-cell dependency chain (one extra rounding per cell, ~1e-12 relative overall)
    double[] inverse = new double[m + n + 1];
    for (int k = 1; k <= m + n; k++) {
      inverse[k] = 1.0 / k;
    }
    for (int x = 0; x <= m; x++) {
      long c = x * ng;
      int lo = (int) Math.max(0, Math.floorDiv(c - h, mg) + 1);
      int hi = (int) Math.min(n, ceilDiv(c + h, mg) - 1);
      if (lo > hi) {
        return 1;
      }
      double below = 1.0; // A(x, lo − 1): outside the band, or no such point
      if (lo == 0) {
        below = 0.0;
      }
      for (int y = lo; y <= hi; y++) {
        double a;
        if (x == 0 && y == 0) {
          a = 0.0;
        } else {
          a = (x * col[y] + y * below) * inverse[x + y];
        }
        col[y] = a;
        below = a;
      }
    }
    return col[n];
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Wasserstein-1 distance of two samples, as {@code scipy.stats.wasserstein_distance}. */
  public static double wasserstein(double[] reference, double[] current) {
    return wassersteinSorted(sortedCopy(reference), sortedCopy(current));
  }

  static double wassersteinSorted(double[] a, double[] b) {
    requireNonEmpty(a, b);
    int n = a.length;
    int m = b.length;
    int i = 0;
    int j = 0;
    double x = Math.min(a[0], b[0]);
    double sum = 0;
    while (true) {
      while (i < n && a[i] <= x) {
        i++;
      }
      while (j < m && b[j] <= x) {
        j++;
      }
      double next;
      if (i < n && j < m) {
        next = Math.min(a[i], b[j]);
      } else if (i < n) {
        next = a[i];
      } else if (j < m) {
        next = b[j];
      } else {
        return sum;
      }
      sum += Math.abs(i / (double) n - j / (double) m) * (next - x);
      x = next;
    }
  }

  /** Population standard deviation ({@code numpy.std}). */
  public static double std(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("std of no values");
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double ss = 0;
    for (double v : values) {
      double d = v - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / values.length);
  }

  /** Wasserstein-1 divided by {@code max(referenceStd, }{@value #STD_FLOOR}{@code )}. */
  public static double normalise(double wasserstein, double referenceStd) {
    return wasserstein / Math.max(referenceStd, STD_FLOOR);
  }

  // ---- helpers --------------------------------------------------------------------------------

  static double[] sortedCopy(double[] values) {
    double[] copy = Objects.requireNonNull(values, "values").clone();
    sort(copy);
    return copy;
  }

  /** Below this length {@link #sort} uses {@link Arrays#sort(double[])}. */
  static final int RADIX_SORT_MIN = 1024;

  /**
   * Sorts in place, in the order of {@link Arrays#sort(double[])} ({@code -0.0} before
   * {@code 0.0}, NaN last). From {@value #RADIX_SORT_MIN} values on, a least-significant-digit
   * radix sort on the order-preserving bit pattern (byte digits; a byte position where all keys
   * agree is skipped): about 4× faster than {@code Arrays.sort} on 10,000 values. NaNs come out as
   * the canonical NaN.
   */
  static void sort(double[] values) {
    int n = values.length;
    if (n < RADIX_SORT_MIN) {
      Arrays.sort(values);
      return;
    }
    long[] a = new long[n];
    long[] b = new long[n];
    int[] counts = new int[8 * 257];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToLongBits(values[i]);
      long k = bits ^ ((bits >> 63) | Long.MIN_VALUE); // negative: all bits flipped; else the sign bit
      a[i] = k;
      for (int d = 0; d < 8; d++) {
        counts[d * 257 + (int) ((k >>> (8 * d)) & 0xff) + 1]++;
      }
    }
    for (int d = 0; d < 8; d++) {
      int base = d * 257;
      int shift = 8 * d;
      if (counts[base + (int) ((a[0] >>> shift) & 0xff) + 1] == n) {
        continue; // every key has the same byte here
      }
      for (int i = 0; i < 256; i++) {
        counts[base + i + 1] += counts[base + i];
      }
      for (int i = 0; i < n; i++) {
        long k = a[i];
        b[counts[base + (int) ((k >>> shift) & 0xff)]++] = k;
      }
      long[] t = a;
      a = b;
      b = t;
    }
    for (int i = 0; i < n; i++) {
      long k = a[i];
      values[i] = Double.longBitsToDouble(k ^ ((~k >> 63) | Long.MIN_VALUE));
    }
  }

  /** Distinct values of a sorted array, counting up to {@code stopAt}. */
  static int distinct(double[] sorted, int stopAt) {
    int k = 0;
    for (int i = 0; i < sorted.length && k < stopAt; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        k++;
      }
    }
    return k;
  }

  private static double[] unique(double[] sorted) {
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[k - 1]) {
        sorted[k++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, k);
  }

  private static double relEntr(double x, double y) {
    if (x > 0 && y > 0) {
      return x * Math.log(x / y);
    }
    return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
  }

  static double sum(long[] counts) {
    double s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  static double clamp01(double p) {
    return p < 0 ? 0 : p > 1 ? 1 : p;
  }

  private static void requireSameLength(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("count vectors differ in length: " + a.length + " and " + b.length);
    }
  }

  private static void requireNonEmpty(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("both samples need at least one value (sizes " + a.length + ", "
          + b.length + ")");
    }
  }
}
