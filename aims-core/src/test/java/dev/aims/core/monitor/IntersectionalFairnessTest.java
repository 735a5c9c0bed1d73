package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aims.core.AimsMetricNames;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Groups by several protected attributes, and rates to the overall rate (Fairlearn's MetricFrame 'to_overall'). */
class IntersectionalFairnessTest {
  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");

  FairnessConfig ageBySex() {
    return FairnessConfig.intersection(List.of("age_band", "sex"), List.of(List.of("young", "old"), List.of("f", "m")),
        Double.class, v -> v > 0.5).minGroupSize(5).window(Window.lastDecisions(1_000));
  }

  static void decide(Monitor m, Map<String, String> attributes, int decisions, int favourable) {
    for (int i = 0; i < decisions; i++) {
      m.record(UUID.randomUUID(), Map.of(), i < favourable ? 0.9 : 0.1, attributes);
    }
  }

  @Test
  void groupsAreTheCombinationsOfTheAttributesValuesWithRatesToTheOverallRate() {
    Monitor m = Monitor.create("credit-scoring", MonitorConfig.builder().fairness(ageBySex()).build(), clock,
        Runnable::run, e -> {});
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    m.bindTo(registry);
    decide(m, Map.of("age_band", "young", "sex", "f"), 10, 8); // 0.8
    decide(m, Map.of("age_band", "young", "sex", "m"), 10, 6); // 0.6
    decide(m, Map.of("age_band", "old", "sex", "f"), 20, 10); // 0.5
    decide(m, Map.of("age_band", "old", "sex", "m"), 10, 2); // 0.2
    decide(m, Map.of("age_band", "old"), 3, 3); // no sex: missing
    decide(m, Map.of("age_band", "old", "sex", "x"), 4, 4); // not declared
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();

    assertThat(r.attribute()).isEqualTo("age_band|sex");
    assertThat(r.groups()).extracting(FairnessReport.Group::name).containsExactly("young|f", "young|m", "old|f", "old|m");
    assertThat(r.groups()).extracting(FairnessReport.Group::decisions).containsExactly(10L, 10L, 20L, 10L);
    assertThat(r.missingAttribute()).isEqualTo(3);
    assertThat(r.undeclaredGroup()).isEqualTo(4);
    double overall = 26 / 50.0;
    assertThat(r.overallSelectionRate().getAsDouble()).isCloseTo(overall, within(1e-15));
    double[] rates = {0.8, 0.6, 0.5, 0.2};
    for (int g = 0; g < 4; g++) {
      assertThat(r.groups().get(g).selectionRateToOverall().getAsDouble()).isCloseTo(rates[g] / overall, within(1e-15));
    }
    // Fairlearn's ratio(method='to_overall'): the smallest ratio, one above 1 inverted; difference: the largest gap
    assertThat(r.selectionRateRatioToOverall().getAsDouble()).isCloseTo(0.2 / overall, within(1e-15));
    assertThat(r.selectionRateDifferenceToOverall().getAsDouble()).isCloseTo(overall - 0.2, within(1e-15));
    // between groups as before
    assertThat(r.disparateImpactRatio().getAsDouble()).isCloseTo(0.2 / 0.8, within(1e-15));
    assertThat(r.demographicParityDifference().getAsDouble()).isCloseTo(0.6, within(1e-15));
    assertThat(r.alarm()).isTrue();

    assertThat(registry.get(AimsMetricNames.FAIRNESS_RATIO).tags("metric", "selection_rate_to_overall",
        "attribute", "age_band|sex", "group", "old|m").gauge().value()).isCloseTo(0.2 / overall, within(1e-15));
    assertThat(registry.get(AimsMetricNames.FAIRNESS_RATIO).tags("metric", "selection_rate", "group", "all")
        .gauge().value()).isCloseTo(overall, within(1e-15));
    assertThat(registry.get(AimsMetricNames.FAIRNESS_DIFFERENCE).tags("metric", "demographic_parity_to_overall",
        "group", "all").gauge().value()).isCloseTo(overall - 0.2, within(1e-15));
  }

  @Test
  void lateLabelsCountInTheirIntersectionalGroup() {
    Monitor m = Monitor.create("credit-scoring", MonitorConfig.builder().fairness(ageBySex()).build(), clock,
        Runnable::run, e -> {});
    List<UUID> ids = IntStream.range(0, 10).mapToObj(i -> UUID.randomUUID()).toList();
    for (UUID id : ids) {
      m.record(id, Map.of(), 0.9, Map.of("age_band", "old", "sex", "m"));
    }
    ids.forEach(id -> assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.RECORDED));
    m.evaluateNow();
    FairnessReport.Group oldMen = m.fairness().orElseThrow().groups().get(3);
    assertThat(oldMen.name()).isEqualTo("old|m");
    assertThat(oldMen.positives()).isEqualTo(10);
    assertThat(oldMen.truePositiveRate().getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void theCombinationsAreBoundedAndNamesCannotBeAmbiguous() {
    List<String> ten = IntStream.range(0, 10).mapToObj(i -> "g" + i).toList();
    List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "h" + i).toList();
    assertThatThrownBy(() -> FairnessConfig.intersection(List.of("a", "b"), List.of(ten, eleven), Double.class,
        v -> v > 0.5)).hasMessageContaining("has 110 groups, more than 100");
    assertThatThrownBy(() -> FairnessConfig.intersection(List.of("a", "b"), List.of(List.of("x|y", "z"),
        List.of("f", "m")), Double.class, v -> v > 0.5)).hasMessageContaining("must not contain '|'");
    assertThatThrownBy(() -> FairnessConfig.intersection(List.of("a"), List.of(ten), Double.class, v -> v > 0.5))
        .hasMessageContaining("at least two attributes");
    assertThatThrownBy(() -> FairnessConfig.intersection(List.of("a", "a"), List.of(ten, ten), Double.class,
        v -> v > 0.5)).hasMessageContaining("twice");
    assertThat(FairnessConfig.intersection(List.of("a", "b"), List.of(ten, ten), Double.class, v -> v > 0.5)
        .groups()).hasSize(100).startsWith("g0|g0", "g0|g1");
    assertThat(Duration.ofDays(30)).isEqualTo(ageBySex().labelExpiry());
  }
}
