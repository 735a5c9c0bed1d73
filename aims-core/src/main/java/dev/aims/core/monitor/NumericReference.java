package dev.aims.core.monitor;

import org.jspecify.annotations.Nullable;

/**
 * A frozen numeric reference: its bins, its histogram over the fine bins, its spread, and its raw
 * sorted values when there are at most {@link Window#EXACT_LIMIT} of them.
 */
final class NumericReference {
  final Bins bins;
  final @Nullable double[] sorted;
  final Histogram histogram;
  final long count;
  final double std;

  NumericReference(Bins bins, @Nullable double[] sorted, Histogram histogram, double std) {
    this.bins = bins;
    this.sorted = sorted;
    this.histogram = histogram;
    this.count = histogram.total();
    this.std = std;
  }

  /** From raw values (finite, at least one); they are sorted in place. */
  static NumericReference ofRaw(double[] values, int psiBins, int finePerPsiBin) {
    DriftStatistics.sort(values);
    Bins bins = Bins.of(values, psiBins, finePerPsiBin);
    return new NumericReference(bins, values.length <= Window.EXACT_LIMIT ? values : null,
        Histogram.of(bins, values), DriftStatistics.std(values));
  }

  boolean discrete() {
    return bins.discrete;
  }

  long bytes() {
    return Memory.OBJECT + 4 * Memory.REFERENCE + 16 + bins.bytes()
        + (sorted == null ? 0 : Memory.array(sorted.length, 8))
        + Memory.OBJECT + Memory.array(histogram.counts().length, 8) + Memory.array(histogram.sums().length, 8);
  }
}
