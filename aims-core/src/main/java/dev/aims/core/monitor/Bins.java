package dev.aims.core.monitor;

/**
 * The bins of one numeric reference: fine quantile bins for sliced windows and binned statistics,
 * and the coarser PSI buckets (open at both ends, see {@link DriftStatistics#psiEdges}), whose
 * edges are a subset of the fine edges (quantile {@code i/B} is
 * quantile {@code ik/(Bk)}, the same double), so PSI, Jensen–Shannon and chi-square computed from
 * fine counts are exact.
 */
final class Bins {
  final double[] edges;
  final double[] psiEdges;
  /** For each fine bin, its PSI bin. */
  final int[] psiOf;
  final boolean discrete;
  /** For {@link #fine}: the bin at the start of each of {@value #CELLS} equal cells over the edges' range. */
  private final short[] table;
  /** The edges between two sentinels: {@code padded[k + 1] = edges[k]}, {@code -inf} first, {@code +inf} last (twice). */
  private final double[] padded;
  private final double low;
  private final double scale;
  private static final int CELLS = 1024;
  private static final int SCAN = 4;

  Bins(double[] edges, double[] psiEdges, boolean discrete) {
    this.edges = edges;
    this.psiEdges = psiEdges;
    this.discrete = discrete;
    this.low = edges[0];
    double range = edges[edges.length - 1] - low;
    this.scale = range > 0 && Double.isFinite(range) ? CELLS / range : 0;
    this.table = new short[scale > 0 && edges.length < Short.MAX_VALUE ? CELLS : 0];
    for (int c = 0; c < table.length; c++) {
      table[c] = (short) DriftStatistics.bin(edges, low + c / scale);
    }
    this.padded = new double[edges.length + 3];
    padded[0] = Double.NEGATIVE_INFINITY;
    System.arraycopy(edges, 0, padded, 1, edges.length);
    padded[edges.length + 1] = Double.POSITIVE_INFINITY;
    padded[edges.length + 2] = Double.POSITIVE_INFINITY;
    this.psiOf = new int[edges.length + 1];
    for (int f = 1; f <= edges.length; f++) {
      psiOf[f] = DriftStatistics.bin(psiEdges, edges[f - 1]);
    }
  }

  static Bins of(double[] sorted, int psiBins, int finePerPsiBin) {
    double[] psi = DriftStatistics.psiEdgesSorted(sorted, psiBins);
    boolean discrete = DriftStatistics.distinct(sorted, DriftStatistics.DISCRETE_LIMIT + 1)
        <= DriftStatistics.DISCRETE_LIMIT;
    double[] fine = discrete ? psi : DriftStatistics.binEdgesSorted(sorted, psiBins * finePerPsiBin);
    return new Bins(fine, psi, discrete);
  }

  int fineBins() {
    return edges.length + 1;
  }

  int psiBins() {
    return psiEdges.length + 1;
  }

  /**
   * The fine bin of {@code x}, as {@link DriftStatistics#bin}: a table lookup gives the bin at the
   * start of {@code x}'s cell; when the edges around it show the answer is that bin or the next
   * (the cell holds at most one edge), one comparison picks it, without a branch to mispredict.
   * Otherwise at most {@value #SCAN} more comparisons, with both ends of the answer checked; anything
   * else (a value out of range, a cell crowded with edges, a rounding at a cell border) takes the
   * binary search.
   */
  int fine(double x) {
    if (x < low) {
      return 0;
    }
    int cell = (int) ((x - low) * scale);
    short[] t = table;
    if (cell < t.length) {
      int b = t[cell];
      double[] p = padded;
      // edges[b - 1] <= x < edges[b + 1]: the answer is b or b + 1
      if (p[b] <= x && x < p[b + 2]) {
        return p[b + 1] <= x ? b + 1 : b;
      }
      double[] e = edges;
      if (b == 0 || e[b - 1] <= x) {
        for (int i = 0; i < SCAN; i++) {
          if (b == e.length || e[b] > x) {
            return b;
          }
          b++;
        }
      }
    }
    return DriftStatistics.bin(edges, x);
  }

  long[] toPsi(long[] fineCounts) {
    long[] out = new long[psiBins()];
    for (int f = 0; f < fineCounts.length; f++) {
      out[psiOf[f]] += fineCounts[f];
    }
    return out;
  }

  long bytes() {
    return Memory.array(edges.length, 8) + Memory.array(padded.length, 8) + Memory.array(psiEdges.length, 8) + Memory.array(psiOf.length, 4)
        + Memory.array(table.length, 2) + Memory.OBJECT + 28;
  }
}
