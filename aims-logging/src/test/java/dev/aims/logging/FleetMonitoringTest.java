package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftReport;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.FairnessConfig;
import dev.aims.core.monitor.FairnessReport;
import dev.aims.core.monitor.FeedbackResult;
import dev.aims.core.monitor.FleetConfig;
import dev.aims.core.monitor.FleetStatus;
import dev.aims.core.monitor.FleetStore;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances, each with its own monitors, on one embedded PostgreSQL: the fleet figures equal
 * those of one monitor fed every instance's data, and SciPy's/numpy's on the union (the fixtures of
 * aims-core/src/test/python/make_fixtures.py); a label reaching any instance is joined once.
 */
class FleetMonitoringTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final AtomicInteger PREFIXES = new AtomicInteger();
  static final String[] NAMES = {"a", "b", "c"};
  @TempDir
  static Path dir;
  static PostgresTestSupport pg;

  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PostgresTestSupport.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  static FleetStore newStore() {
    return PostgresFleetStore.create(pg.dataSource(), "fleet_" + PREFIXES.incrementAndGet());
  }

  static JsonNode fixtureCase(String file, String name) throws IOException {
    JsonNode root = MAPPER.readTree(Files.readString(Path.of("../aims-core/src/test/resources/monitor/" + file)));
    JsonNode cases = root.get("cases");
    if (cases == null) {
      return root.get("case");
    }
    for (JsonNode c : cases) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("no fixture case '" + name + "' in " + file);
  }

  static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).doubleValue();
    }
    return out;
  }

  /** One monitor per instance with the same configuration, publishing to {@code store}. */
  List<Monitor> fleet(FleetStore store, MonitorConfig.Builder... builders) {
    List<Monitor> out = new ArrayList<>();
    for (int i = 0; i < builders.length; i++) {
      MonitorConfig config = builders[i].fleet(FleetConfig.of(store, NAMES[i])).build();
      out.add(Monitor.create("loans", config, clock, Runnable::run, e -> {}));
    }
    return out;
  }

  static void rounds(List<Monitor> instances) {
    // the first instance's round sees only what was published before it: a second round sees everyone
    instances.forEach(Monitor::evaluateNow);
    instances.forEach(Monitor::evaluateNow);
  }

  static final String NUMERIC = "binned window: normal 4000 x 3000, mean shift 0.05";
  static final String CATEGORICAL = "60 categories, 20 kept, rest in 'other'";

  MonitorConfig.Builder driftConfig(double[] reference, Map<String, Long> categories) {
    return MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.of(reference)).window(Window.lastDecisions(5_000)))
        .drift(DriftFeature.categorical("channel", Reference.ofCategoryCounts(categories))
            .maxCategories(20).window(Window.lastDecisions(5_000)));
  }

  @Test
  void fleetDriftOfThreeInstancesEqualsOneMonitorFedAllTheDataAndScipyOnTheUnion() throws IOException {
    JsonNode num = fixtureCase("numeric.json", NUMERIC);
    JsonNode cat = fixtureCase("categorical.json", CATEGORICAL);
    double[] ref = doubles(num.get("reference"));
    double[] cur = doubles(num.get("current"));
    Map<String, Long> refCats = counts(cat.get("reference_counts"));
    List<String> curCats = expand(counts(cat.get("current_counts")));

    List<Monitor> instances = fleet(newStore(), driftConfig(ref, refCats), driftConfig(ref, refCats),
        driftConfig(ref, refCats));
    Monitor oracle = Monitor.create("loans", driftConfig(ref, refCats).build(), clock, Runnable::run, e -> {});
    for (int i = 0; i < Math.max(cur.length, curCats.size()); i++) {
      Map<String, Object> features = new TreeMap<>();
      if (i < cur.length) {
        features.put("income", cur[i]);
      }
      if (i < curCats.size()) {
        features.put("channel", curCats.get(i));
      }
      instances.get(i % 3).record(UUID.randomUUID(), features, null, Map.of());
      oracle.record(UUID.randomUUID(), features, null, Map.of());
    }
    rounds(instances);
    oracle.evaluateNow();

    for (Monitor m : instances) {
      DriftReport local = m.drift("income");
      assertThat(local.currentCount()).isEqualTo(1_000);
      DriftReport fleet = m.fleetDrift("income").orElseThrow();
      DriftReport one = oracle.drift("income");
      assertThat(fleet.currentCount()).isEqualTo(cur.length);
      // the oracle's window is binned too: bucket statistics and KS are computed from the same counts
      for (DriftStatistic s : List.of(DriftStatistic.PSI, DriftStatistic.JENSEN_SHANNON, DriftStatistic.CHI_SQUARE,
          DriftStatistic.KS)) {
        assertThat(fleet.score(s)).as(s.tag()).isEqualTo(one.score(s));
      }
      assertThat(fleet.pValue(DriftStatistic.KS)).isEqualTo(one.pValue(DriftStatistic.KS));
      assertThat(fleet.pValueLowerBound(DriftStatistic.KS)).isEqualTo(one.pValueLowerBound(DriftStatistic.KS));
      assertThat(fleet.errorBound(DriftStatistic.KS)).isEqualTo(one.errorBound(DriftStatistic.KS));
      // Wasserstein adds the bins' sums in another order: equal to rounding
      double w = one.score(DriftStatistic.WASSERSTEIN).getAsDouble();
      assertThat(fleet.score(DriftStatistic.WASSERSTEIN).getAsDouble()).isCloseTo(w, within(1e-12 * Math.max(1, w)));
      // against SciPy/numpy on the raw union: PSI, JS, chi-square exact; KS within its reported bound
      assertThat(fleet.score(DriftStatistic.PSI).getAsDouble()).isCloseTo(num.get("psi").doubleValue(), within(1e-12));
      assertThat(fleet.score(DriftStatistic.JENSEN_SHANNON).getAsDouble())
          .isCloseTo(num.get("jensen_shannon").doubleValue(), within(1e-12));
      double chi2 = num.get("chi_square").doubleValue();
      assertThat(fleet.score(DriftStatistic.CHI_SQUARE).getAsDouble()).isCloseTo(chi2, within(1e-12 * Math.max(1, chi2)));
      assertRelative(fleet.pValue(DriftStatistic.CHI_SQUARE).getAsDouble(), num.get("chi_square_p_value").doubleValue());
      assertThat(fleet.chiSquareDegreesOfFreedom()).isEqualTo(num.get("chi_square_dof").intValue());
      double d = fleet.score(DriftStatistic.KS).getAsDouble();
      double dTrue = num.get("ks_statistic").doubleValue();
      assertThat(d).isLessThanOrEqualTo(dTrue + 1e-12);
      assertThat(dTrue - d).isLessThanOrEqualTo(fleet.errorBound(DriftStatistic.KS).getAsDouble() + 1e-12);
      double pTrue = num.get("ks_p_value").doubleValue();
      assertThat(fleet.pValueLowerBound(DriftStatistic.KS).getAsDouble()).isLessThanOrEqualTo(pTrue * (1 + 1e-9));
      assertThat(pTrue).isLessThanOrEqualTo(fleet.pValue(DriftStatistic.KS).getAsDouble() * (1 + 1e-9));
      double wTrue = num.get("wasserstein_normed").doubleValue();
      assertThat(Math.abs(fleet.score(DriftStatistic.WASSERSTEIN).getAsDouble() - wTrue))
          .isLessThanOrEqualTo(fleet.errorBound(DriftStatistic.WASSERSTEIN).getAsDouble() + 1e-9);

      DriftReport channel = m.fleetDrift("channel").orElseThrow();
      assertThat(channel.currentCount()).isEqualTo(curCats.size());
      assertThat(channel.score(DriftStatistic.PSI).getAsDouble()).isCloseTo(cat.get("psi").doubleValue(), within(1e-12));
      assertThat(channel.score(DriftStatistic.JENSEN_SHANNON).getAsDouble())
          .isCloseTo(cat.get("jensen_shannon").doubleValue(), within(1e-12));
      double cchi = cat.get("chi_square").doubleValue();
      assertThat(channel.score(DriftStatistic.CHI_SQUARE).getAsDouble()).isCloseTo(cchi, within(1e-9 * Math.max(1, cchi)));
      assertThat(channel.chiSquareDegreesOfFreedom()).isEqualTo(cat.get("chi_square_dof").intValue());
      assertThat(channel.score(DriftStatistic.PSI)).isEqualTo(oracle.drift("channel").score(DriftStatistic.PSI));

      FleetStatus status = m.fleetStatus().orElseThrow();
      assertThat(status.instances()).containsExactly("a", "b", "c");
      assertThat(status.stale()).isFalse();
      assertThat(status.mismatched()).isZero();
    }
  }

  @Test
  void fleetGaugesCarryScopeFleetBesideTheInstancesOwn() throws IOException {
    List<Monitor> instances = fedNumericFleet(newStore());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    instances.get(0).bindTo(registry);
    rounds(instances);
    double local = registry.get("aims.drift.score").tags("feature", "income", "statistic", "psi", "scope", "instance")
        .gauge().value();
    double fleet = registry.get("aims.drift.score").tags("feature", "income", "statistic", "psi", "scope", "fleet")
        .gauge().value();
    assertThat(local).isEqualTo(instances.get(0).drift("income").score(DriftStatistic.PSI).getAsDouble());
    assertThat(fleet).isEqualTo(instances.get(0).fleetDrift("income").orElseThrow().score(DriftStatistic.PSI)
        .getAsDouble()).isNotEqualTo(local);
    assertThat(registry.get("aims.monitor.fleet.instances").gauge().value()).isEqualTo(3);
    assertThat(registry.get("aims.monitor.fleet.stale").gauge().value()).isZero();
  }

  @Test
  void aLabelSentToAnotherInstanceIsRecordedOnceAndFleetFairnessMatchesNumpy() throws IOException {
    JsonNode c = fixtureCase("fairness.json", null);
    List<String> groups = new ArrayList<>();
    c.get("groups").forEach(g -> groups.add(g.asText()));
    int n = c.get("group").size();
    List<Monitor> instances = fleet(newStore(), fairnessConfig(c, groups), fairnessConfig(c, groups),
        fairnessConfig(c, groups));
    UUID[] ids = new UUID[n];
    for (int i = 0; i < n; i++) {
      ids[i] = UUID.randomUUID();
      instances.get(i % 3).record(ids[i], Map.of(), c.get("prediction").get(i).intValue() == 1,
          Map.of("age_band", groups.get(c.get("group").get(i).intValue())));
    }
    instances.forEach(Monitor::evaluateNow); // each writes its pending decisions to the store
    int labels = 0;
    for (int i = 0; i < n; i++) {
      if (c.get("labelled").get(i).intValue() == 1) {
        boolean actual = c.get("actual").get(i).intValue() == 1;
        // made on instance i % 3, labelled on the next one
        assertThat(instances.get((i + 1) % 3).feedback(ids[i], actual)).isEqualTo(FeedbackResult.RECORDED);
        labels++;
      }
    }
    // the same label again, on the third instance and on the one that made the decision
    int first = firstLabelled(c);
    assertThat(instances.get((first + 2) % 3).feedback(ids[first], true)).isEqualTo(FeedbackResult.DUPLICATE);
    assertThat(instances.get(first % 3).feedback(ids[first], true)).isEqualTo(FeedbackResult.DUPLICATE);
    assertThat(instances.get(1).feedback(UUID.randomUUID(), true)).isEqualTo(FeedbackResult.UNKNOWN);
    rounds(instances);

    JsonNode e = c.get("expected");
    for (Monitor m : instances) {
      FairnessReport r = m.fleetFairness().orElseThrow();
      long labelled = 0;
      for (String g : groups) {
        JsonNode eg = e.get("groups").get(g);
        FairnessReport.Group rg = r.group(g);
        assertThat(rg.decisions()).isEqualTo(eg.get("decisions").longValue());
        assertThat(rg.labelled()).isEqualTo(eg.get("labelled").longValue());
        assertThat(rg.positives()).isEqualTo(eg.get("positives").longValue());
        assertFigure(rg.selectionRate(), eg.get("selection_rate"));
        assertFigure(rg.truePositiveRate(), eg.get("true_positive_rate"));
        assertFigure(rg.falsePositiveRate(), eg.get("false_positive_rate"));
        assertFigure(rg.accuracy(), eg.get("accuracy"));
        assertFigure(rg.truePositiveRateToOverall(), eg.get("true_positive_rate_to_overall"));
        labelled += rg.labelled();
      }
      assertThat(labelled).isEqualTo(labels);
      assertFigure(r.disparateImpactRatio(), e.get("disparate_impact_ratio"));
      assertFigure(r.equalizedOddsDifference(), e.get("equalized_odds_difference"));
      assertFigure(r.overallSelectionRate(), e.get("overall_selection_rate"));
      assertFigure(r.accuracyToOverall().ratio(), e.get("to_overall").get("accuracy").get("ratio"));
      // an instance's own figures hold only its third of the decisions
      assertThat(m.fairness().orElseThrow().group(groups.get(1)).decisions())
          .isLessThan(e.get("groups").get(groups.get(1)).get("decisions").longValue() / 2);
    }
  }

  @Test
  void aLabelOnTheDecidingInstanceBeforeItsRecordReachedTheStoreStillBlocksASecondElsewhere() {
    List<String> groups = List.of("x", "y");
    FleetStore store = newStore();
    List<Monitor> instances = fleet(store, simpleFairness(groups), simpleFairness(groups));
    UUID id = UUID.randomUUID();
    // the first decision starts a round at once; the next is shared at the round after the interval
    instances.get(0).record(UUID.randomUUID(), Map.of(), true, Map.of("g", "x"));
    instances.get(0).record(id, Map.of(), true, Map.of("g", "x"));
    assertThat(instances.get(1).feedback(id, true)).as("not yet published").isEqualTo(FeedbackResult.UNKNOWN);
    assertThat(instances.get(0).feedback(id, true)).isEqualTo(FeedbackResult.RECORDED);
    assertThat(instances.get(1).feedback(id, true)).isEqualTo(FeedbackResult.DUPLICATE);
    instances.get(0).evaluateNow(); // its pending record arrives after the label: the label stays
    assertThat(instances.get(1).feedback(id, false)).isEqualTo(FeedbackResult.DUPLICATE);
  }

  @Test
  void aDecisionEvictedFromTheLocalCacheIsStillFoundInTheStore() {
    FleetStore store = newStore();
    List<Monitor> instances = fleet(store, MonitorConfig.builder().fairness(FairnessConfig.of("g", List.of("x", "y"),
        Boolean.class, b -> b).pendingLabels(10, Duration.ofDays(1))));
    UUID first = UUID.randomUUID();
    instances.get(0).record(first, Map.of(), true, Map.of("g", "x"));
    instances.get(0).evaluateNow();
    for (int i = 0; i < 1_000; i++) {
      instances.get(0).record(UUID.randomUUID(), Map.of(), true, Map.of("g", "y"));
    }
    assertThat(instances.get(0).awaitsLabel(first)).as("evicted locally").isFalse();
    assertThat(instances.get(0).feedback(first, true)).isEqualTo(FeedbackResult.RECORDED);
  }

  @Test
  void anExpiredDecisionIsUnknownEverywhere() {
    List<Monitor> instances = fleet(newStore(), simpleFairness(List.of("x", "y")), simpleFairness(List.of("x", "y")));
    UUID id = UUID.randomUUID();
    instances.get(0).record(id, Map.of(), true, Map.of("g", "x"));
    instances.get(0).evaluateNow();
    clock.advance(Duration.ofDays(2)); // expiry 1 day
    assertThat(instances.get(1).feedback(id, true)).isEqualTo(FeedbackResult.UNKNOWN);
    assertThat(instances.get(0).feedback(id, true)).isEqualTo(FeedbackResult.UNKNOWN);
  }

  @Test
  void anInstanceThatStopsPublishingAgesOutOfTheFleetFigure() throws IOException {
    List<Monitor> instances = fedNumericFleet(newStore());
    rounds(instances);
    assertThat(instances.get(0).fleetDrift("income").orElseThrow().currentCount()).isEqualTo(3_000);
    // b stops; a and c go on publishing past b's stale limit (1 minute)
    clock.advance(Duration.ofSeconds(61));
    instances.get(0).evaluateNow();
    instances.get(2).evaluateNow();
    instances.get(0).evaluateNow();
    assertThat(instances.get(0).fleetDrift("income").orElseThrow().currentCount()).isEqualTo(2_000);
    assertThat(instances.get(0).fleetStatus().orElseThrow().instances()).containsExactly("a", "c");
  }

  @Test
  void postgresUnreachableLeavesLocalFiguresGoingMarksTheFleetStaleAndCounts(@TempDir Path own) throws Exception {
    try (PostgresTestSupport db = PostgresTestSupport.start(own.resolve("pg"))) {
      FleetStore store = PostgresFleetStore.create(db.dataSource());
      JsonNode num = fixtureCase("numeric.json", NUMERIC);
      double[] ref = doubles(num.get("reference"));
      double[] cur = doubles(num.get("current"));
      Map<String, Long> cats = Map.of("web", 10L);
      MonitorConfig.Builder a = driftConfig(ref, cats).fairness(FairnessConfig.of("g", List.of("x", "y"),
          Boolean.class, b -> b));
      MonitorConfig.Builder b = driftConfig(ref, cats).fairness(FairnessConfig.of("g", List.of("x", "y"),
          Boolean.class, x -> x));
      List<Monitor> instances = fleet(store, a, b);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      instances.get(0).bindTo(registry);
      for (int i = 0; i < 1_000; i++) {
        instances.get(i % 2).record(UUID.randomUUID(), Map.of("income", cur[i]), null, Map.of());
      }
      UUID mine = UUID.randomUUID();
      UUID theirs = UUID.randomUUID();
      instances.get(0).record(mine, Map.of(), true, Map.of("g", "x"));
      instances.get(1).record(theirs, Map.of(), true, Map.of("g", "x"));
      rounds(instances);
      long fleetCount = instances.get(0).fleetDrift("income").orElseThrow().currentCount();
      assertThat(fleetCount).isEqualTo(1_000);

      db.stop();
      for (int i = 1_000; i < 2_000; i++) {
        instances.get(0).record(UUID.randomUUID(), Map.of("income", cur[i]), null, Map.of());
      }
      instances.get(0).evaluateNow();
      assertThat(instances.get(0).drift("income").currentCount()).as("local figures go on").isEqualTo(1_500);
      FleetStatus status = instances.get(0).fleetStatus().orElseThrow();
      assertThat(status.stale()).isTrue();
      assertThat(status.failures()).isEqualTo(1);
      assertThat(instances.get(0).fleetDrift("income").orElseThrow().currentCount()).as("last good figure")
          .isEqualTo(fleetCount);
      assertThat(registry.get("aims.monitor.fleet.stale").gauge().value()).isEqualTo(1);
      // a label for a decision this instance holds is taken here; one made elsewhere cannot be found
      assertThat(instances.get(0).feedback(mine, true)).isEqualTo(FeedbackResult.RECORDED);
      assertThat(instances.get(0).feedback(theirs, true)).isEqualTo(FeedbackResult.UNKNOWN);
      assertThat(registry.get("aims.monitor.fleet.failures").functionCounter().count()).isEqualTo(3);

      db.start();
      instances.get(1).evaluateNow();
      instances.get(0).evaluateNow();
      assertThat(instances.get(0).fleetStatus().orElseThrow().stale()).isFalse();
      assertThat(registry.get("aims.monitor.fleet.stale").gauge().value()).isZero();
      assertThat(instances.get(0).fleetDrift("income").orElseThrow().currentCount()).isEqualTo(2_000);
      assertThat(instances.get(0).feedback(theirs, true)).isEqualTo(FeedbackResult.RECORDED);
    }
  }

  @Test
  void summariesOfAnotherReferenceAreNotMergedButCounted() throws IOException {
    JsonNode num = fixtureCase("numeric.json", NUMERIC);
    double[] ref = doubles(num.get("reference"));
    double[] other = ref.clone();
    other[0] += 1;
    Map<String, Long> cats = Map.of("web", 10L);
    List<Monitor> instances = fleet(newStore(), driftConfig(ref, cats), driftConfig(other, cats));
    double[] cur = doubles(num.get("current"));
    for (int i = 0; i < 200; i++) {
      instances.get(i % 2).record(UUID.randomUUID(), Map.of("income", cur[i]), null, Map.of());
    }
    rounds(instances);
    assertThat(instances.get(0).fleetDrift("income").orElseThrow().currentCount()).isEqualTo(100);
    assertThat(instances.get(0).fleetStatus().orElseThrow().mismatched()).isEqualTo(1);
  }

  /** Three instances monitoring the numeric fixture's feature, fed its current sample in turn. */
  List<Monitor> fedNumericFleet(FleetStore store) throws IOException {
    JsonNode num = fixtureCase("numeric.json", NUMERIC);
    double[] ref = doubles(num.get("reference"));
    double[] cur = doubles(num.get("current"));
    Map<String, Long> cats = Map.of("web", 10L);
    List<Monitor> instances = fleet(store, driftConfig(ref, cats), driftConfig(ref, cats), driftConfig(ref, cats));
    for (int i = 0; i < cur.length; i++) {
      instances.get(i % 3).record(UUID.randomUUID(), Map.of("income", cur[i]), null, Map.of());
    }
    return instances;
  }

  MonitorConfig.Builder simpleFairness(List<String> groups) {
    return MonitorConfig.builder().fairness(FairnessConfig.of("g", groups, Boolean.class, b -> b)
        .pendingLabels(1_000, Duration.ofDays(1)));
  }

  static MonitorConfig.Builder fairnessConfig(JsonNode c, List<String> groups) {
    return MonitorConfig.builder().fairness(FairnessConfig.of("age_band", groups, Boolean.class, b -> b)
        .minGroupSize(c.get("min_group_size").intValue()).window(Window.lastDecisions(1_000_000)));
  }

  static int firstLabelled(JsonNode c) {
    for (int i = 0; ; i++) {
      if (c.get("labelled").get(i).intValue() == 1) {
        return i;
      }
    }
  }

  static void assertFigure(OptionalDouble actual, JsonNode expected) {
    if (expected == null) {
      assertThat(actual).isEmpty();
    } else {
      assertThat(actual).isPresent();
      assertThat(actual.getAsDouble()).isCloseTo(expected.doubleValue(), within(1e-12));
    }
  }

  static void assertRelative(double actual, double expected) {
    assertThat(Math.abs(actual - expected)).isLessThanOrEqualTo(1e-9 * Math.abs(expected) + 1e-300);
  }

  static Map<String, Long> counts(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().longValue()));
    return out;
  }

  static List<String> expand(Map<String, Long> counts) {
    List<String> out = new ArrayList<>();
    counts.forEach((k, n) -> {
      for (int i = 0; i < n; i++) {
        out.add(k);
      }
    });
    Collections.shuffle(out, new Random(1));
    return out;
  }
}
