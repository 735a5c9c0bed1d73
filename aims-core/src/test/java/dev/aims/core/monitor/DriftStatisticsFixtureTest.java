package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The statistics on raw samples reproduce SciPy's (fixtures from make_fixtures.py). */
class DriftStatisticsFixtureTest {

  static Stream<Arguments> numeric() {
    return Fixture.cases("numeric.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> categorical() {
    return Fixture.cases("categorical.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  /** p-values: within 1e-6 relative, however small (a p-value SciPy rounds to 0 must be below 1e-300). */
  static void assertPValue(double actual, double expected) {
    if (expected == 0) {
      assertThat(actual).isLessThan(1e-300);
    } else {
      assertThat(actual).isCloseTo(expected, within(expected * 1e-6));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void binEdgesAreNumpysQuantilesBitForBit(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    assertThat(DriftStatistics.binEdges(ref, 10)).containsExactly(Fixture.doubles(c.get("psi_edges")));
    assertThat(DriftStatistics.binEdges(ref, 100)).containsExactly(Fixture.doubles(c.get("fine_edges")));
    double[] edges = Fixture.doubles(c.get("psi_edges"));
    assertThat(DriftStatistics.binCounts(edges, ref)).containsExactly(Fixture.longs(c.get("reference_bin_counts")));
    assertThat(DriftStatistics.binCounts(edges, Fixture.doubles(c.get("current"))))
        .containsExactly(Fixture.longs(c.get("current_bin_counts")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void kolmogorovSmirnovMatchesKs2samp(String name, JsonNode c) {
    var ks = DriftStatistics.ks(Fixture.doubles(c.get("reference")), Fixture.doubles(c.get("current")));
    assertThat(ks.statistic()).isCloseTo(c.get("ks_statistic").doubleValue(), within(1e-9));
    assertPValue(ks.pValue(), c.get("ks_p_value").doubleValue());
    if (c.get("ks_method").asText().equals("exact")) {
      // Hipparchus' exactP agrees wherever 1 − P(inside) still has the digits
      double hipparchus = new org.hipparchus.stat.inference.KolmogorovSmirnovTest().exactP(ks.statistic(),
          c.get("reference").size(), c.get("current").size(), false);
      assertThat(ks.pValue()).isCloseTo(hipparchus, within(1e-12));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void wassersteinMatchesScipy(String name, JsonNode c) {
    double[] ref = Fixture.doubles(c.get("reference"));
    double w = DriftStatistics.wasserstein(ref, Fixture.doubles(c.get("current")));
    assertThat(w).isCloseTo(c.get("wasserstein").doubleValue(), within(1e-6 * Math.max(1, w)));
    assertThat(DriftStatistics.std(ref)).isCloseTo(c.get("reference_std").doubleValue(), within(1e-9));
    assertThat(DriftStatistics.normalise(w, DriftStatistics.std(ref)))
        .isCloseTo(c.get("wasserstein_normed").doubleValue(), within(1e-6 * Math.max(1, w)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void binnedStatisticsMatchNumpyAndScipy(String name, JsonNode c) {
    long[] rc = Fixture.longs(c.get("reference_bin_counts"));
    long[] cc = Fixture.longs(c.get("current_bin_counts"));
    assertThat(DriftStatistics.psi(rc, cc)).isCloseTo(c.get("psi").doubleValue(), within(1e-9));
    assertThat(DriftStatistics.jensenShannon(rc, cc)).isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-9));
    var chi = DriftStatistics.chiSquare(rc, cc);
    assertThat(chi.statistic()).isCloseTo(c.get("chi_square").doubleValue(),
        within(1e-9 * Math.max(1, chi.statistic())));
    assertThat(chi.dof()).isEqualTo(c.get("chi_square_dof").intValue());
    assertPValue(chi.pValue(), c.get("chi_square_p_value").doubleValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("categorical")
  void categoricalStatisticsMatchScipy(String name, JsonNode c) {
    long[] rc = Fixture.longs(c.get("reference_bucket_counts"));
    long[] cc = Fixture.longs(c.get("current_bucket_counts"));
    var chi = DriftStatistics.chiSquare(rc, cc);
    assertThat(chi.statistic()).isCloseTo(c.get("chi_square").doubleValue(),
        within(1e-9 * Math.max(1, chi.statistic())));
    assertThat(chi.dof()).isEqualTo(c.get("chi_square_dof").intValue());
    assertPValue(chi.pValue(), c.get("chi_square_p_value").doubleValue());
    assertThat(DriftStatistics.psi(rc, cc)).isCloseTo(c.get("psi").doubleValue(), within(1e-9));
    assertThat(DriftStatistics.jensenShannon(rc, cc)).isCloseTo(c.get("jensen_shannon").doubleValue(), within(1e-9));
  }

}
