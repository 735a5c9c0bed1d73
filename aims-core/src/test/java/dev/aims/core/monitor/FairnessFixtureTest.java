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
    }
    assertFigure(r.overallSelectionRate(), expected.get("overall_selection_rate"));
    assertFigure(r.selectionRateRatioToOverall(), expected.get("selection_rate_ratio_to_overall"));
    assertFigure(r.selectionRateDifferenceToOverall(), expected.get("selection_rate_difference_to_overall"));
    // the 65+ group is below the minimum size: no figures, and left out of the differences
    assertThat(r.group("65+").belowMinimum()).isTrue();
    assertFigure(r.demographicParityDifference(), expected.get("demographic_parity_difference"));
    assertFigure(r.disparateImpactRatio(), expected.get("disparate_impact_ratio"));
    assertFigure(r.equalOpportunityDifference(), expected.get("equal_opportunity_difference"));
    assertFigure(r.equalizedOddsDifference(), expected.get("equalized_odds_difference"));
    assertThat(r.alarm()).isTrue(); // disparate impact 0.715 < 0.8
    assertThat(r.labelsRecorded()).isEqualTo(sum(labelled));
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
