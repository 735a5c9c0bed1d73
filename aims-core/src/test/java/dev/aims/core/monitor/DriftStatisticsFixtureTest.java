package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.stream.Stream;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statistics on raw samples reproduce SciPy's own functions with their defaults
 * ({@code ks_2samp}, {@code wasserstein_distance}, {@code jensenshannon}, {@code chi2_contingency})
 * and numpy's conventional decile PSI (fixtures from make_fixtures.py).
 */
class DriftStatisticsFixtureTest {

  static Stream<Arguments> numeric() {
    return Fixture.cases("numeric.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> categorical() {
    return Fixture.cases("categorical.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  /** p-values: within 1e-9 relative, however small (a p-value SciPy rounds to 0 must be below 1e-300). */
  static void assertPValue(double actual, double expected) {
    if (expected == 0) {
      assertThat(actual).isLessThan(1e-300);
    } else {
      assertThat(actual).isCloseTo(expected, within(expected * 1e-9));
    }
  }

  /** AIMS's buckets for a numeric reference: open deciles, or per value for a discrete reference. */
  static long[][] aimsBuckets(JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double[] edges = DriftStatistics.psiEdges(ref, 10);
    return new long[][] {DriftStatistics.binCounts(edges, ref),
        DriftStatistics.binCounts(edges, Fixture.doubles(c.get("current")))};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void quantilesAreNumpysBitForBitAndPsiBucketsAreItsDeciles(String name, JsonNode c) {
    double[] sorted = Fixture.doubles(c.get("reference"));
    Arrays.sort(sorted);
    double[] percentiles = Fixture.doubles(c.get("percentiles"));
    for (int k = 1; k < 100; k++) {
      assertThat(DriftStatistics.quantile(sorted, k / 100.0)).as("quantile %d/100", k).isEqualTo(percentiles[k - 1]);
    }
    double[] edges = DriftStatistics.psiEdges(sorted, 10);
    if (!c.get("discrete").booleanValue()) {
      assertThat(edges).containsExactly(Arrays.stream(Fixture.doubles(c.get("deciles"))).distinct().toArray());
      // the fine bins refine the deciles: every decile is a fine edge
      assertThat(DriftStatistics.binEdges(sorted, 100)).contains(edges);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void kolmogorovSmirnovMatchesKs2sampsDefault(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double[] cur = Fixture.doubles(c.get("current"));
    var ks = DriftStatistics.ks(ref, cur);
    assertThat(ks.statistic()).isCloseTo(c.get("ks_statistic").doubleValue(), within(1e-15));
    assertPValue(ks.pValue(), c.get("ks_p_value").doubleValue());
    assertThat(c.get("ks_method").asText())
        .isEqualTo(Math.max(ref.length, cur.length) <= DriftStatistics.MAX_EXACT_KS_N ? "exact" : "asymp");
    if (c.get("ks_method").asText().equals("exact") && ks.pValue() > 1e-9 && (long) ref.length * cur.length <= 4_000_000) {
      // Hipparchus' exactP agrees wherever 1 − P(inside) still has the digits (it loses them below ~1e-9),
      // and up to 2,000 x 2,000; on 4,000 x 3,000 and 5,000 x 8,000 it returns 1 (see aHipparchusExactPGivesUp...)
      double hipparchus = new KolmogorovSmirnovTest().exactP(ks.statistic(), ref.length, cur.length, false);
      assertThat(ks.pValue()).isCloseTo(hipparchus, within(1e-10));
    }
  }

  /** The agreement figures quoted in docs/monitoring.md ("How the figures are checked"). */
  @org.junit.jupiter.api.Test
  void agreementWithScipyIsAtRoundingLevel() {
    double[][] err = new double[7][2]; // abs, rel: KS D, KS p, W, PSI, JS, chi2, chi2 p
    for (JsonNode c : Fixture.cases("numeric.json")) {
      double[] ref = Fixture.doubles(c.get("reference"));
      double[] cur = Fixture.doubles(c.get("current"));
      var ks = DriftStatistics.ks(ref, cur);
      long[][] b = aimsBuckets(c);
      var chi = DriftStatistics.chiSquare(b[0], b[1]);
      double[] actual = {ks.statistic(), ks.pValue(), DriftStatistics.wasserstein(ref, cur),
          DriftStatistics.psi(b[0], b[1]), DriftStatistics.jensenShannon(b[0], b[1]), chi.statistic(), chi.pValue()};
      String[] keys = {"ks_statistic", "ks_p_value", "wasserstein", "psi", "jensen_shannon", "chi_square",
          "chi_square_p_value"};
      for (int i = 0; i < keys.length; i++) {
        double expected = c.get(keys[i]).doubleValue();
        double abs = Math.abs(actual[i] - expected);
        err[i][0] = Math.max(err[i][0], abs);
        err[i][1] = Math.max(err[i][1], expected == 0 ? 0 : abs / Math.abs(expected));
      }
    }
    String[] names = {"KS D", "KS p", "Wasserstein", "PSI", "JS", "chi2", "chi2 p"};
    for (int i = 0; i < names.length; i++) {
      System.out.printf("%-12s max abs %.2e  max rel %.2e%n", names[i], err[i][0], err[i][1]);
      assertThat(err[i][1]).as(names[i]).isLessThan(1e-9);
    }
  }

  @org.junit.jupiter.api.Test
  void theEqualSizesSeriesRunsSciPysOperationsAndFallsBackToAsymptoticWhereItExceedsOne() {
    // SciPy 1.10 _compute_prob_outside_square(n, h), printed with repr(): the same doubles, bit for bit
    assertThat(DriftStatistics.ksOutsideSquare(30, 1)).isEqualTo(1.0000000000000004);
    assertThat(DriftStatistics.ksOutsideSquare(73, 2)).isEqualTo(1.0000000000000004);
    assertThat(DriftStatistics.ksOutsideSquare(100, 7)).isEqualTo(0.9684099261397212);
    assertThat(DriftStatistics.ksOutsideSquare(1000, 50)).isEqualTo(0.16411447756429137);
    // above 1 is no probability: ks_2samp warns and takes kstwo.sf(D, round(n·m/(n+m))), so does AIMS
    // (round(36.5) is 36: half to even, as numpy)
    assertThat(DriftStatistics.ksPValue(2 / 73.0, 73, 73)).isEqualTo(DriftStatistics.kolmogorovSf(36, 2 / 73.0));
  }

  @org.junit.jupiter.api.Test
  void hipparchusExactPGivesUpOnLargeSamplesWhichIsWhyAimsHasItsOwn() {
    // why DriftStatistics implements SciPy's recursion rather than calling Hipparchus: on a window SciPy
    // still computes exactly, Hipparchus' exactP answers 1 for a D whose p-value is ~4.5e-5
    double d = 0.05;
    double aims = DriftStatistics.ksPValue(d, 4000, 3000);
    assertThat(aims).isLessThan(1e-3);
    assertThat(new KolmogorovSmirnovTest().exactP(d, 4000, 3000, false)).isEqualTo(1.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void wassersteinMatchesScipy(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double w = DriftStatistics.wasserstein(ref, Fixture.doubles(c.get("current")));
    assertThat(w).isCloseTo(c.get("wasserstein").doubleValue(), within(1e-12 * Math.max(1, w)));
    double std = c.get("reference_std").doubleValue();
    assertThat(DriftStatistics.std(ref)).isCloseTo(std, within(1e-12 * Math.max(1, std)));
    assertThat(DriftStatistics.normalise(w, DriftStatistics.std(ref)))
        .isCloseTo(c.get("wasserstein_normed").doubleValue(), within(1e-12 * Math.max(1, w)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void psiJensenShannonAndChiSquareMatchTheDecilePsiAndScipy(String name, JsonNode c) {
    long[][] b = aimsBuckets(c);
    assertThat(DriftStatistics.psi(b[0], b[1])).isCloseTo(c.get("psi").doubleValue(), within(1e-12));
    assertThat(DriftStatistics.jensenShannon(b[0], b[1]))
        .isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-12));
    var chi = DriftStatistics.chiSquare(b[0], b[1]);
    assertThat(chi.statistic()).isCloseTo(c.get("chi_square").doubleValue(),
        within(1e-12 * Math.max(1, chi.statistic())));
    assertThat(chi.dof()).isEqualTo(c.get("chi_square_dof").intValue());
    assertPValue(chi.pValue(), c.get("chi_square_p_value").doubleValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void aDiscreteReferenceKeepsABucketPerValueAndOneBelowAndAboveIt(String name, JsonNode c) {
    if (!c.get("discrete").booleanValue()) {
      return;
    }
    // the documented difference from the decile rule: the fixture's buckets are the distinct values
    // (the variable as a category), which AIMS's per-value buckets reproduce
    double[] ref = Fixture.doubles(c.get("reference"));
    assertThat(c.get("buckets").asText()).isEqualTo("values");
    assertThat(DriftStatistics.psiEdges(ref, 10)).isEqualTo(DriftStatistics.binEdges(ref, 10));
    long[][] b = aimsBuckets(c);
    assertThat(Arrays.stream(b[1]).filter(n -> n > 0).toArray())
        .containsExactly(Arrays.stream(Fixture.longs(c.get("current_bucket_counts"))).filter(n -> n > 0).toArray());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("categorical")
  void categoricalStatisticsMatchScipy(String name, JsonNode c) {
    long[] rc = Fixture.longs(c.get("reference_bucket_counts"));
    long[] cc = Fixture.longs(c.get("current_bucket_counts"));
    var chi = DriftStatistics.chiSquare(rc, cc);
    assertThat(chi.statistic()).isCloseTo(c.get("chi_square").doubleValue(),
        within(1e-12 * Math.max(1, chi.statistic())));
    assertThat(chi.dof()).isEqualTo(c.get("chi_square_dof").intValue());
    assertPValue(chi.pValue(), c.get("chi_square_p_value").doubleValue());
    assertThat(DriftStatistics.psi(rc, cc)).isCloseTo(c.get("psi").doubleValue(), within(1e-12));
    assertThat(DriftStatistics.jensenShannon(rc, cc)).isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-12));
  }
}
