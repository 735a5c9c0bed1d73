package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Monitors fed one value at a time reproduce SciPy's figures: exactly from raw windows, and within
 * their reported error bounds from binned windows.
 */
class MonitorFixtureTest {
  final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");

  static Stream<Arguments> numeric() {
    return Fixture.cases("numeric.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> categorical() {
    return Fixture.cases("categorical.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  Monitor monitor(DriftFeature feature) {
    return Monitor.create("credit-scoring", MonitorConfig.builder().drift(feature).reviewOnDrift(false).build(),
        clock, Runnable::run, e -> {});
  }

  static void feed(Monitor m, String feature, double[] values) {
    for (double v : values) {
      m.record(UUID.randomUUID(), Map.of(feature, v), null, Map.of());
    }
  }

  static void assertPValue(double actual, double expected) {
    DriftStatisticsFixtureTest.assertPValue(actual, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void aCountWindowReproducesScipy(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double[] cur = Fixture.doubles(c.get("current"));
    Monitor m = monitor(DriftFeature.numeric("x", Reference.of(ref)).window(Window.lastDecisions(cur.length))
        .minSamples(10));
    feed(m, "x", cur);
    m.evaluateNow();
    DriftReport r = m.drift("x");

    assertThat(r.currentCount()).isEqualTo(cur.length);
    assertThat(r.referenceCount()).isEqualTo(ref.length);
    assertBucketFigures(r, c);
    if (r.exact()) {
      assertThat(r.score(DriftStatistic.KS).getAsDouble()).isCloseTo(c.get("ks_statistic").doubleValue(),
          within(1e-9));
      assertPValue(r.pValue(DriftStatistic.KS).getAsDouble(), c.get("ks_p_value").doubleValue());
      assertThat(r.pValueLowerBound(DriftStatistic.KS)).isEqualTo(r.pValue(DriftStatistic.KS));
      double w = c.get("wasserstein_normed").doubleValue();
      assertThat(r.score(DriftStatistic.WASSERSTEIN).getAsDouble()).isCloseTo(w, within(1e-6 * Math.max(1, w)));
    } else {
      // a window or reference over 2,000 values is binned: the figures hold within their bounds
      assertWithinBounds(r, c);
    }
    assertThat(r.exact()).isEqualTo(c.get("window").asText().equals("exact"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void aBinnedTimeWindowStaysWithinItsErrorBounds(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double[] cur = Fixture.doubles(c.get("current"));
    Monitor m = monitor(DriftFeature.numeric("x", Reference.of(ref)).window(Window.last(Duration.ofHours(1)))
        .minSamples(10));
    feed(m, "x", cur);
    m.evaluateNow();
    DriftReport r = m.drift("x");

    assertThat(r.exact()).isFalse();
    assertThat(r.currentCount()).isEqualTo(cur.length);
    // PSI, JS and chi-square use bins that are unions of the fine bins: exact
    assertBucketFigures(r, c);
    assertWithinBounds(r, c);
  }

  /** PSI (numpy decile PSI), JS and chi-square (SciPy) with its degrees of freedom. */
  static void assertBucketFigures(DriftReport r, JsonNode c) {
    assertThat(r.score(DriftStatistic.PSI).getAsDouble()).isCloseTo(c.get("psi").doubleValue(), within(1e-12));
    assertThat(r.score(DriftStatistic.JENSEN_SHANNON).getAsDouble())
        .isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-12));
    double chi2 = c.get("chi_square").doubleValue();
    assertThat(r.score(DriftStatistic.CHI_SQUARE).getAsDouble()).isCloseTo(chi2, within(1e-12 * Math.max(1, chi2)));
    assertPValue(r.pValue(DriftStatistic.CHI_SQUARE).getAsDouble(), c.get("chi_square_p_value").doubleValue());
    assertThat(r.chiSquareDegreesOfFreedom()).isEqualTo(c.get("chi_square_dof").intValue());
  }

  @org.junit.jupiter.api.Test
  void anUndriftedWindowHasAPsiNearZeroEvenWithValuesBeyondTheReferencesRange() {
    java.util.Random rnd = new java.util.Random(20261203);
    double[] ref = rnd.doubles(800).map(u -> rnd.nextGaussian()).toArray();
    double[] cur = rnd.doubles(600).map(u -> rnd.nextGaussian()).toArray();
    double min = java.util.Arrays.stream(ref).min().getAsDouble();
    double max = java.util.Arrays.stream(ref).max().getAsDouble();
    cur[0] = min - 0.1; // 3 of 600 below the reference's minimum, 2 above its maximum
    cur[1] = min - 0.2;
    cur[2] = min - 0.3;
    cur[3] = max + 0.1;
    cur[4] = max + 0.2;
    Monitor m = monitor(DriftFeature.numeric("x", Reference.of(ref)).window(Window.lastDecisions(600)));
    feed(m, "x", cur);
    m.evaluateNow();
    double psi = m.drift("x").score(DriftStatistic.PSI).getAsDouble();
    // under no drift decile PSI is about (B − 1)(1/n + 1/m) = 9 · (1/800 + 1/600) = 0.026; the values beyond
    // the range count in the first and last deciles, not in buckets of their own floored at 1e-4
    assertThat(psi).isLessThan(0.05);
    assertThat(psi).isLessThan(DriftStatistic.PSI.defaultThreshold() / 4);
  }

  static void assertWithinBounds(DriftReport r, JsonNode c) {
    double d = r.score(DriftStatistic.KS).getAsDouble();
    double dBound = r.errorBound(DriftStatistic.KS).getAsDouble();
    double dTrue = c.get("ks_statistic").doubleValue();
    assertThat(d).isLessThanOrEqualTo(dTrue + 1e-12);
    assertThat(dTrue - d).isLessThanOrEqualTo(dBound + 1e-12);
    double w = r.score(DriftStatistic.WASSERSTEIN).getAsDouble();
    double wBound = r.errorBound(DriftStatistic.WASSERSTEIN).getAsDouble();
    double wTrue = c.get("wasserstein_normed").doubleValue();
    assertThat(Math.abs(w - wTrue)).isLessThanOrEqualTo(wBound + 1e-9 * Math.max(1, wTrue));
    // the estimates are far better than the worst case: documented in docs/monitoring.md
    assertThat(Math.abs(w - wTrue)).isLessThanOrEqualTo(0.01 * Math.max(1, wTrue));
    assertThat(Math.abs(d - dTrue)).isLessThanOrEqualTo(0.02);
    // the p-value of the binned D is an upper end, that of D + bound a lower end: SciPy's p on the raw
    // values lies between them
    double p = r.pValue(DriftStatistic.KS).getAsDouble();
    double pLow = r.pValueLowerBound(DriftStatistic.KS).getAsDouble();
    double pTrue = c.get("ks_p_value").doubleValue();
    assertThat(pLow).isLessThanOrEqualTo(pTrue * (1 + 1e-9));
    assertThat(pTrue).isLessThanOrEqualTo(p * (1 + 1e-9));
    System.out.printf("%-55s KS p %.4g in [%.4g, %.4g]%n", c.get("name").asText(), pTrue, pLow, p);
    System.out.printf("%-45s KS %.5f (true %.5f, bound %.5f)  W %.5f (true %.5f, bound %.5f)%n",
        c.get("name").asText(), d, dTrue, dBound, w, wTrue, wBound);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("categorical")
  void aCategoricalWindowReproducesScipy(String name, JsonNode c) {
    Map<String, Long> refCounts = counts(c.get("reference_counts"));
    Map<String, Long> curCounts = counts(c.get("current_counts"));
    Monitor m = monitor(DriftFeature.categorical("channel", Reference.ofCategoryCounts(refCounts))
        .maxCategories(c.get("max_categories").intValue()).window(Window.lastDecisions(100_000)));
    List<String> values = new ArrayList<>();
    curCounts.forEach((k, n) -> {
      for (int i = 0; i < n; i++) {
        values.add(k);
      }
    });
    java.util.Collections.shuffle(values, new java.util.Random(1));
    for (String v : values) {
      m.record(UUID.randomUUID(), Map.of("channel", v), null, Map.of());
    }
    m.evaluateNow();
    DriftReport r = m.drift("channel");

    List<String> buckets = new ArrayList<>();
    c.get("buckets").forEach(b -> buckets.add(b.asText()));
    assertThat(((SystemMonitor) m).buckets("channel")).containsExactlyElementsOf(buckets);
    assertThat(r.score(DriftStatistic.CHI_SQUARE).getAsDouble()).isCloseTo(c.get("chi_square").doubleValue(),
        within(1e-9 * Math.max(1, c.get("chi_square").doubleValue())));
    assertPValue(r.pValue(DriftStatistic.CHI_SQUARE).getAsDouble(), c.get("chi_square_p_value").doubleValue());
    assertThat(r.score(DriftStatistic.PSI).getAsDouble()).isCloseTo(c.get("psi").doubleValue(), within(1e-12));
    assertThat(r.score(DriftStatistic.JENSEN_SHANNON).getAsDouble())
        .isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-12));
    assertThat(r.chiSquareDegreesOfFreedom()).isEqualTo(c.get("chi_square_dof").intValue());
  }

  static Map<String, Long> counts(JsonNode node) {
    Map<String, Long> out = new java.util.TreeMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().longValue()));
    return out;
  }
}
