package dev.aims.core.monitor;

import java.util.Locale;

/**
 * The drift statistics AIMS computes. Two are tests whose alarm looks at a p-value (KS and
 * chi-square: drift when {@code p < threshold}, 0.05 the conventional significance level); the
 * others are distances (drift when {@code score >= threshold}), each default threshold meant for
 * exactly the definition computed here (docs/monitoring.md, "The statistics"): PSI 0.2, the rule
 * of thumb for decile PSI; normalised Wasserstein 0.1 and Jensen–Shannon distance 0.1 (natural
 * logarithm), Evidently's defaults for the same definitions.
 */
public enum DriftStatistic {
  /**
   * Population stability index over the reference's deciles, open at both ends (the conventional
   * decile PSI); shares floored at 1e-4.
   */
  PSI(0.2, false),
  /** Two-sample Kolmogorov–Smirnov: the statistic D is the score, the alarm looks at its p-value. */
  KS(0.05, true),
  /** Wasserstein-1 (earth mover's) distance divided by the reference's standard deviation. */
  WASSERSTEIN(0.1, false),
  /**
   * Jensen–Shannon distance with the natural logarithm (SciPy's default; in [0, sqrt(ln 2)]) over
   * the PSI buckets or categories.
   */
  JENSEN_SHANNON(0.1, false),
  /**
   * Pearson chi-square test of homogeneity of the 2×k table (reference, current; no continuity
   * correction, as {@code chi2_contingency(correction=False)}), over the PSI buckets or categories;
   * alarm on its p-value.
   */
  CHI_SQUARE(0.05, true);

  private final double defaultThreshold;
  private final boolean test;
  private final String tag;

  DriftStatistic(double defaultThreshold, boolean test) {
    this.defaultThreshold = defaultThreshold;
    this.test = test;
    this.tag = name().toLowerCase(Locale.ROOT);
  }

  /** The {@code statistic} tag of {@code aims.drift.score}: {@code psi}, {@code ks}, ... */
  public String tag() {
    return tag;
  }

  /** The {@code statistic} tag of the p-value of a test ({@code ks_p_value}); empty for distances. */
  public String pValueTag() {
    return test ? tag + "_p_value" : "";
  }

  public double defaultThreshold() {
    return defaultThreshold;
  }

  /** Whether the alarm compares a p-value (true) or the score (false) with the threshold. */
  public boolean isTest() {
    return test;
  }

  /** Whether {@code value} (the p-value of a test, else the score) means drift under {@code threshold}. */
  public boolean drifted(double value, double threshold) {
    return test ? value < threshold : value >= threshold;
  }
}
