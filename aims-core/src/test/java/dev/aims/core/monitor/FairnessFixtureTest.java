package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.testing.TestClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Fairness figures from predictions and late labels reproduce numpy's (fixture from make_fixtures.py). */
class FairnessFixtureTest {
  final TestClock clock = TestClock.at("2026-11-23T10:00:00Z");

  @Test
  void selectionRatesParityDisparateImpactAndLabelledRatesMatchNumpy() {
    JsonNode c = Fixture.read("fairness.json").get("case");
    List<String> groups = new ArrayList<>();
    c.get("groups").forEach(g -> groups.add(g.asText()));
    int[] group = Fixture.ints(c.get("group"));
    int[] prediction = Fixture.ints(c.get("prediction"));
    int[] labelled = Fixture.ints(c.get("labelled"));
    int[] actual = Fixture.ints(c.get("actual"));
    Monitor m = Monitor.create("credit-scoring", MonitorConfig.builder()
        .fairness(FairnessConfig.of("age_band", groups, Boolean.class, b -> b)
            .minGroupSize(c.get("min_group_size").intValue())
            .window(Window.lastDecisions(1_000_000)))
        .build(), clock, Runnable::run, e -> {});

    UUID[] ids = new UUID[group.length];
    for (int i = 0; i < group.length; i++) {
      ids[i] = UUID.randomUUID();
      m.record(ids[i], Map.of(), prediction[i] == 1, Map.of("age_band", groups.get(group[i])));
    }
    for (int i = 0; i < group.length; i++) {
      if (labelled[i] == 1) {
        assertThat(m.feedback(ids[i], actual[i] == 1)).isEqualTo(FeedbackResult.RECORDED);
      }
    }
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();

    JsonNode expected = c.get("expected");
    for (String g : groups) {
      JsonNode e = expected.get("groups").get(g);
      FairnessReport.Group actualGroup = r.group(g);
      assertThat(actualGroup.decisions()).isEqualTo(e.get("decisions").longValue());
      assertThat(actualGroup.favourable()).isEqualTo(e.get("favourable").longValue());
      assertThat(actualGroup.labelled()).isEqualTo(e.get("labelled").longValue());
      assertThat(actualGroup.positives()).isEqualTo(e.get("positives").longValue());
      assertThat(actualGroup.negatives()).isEqualTo(e.get("negatives").longValue());
      assertFigure(actualGroup.selectionRate(), e.get("selection_rate"));
      assertFigure(actualGroup.truePositiveRate(), e.get("true_positive_rate"));
      assertFigure(actualGroup.falsePositiveRate(), e.get("false_positive_rate"));
      assertFigure(actualGroup.accuracy(), e.get("accuracy"));
      assertFigure(actualGroup.selectionRateToOverall(), e.get("selection_rate_to_overall"));
      assertFigure(actualGroup.truePositiveRateToOverall(), e.get("true_positive_rate_to_overall"));
      assertFigure(actualGroup.falsePositiveRateToOverall(), e.get("false_positive_rate_to_overall"));
      assertFigure(actualGroup.accuracyToOverall(), e.get("accuracy_to_overall"));
    }
    assertFigure(r.overallSelectionRate(), expected.get("overall_selection_rate"));
    assertFigure(r.selectionRateRatioToOverall(), expected.get("selection_rate_ratio_to_overall"));
    assertFigure(r.selectionRateDifferenceToOverall(), expected.get("selection_rate_difference_to_overall"));
    JsonNode to = expected.get("to_overall");
    assertToOverall(r.truePositiveRateToOverall(), to.get("true_positive_rate"));
    assertToOverall(r.falsePositiveRateToOverall(), to.get("false_positive_rate"));
    assertToOverall(r.accuracyToOverall(), to.get("accuracy"));
    // the 65+ group is below the minimum size: no figures, and left out of the differences
    assertThat(r.group("65+").belowMinimum()).isTrue();
    assertFigure(r.demographicParityDifference(), expected.get("demographic_parity_difference"));
    assertFigure(r.disparateImpactRatio(), expected.get("disparate_impact_ratio"));
    assertFigure(r.equalOpportunityDifference(), expected.get("equal_opportunity_difference"));
    assertFigure(r.equalizedOddsDifference(), expected.get("equalized_odds_difference"));
    assertThat(r.alarm()).isTrue(); // disparate impact 0.715 < 0.8
    assertThat(r.labelsRecorded()).isEqualTo(sum(labelled));
  }

  static void assertToOverall(FairnessReport.ToOverall actual, JsonNode expected) {
    assertFigure(actual.overall(), expected.get("overall"));
    assertFigure(actual.ratio(), expected.get("ratio"));
    assertFigure(actual.difference(), expected.get("difference"));
  }

  @Test
  void labelledRatesToOverallAreGaugedAndAbsentBelowTheMinimumGroupSize() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Monitor m = Monitor.create("s", MonitorConfig.builder()
        .fairness(FairnessConfig.of("g", List.of("a", "b"), Boolean.class, b -> b).minGroupSize(10))
        .build(), clock, Runnable::run, e -> {});
    m.bindTo(registry);
    // a: 10 positives, 8 predicted favourable (TPR 0.8); b: 10 positives, 4 (TPR 0.4); overall 12/20 = 0.6
    for (int i = 0; i < 20; i++) {
      UUID id = UUID.randomUUID();
      boolean a = i < 10;
      m.record(id, Map.of(), a ? i < 8 : i < 14, Map.of("g", a ? "a" : "b"));
      m.feedback(id, true);
    }
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.truePositiveRateToOverall().overall()).hasValue(0.6);
    assertThat(r.group("a").truePositiveRateToOverall().getAsDouble()).isCloseTo(0.8 / 0.6, within(1e-15));
    assertThat(r.truePositiveRateToOverall().ratio().getAsDouble()).isCloseTo(0.4 / 0.6, within(1e-15));
    assertThat(r.truePositiveRateToOverall().difference().getAsDouble()).isCloseTo(0.2, within(1e-15));
    assertThat(registry.get("aims.fairness.ratio").tags("metric", "true_positive_rate_to_overall", "group", "all")
        .gauge().value()).isCloseTo(0.4 / 0.6, within(1e-15));
    assertThat(registry.get("aims.fairness.difference").tags("metric", "true_positive_rate_to_overall", "group",
        "all").gauge().value()).isCloseTo(0.2, within(1e-15));
    // no labelled negatives: no false positive rate, overall or per group
    assertThat(r.falsePositiveRateToOverall().overall()).isEmpty();
    assertThat(r.group("a").falsePositiveRateToOverall()).isEmpty();
    assertThat(registry.get("aims.fairness.ratio").tags("metric", "false_positive_rate_to_overall", "group", "a")
        .gauge().value()).isNaN();
  }

  static void assertFigure(OptionalDouble actual, JsonNode expected) {
    if (expected == null) {
      assertThat(actual).isEmpty();
    } else {
      assertThat(actual).isPresent();
      assertThat(actual.getAsDouble()).isCloseTo(expected.doubleValue(), within(1e-12));
    }
  }

  static long sum(int[] a) {
    long s = 0;
    for (int v : a) {
      s += v;
    }
    return s;
  }
}
