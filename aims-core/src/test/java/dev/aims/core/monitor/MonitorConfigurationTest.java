package dev.aims.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.testing.TestClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Configuration that cannot silently yield nothing, and bad input that is refused or counted. */
class MonitorConfigurationTest {
  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");
  final Random rnd = new Random(14);

  Monitor monitor(MonitorConfig.Builder config) {
    // an hour between evaluations and a clock that does not move: only the first-figure rule can evaluate
    return Monitor.create("credit-scoring", config.reviewOnDrift(false).evaluationInterval(Duration.ofHours(1)).build(),
        clock, Runnable::run, e -> {});
  }

  static void record(Monitor m, Object value) {
    m.record(UUID.randomUUID(), Map.of("x", value), null, Map.of());
  }

  double[] normals(int n) {
    return rnd.doubles(n).map(u -> rnd.nextGaussian()).toArray();
  }

  @Test
  void aWindowSmallerThanMinSamplesFailsAtBuildTimeNamingBothSettings() {
    DriftFeature small = DriftFeature.numeric("income", Reference.of(normals(100))).window(Window.lastDecisions(20));
    assertThatThrownBy(() -> MonitorConfig.builder().drift(small).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window of feature 'income' (last 20 values) is smaller than minSamples 30: it would never have a"
            + " figure; give a window of at least 30 values or lower minSamples");
    // whatever order the settings come in
    assertThatThrownBy(() -> MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.of(normals(100))).minSamples(50).window(Window.lastDecisions(40)))
        .build()).hasMessageContaining("minSamples 50");
    // lowering the minimum is the way to a small window
    assertThat(MonitorConfig.builder().drift(small.minSamples(20)).build().drift()).hasSize(1);
  }

  @Test
  void aSlicedWindowMustHoldMinSamplesJustAfterItMovesOn() {
    // 3,000 values in 2 slices hold 1,500 just after a slide
    DriftFeature f = DriftFeature.numeric("income", Reference.of(normals(100)))
        .window(Window.lastDecisions(3_000).withSlices(2)).minSamples(2_000);
    assertThatThrownBy(() -> MonitorConfig.builder().drift(f).build())
        .hasMessageContaining("at least 1500 once full").hasMessageContaining("minSamples 2000");
  }

  @Test
  void aFairnessWindowSmallerThanTheMinimumGroupSizeFailsAtBuildTime() {
    FairnessConfig f = FairnessConfig.of("age_band", List.of("young", "old"), Double.class, v -> v > 0.5)
        .window(Window.lastDecisions(20));
    assertThatThrownBy(() -> MonitorConfig.builder().fairness(f).build())
        .hasMessageContaining("window of fairness attribute 'age_band' (last 20 values)")
        .hasMessageContaining("minGroupSize 30");
  }

  @Test
  void theFirstFigureIsComputedOnTheValueThatMakesItPossible() {
    Monitor m = monitor(MonitorConfig.builder()
        .drift(DriftFeature.numeric("x", Reference.of(normals(500))).window(Window.lastDecisions(1_000))));
    for (int i = 0; i < 29; i++) {
      record(m, rnd.nextGaussian());
    }
    assertThat(m.drift("x").hasFigures()).isFalse();
    record(m, rnd.nextGaussian());
    assertThat(m.drift("x").hasFigures()).isTrue();
    assertThat(m.drift("x").currentCount()).isEqualTo(30);
  }

  @Test
  void aFirstDecisionsReferenceHasItsFirstFigureAsSoonAsTheWindowHoldsMinSamples() {
    Monitor m = monitor(MonitorConfig.builder()
        .drift(DriftFeature.categorical("x", Reference.firstDecisions(100)).window(Window.lastDecisions(500))));
    String[] channels = {"web", "mobile", "branch"};
    for (int i = 0; i < 129; i++) {
      record(m, channels[i % 3]);
    }
    assertThat(m.drift("x").hasFigures()).isFalse();
    record(m, "web");
    assertThat(m.drift("x").hasFigures()).isTrue();
    assertThat(m.drift("x").referenceCount()).isEqualTo(100);
  }

  @Test
  void aRollingReferenceHasItsFirstFigureOnceThePreviousWindowHoldsMinSamples() {
    Monitor m = monitor(MonitorConfig.builder()
        .drift(DriftFeature.numeric("x", Reference.previousWindow()).window(Window.lastDecisions(200))));
    for (int i = 0; i < 229; i++) {
      record(m, rnd.nextGaussian());
    }
    assertThat(m.drift("x").hasFigures()).isFalse();
    record(m, rnd.nextGaussian());
    assertThat(m.drift("x").hasFigures()).isTrue();
  }

  @Test
  void fractionalInfiniteAndOversizedCountsAreRefusedNamingTheCategory() {
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", Double.POSITIVE_INFINITY)))
        .hasMessage("count of category 'web' must be a finite whole number but was Infinity");
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", 1e19)))
        .hasMessageContaining("count of category 'web' must be at most 9007199254740992 (2^53) but was 1.0E19");
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", 2.5)))
        .hasMessage("count of category 'web' must be a whole number but was 2.5 (counts are not rounded)");
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", new BigInteger("100000000000000000000"))))
        .hasMessageContaining("at most 9007199254740992");
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", Reference.MAX_COUNT, "app", 1L)))
        .hasMessageContaining("must total at most 9007199254740992");
    assertThatThrownBy(() -> Reference.ofCategoryCounts(Map.of("web", -1)))
        .hasMessageContaining("must be >= 0 but was -1");
    // whole numbers in any type are taken as they are
    Map<String, Number> whole = Map.of("web", 3.0, "app", new BigDecimal("4.00"), "kiosk", 5);
    assertThat(Reference.ofCategoryCounts(whole).categories())
        .containsExactlyInAnyOrderEntriesOf(Map.of("web", 3L, "app", 4L, "kiosk", 5L));
  }

  @Test
  void aSnapshotWithAFractionalOrOverflowingCountIsRefused() {
    String json = "{\"version\":2,\"feature\":\"x\",\"type\":\"CATEGORICAL\",\"count\":3,\"std\":0,"
        + "\"categories\":{\"web\":COUNT},\"other\":0}";
    assertThatThrownBy(() -> DriftSnapshot.fromJson(json.replace("COUNT", "2.5")))
        .hasMessageContaining("not a drift snapshot");
    assertThatThrownBy(() -> DriftSnapshot.fromJson(json.replace("COUNT", "9223372036854775807")
        .replace("\"other\":0", "\"other\":1"))).hasMessageContaining("total at most 9007199254740992");
  }

  @Test
  void aDecisionIdRecordedTwiceKeepsItsFirstRecordAndTakesOneLabel() {
    Monitor m = monitor(MonitorConfig.builder()
        .fairness(FairnessConfig.of("age_band", List.of("young", "old"), Double.class, v -> v > 0.5).minGroupSize(1)));
    UUID id = UUID.randomUUID();
    m.record(id, Map.of(), 0.9, Map.of("age_band", "young"));
    assertThat(m.feedback(id, true)).isEqualTo(FeedbackResult.RECORDED);
    m.record(id, Map.of(), 0.1, Map.of("age_band", "old")); // the same id again
    assertThat(m.feedback(id, false)).isEqualTo(FeedbackResult.DUPLICATE);
    m.evaluateNow();
    FairnessReport r = m.fairness().orElseThrow();
    assertThat(r.duplicateDecisions()).isEqualTo(1);
    assertThat(r.labelsRecorded()).isEqualTo(1);
    assertThat(r.groups()).filteredOn(g -> g.name().equals("old")).singleElement()
        .satisfies(g -> assertThat(g.decisions()).isZero());
  }
}
