package dev.aims.core.monitor;

/** Counts (and, for numeric values, sums) per bin: one window or reference as the statistics see it. */
record Histogram(long[] counts, double[] sums, long total) {
  static Histogram of(long[] counts, double[] sums) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return new Histogram(counts, sums, total);
  }

  /** Bins the raw values of a sample. */
  static Histogram of(Bins bins, double[] values) {
    long[] counts = new long[bins.fineBins()];
    double[] sums = new double[bins.fineBins()];
    for (double v : values) {
      int b = bins.fine(v);
      counts[b]++;
      sums[b] += v;
    }
    return new Histogram(counts, sums, values.length);
  }
}
