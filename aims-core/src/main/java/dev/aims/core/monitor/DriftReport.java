package dev.aims.core.monitor;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The latest drift figures of one feature. A statistic is absent when there is no figure: no
 * reference yet, or fewer current values than the feature's {@code minSamples} (an empty window
 * has no figure, never a zero).
 *
 * @param referenceCount values in the reference (0 while it fills)
 * @param currentCount values in the current window
 * @param missing values recorded as missing since start (null, NaN, ±infinity, blank, wrong type)
 * @param scores the statistic of each test: PSI, KS D, normalised Wasserstein, JS distance, χ²
 * @param pValues the p-values of KS and chi-square. From a binned window the KS p-value is that of
 *     the binned D, a lower bound of the raw D, so it is the <em>upper</em> end of what the raw
 *     values could give; the lower end is in {@code pValueLowerBounds}
 * @param pValueLowerBounds for each p-value, the smallest it can be on the raw values: equal to the
 *     p-value where that is exact (raw windows; chi-square always), else (KS from bins) the p-value
 *     of the binned D plus its error bound. The raw values' p-value lies in
 *     {@code [pValueLowerBounds, pValues]}
 * @param errorBounds for figures computed from bins: the largest possible distance to the same
 *     statistic on the raw values (KS and Wasserstein; PSI, JS and χ² are exact)
 * @param chiSquareDegreesOfFreedom the degrees of freedom of the chi-square figure (buckets with a
 *     value in either sample, minus one); 0 without a figure
 * @param alarmStatistic the statistic the alarm looks at; null until the reference is known
 * @param threshold the alarm threshold (a p-value for tests)
 * @param alarm whether the alarm is on
 * @param exact whether KS and Wasserstein came from raw values (else from bins)
 */
public record DriftReport(
    String system,
    String feature,
    DriftFeature.Type type,
    @Nullable Instant evaluatedAt,
    long referenceCount,
    long currentCount,
    long missing,
    Map<DriftStatistic, Double> scores,
    Map<DriftStatistic, Double> pValues,
    Map<DriftStatistic, Double> pValueLowerBounds,
    Map<DriftStatistic, Double> errorBounds,
    int chiSquareDegreesOfFreedom,
    @Nullable DriftStatistic alarmStatistic,
    double threshold,
    boolean alarm,
    boolean exact) {

  public DriftReport {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(type, "type");
    scores = Map.copyOf(scores);
    pValues = Map.copyOf(pValues);
    pValueLowerBounds = Map.copyOf(pValueLowerBounds);
    errorBounds = Map.copyOf(errorBounds);
  }

  static DriftReport empty(String system, DriftFeature f, @Nullable Instant at, long referenceCount, long current,
      long missing, @Nullable DriftStatistic alarmStatistic, double threshold, boolean alarm) {
    return new DriftReport(system, f.name(), f.type(), at, referenceCount, current, missing,
        new EnumMap<>(DriftStatistic.class), new EnumMap<>(DriftStatistic.class),
        new EnumMap<>(DriftStatistic.class), new EnumMap<>(DriftStatistic.class), 0, alarmStatistic, threshold, alarm,
        false);
  }

  public OptionalDouble score(DriftStatistic statistic) {
    Double v = scores.get(statistic);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  public OptionalDouble pValue(DriftStatistic statistic) {
    Double v = pValues.get(statistic);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The smallest the p-value can be on the raw values (see {@code pValueLowerBounds}). */
  public OptionalDouble pValueLowerBound(DriftStatistic statistic) {
    Double v = pValueLowerBounds.get(statistic);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  public OptionalDouble errorBound(DriftStatistic statistic) {
    Double v = errorBounds.get(statistic);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The value the alarm compares with its threshold (the p-value for tests), if there is a figure. */
  public OptionalDouble alarmValue() {
    if (alarmStatistic == null) {
      return OptionalDouble.empty();
    }
    return alarmStatistic.isTest() ? pValue(alarmStatistic) : score(alarmStatistic);
  }

  public boolean hasFigures() {
    return !scores.isEmpty();
  }
}
