package dev.aims.core.monitor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aims.core.AimsMetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Fairness of one AI system: per group and window slice, decisions, favourable predictions and
 * the confusion counts of late labels. Decisions waiting for a label sit in a bounded, expiring
 * Caffeine cache (group and prediction only).
 */
final class FairnessMonitor {
  private static final int DECISIONS = 0;
  private static final int FAVOURABLE = 1;
  private static final int TP = 2;
  private static final int FP = 3;
  private static final int TN = 4;
  private static final int FN = 5;
  private static final int K = 6;

  /** A decision waiting for its label; the flag says whether one arrived. */
  static final class Pending extends AtomicBoolean {
    final int group;
    final boolean predicted;

    Pending(int group, boolean predicted) {
      this.group = group;
      this.predicted = predicted;
    }
  }

  final FairnessConfig config;
  private final String system;
  private final Map<String, Integer> groups = new HashMap<>();
  /** For an intersection: per attribute, its values' indexes, and the attribute names. */
  private final List<Map<String, Integer>> attributeIndex = new ArrayList<>();
  private final String[] attributeNames;
  private final SliceRing ring;
  private final int slices;
  private final boolean timeBased;
  private final AtomicLong seq = new AtomicLong();
  private final @Nullable Cache<UUID, Pending> pending;
  private final LongAdder missingAttribute = new LongAdder();
  private final LongAdder undeclaredGroup = new LongAdder();
  private final LongAdder labelsRecorded = new LongAdder();
  private final LongAdder duplicateLabels = new LongAdder();
  private final LongAdder duplicateDecisions = new LongAdder();
  volatile FairnessReport report;

  FairnessMonitor(String system, FairnessConfig config, Clock clock) {
    this.system = system;
    this.config = config;
    List<String> names = config.groups();
    for (int g = 0; g < names.size(); g++) {
      groups.put(names.get(g), g);
    }
    this.attributeNames = config.attributes().toArray(String[]::new);
    for (List<String> values : config.attributeGroups()) {
      Map<String, Integer> index = new HashMap<>();
      for (int v = 0; v < values.size(); v++) {
        index.put(values.get(v), v);
      }
      attributeIndex.add(index);
    }
    Window w = config.window();
    this.slices = w.slices();
    this.timeBased = w.isTimeBased();
    long sliceLength = timeBased ? w.duration().toMillis() / slices : (w.count() + slices - 1) / slices;
    this.ring = new SliceRing(slices, names.size() * K, sliceLength, false);
    this.pending = config.maxPendingLabels() == 0 ? null : Caffeine.newBuilder()
        .maximumSize(config.maxPendingLabels())
        .expireAfterWrite(config.labelExpiry())
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run)
        .build();
    this.report = evaluate(null, clock.millis());
  }

  /** Records a decision with the call's protected attributes (the group found without allocating). */
  void record(UUID decisionId, Map<String, String> protectedAttributes, @Nullable Object output, long nowMillis) {
    if (attributeNames.length == 1) {
      record(decisionId, protectedAttributes.get(attributeNames[0]), output, nowMillis);
      return;
    }
    int g = 0;
    boolean undeclared = false;
    for (int a = 0; a < attributeNames.length; a++) {
      String v = protectedAttributes.get(attributeNames[a]);
      if (v == null) {
        missingAttribute.increment();
        return;
      }
      Map<String, Integer> index = attributeIndex.get(a);
      Integer i = index.get(v);
      if (i == null) {
        undeclared = true;
      } else {
        g = g * index.size() + i;
      }
    }
    if (undeclared) {
      undeclaredGroup.increment();
      return;
    }
    recordGroup(decisionId, g, output, nowMillis);
  }

  void record(UUID decisionId, @Nullable String group, @Nullable Object output, long nowMillis) {
    if (group == null) {
      missingAttribute.increment();
      return;
    }
    Integer g = groups.get(group);
    if (g == null) {
      undeclaredGroup.increment();
      return;
    }
    recordGroup(decisionId, g, output, nowMillis);
  }

  private void recordGroup(UUID decisionId, int g, @Nullable Object output, long nowMillis) {
    boolean favourable = config.isFavourable(output);
    Cache<UUID, Pending> p = pending;
    // a decision id recorded twice keeps its first record: replacing it would let the id take a second label
    if (p != null && p.asMap().putIfAbsent(decisionId, new Pending(g, favourable)) != null) {
      duplicateDecisions.increment();
      return;
    }
    long key = timeBased ? nowMillis : seq.getAndIncrement();
    ring.increment(key, g * K + DECISIONS);
    if (favourable) {
      ring.increment(key, g * K + FAVOURABLE);
    }
  }

  /** Whether a label for this decision would be taken (it is pending, labelled or not). */
  boolean knows(UUID decisionId) {
    Cache<UUID, Pending> p = pending;
    return p != null && p.getIfPresent(decisionId) != null;
  }

  /** Unknown labels are not counted here: only the caller can tell that no other system knows the decision. */
  FeedbackResult feedback(UUID decisionId, Object actualOutcome, long nowMillis) {
    Cache<UUID, Pending> p = pending;
    Pending decision = p == null ? null : p.getIfPresent(decisionId);
    if (decision == null) {
      return FeedbackResult.UNKNOWN;
    }
    boolean actual = config.isFavourableLabel(actualOutcome);
    if (!decision.compareAndSet(false, true)) {
      duplicateLabels.increment();
      return FeedbackResult.DUPLICATE;
    }
    int cell = decision.predicted ? (actual ? TP : FP) : (actual ? FN : TN);
    ring.increment(timeBased ? nowMillis : Math.max(0, seq.get() - 1), decision.group * K + cell);
    labelsRecorded.increment();
    return FeedbackResult.RECORDED;
  }

  private long latest(long nowMillis) {
    if (timeBased) {
      return ring.epochOf(nowMillis);
    }
    long s = seq.get();
    return s == 0 ? -1 : ring.epochOf(s - 1);
  }

  FairnessReport evaluate(@Nullable Instant at, long nowMillis) {
    long e = latest(nowMillis);
    long[] c = ring.sum(e - slices + 1, e).counts();
    int min = config.minGroupSize();
    List<String> names = config.groups();
    List<FairnessReport.Group> out = new ArrayList<>(names.size());
    double maxRate = Double.NEGATIVE_INFINITY;
    double minRate = Double.POSITIVE_INFINITY;
    double maxTpr = Double.NEGATIVE_INFINITY;
    double minTpr = Double.POSITIVE_INFINITY;
    double maxFpr = Double.NEGATIVE_INFINITY;
    double minFpr = Double.POSITIVE_INFINITY;
    int rates = 0;
    int tprs = 0;
    int fprs = 0;
    double[] rate = new double[names.size()];
    for (int g = 0; g < names.size(); g++) {
      int b = g * K;
      long n = c[b + DECISIONS];
      long fav = c[b + FAVOURABLE];
      long tp = c[b + TP];
      long fp = c[b + FP];
      long tn = c[b + TN];
      long fn = c[b + FN];
      long positives = tp + fn;
      long negatives = fp + tn;
      long labelled = positives + negatives;
      rate[g] = Double.NaN;
      if (n >= min) {
        rate[g] = fav / (double) n;
        maxRate = Math.max(maxRate, rate[g]);
        minRate = Math.min(minRate, rate[g]);
        rates++;
      }
      OptionalDouble tpr = OptionalDouble.empty();
      if (positives >= min) {
        double t = tp / (double) positives;
        tpr = OptionalDouble.of(t);
        maxTpr = Math.max(maxTpr, t);
        minTpr = Math.min(minTpr, t);
        tprs++;
      }
      OptionalDouble fpr = OptionalDouble.empty();
      if (negatives >= min) {
        double f = fp / (double) negatives;
        fpr = OptionalDouble.of(f);
        maxFpr = Math.max(maxFpr, f);
        minFpr = Math.min(minFpr, f);
        fprs++;
      }
      OptionalDouble accuracy = labelled >= min ? OptionalDouble.of((tp + tn) / (double) labelled)
          : OptionalDouble.empty();
      out.add(new FairnessReport.Group(names.get(g), n, fav, labelled, positives, negatives,
          Double.isNaN(rate[g]) ? OptionalDouble.empty() : OptionalDouble.of(rate[g]), OptionalDouble.empty(), tpr,
          fpr, accuracy, OptionalDouble.empty()));
    }
    if (rates >= 1 && maxRate > 0) {
      for (int g = 0; g < out.size(); g++) {
        if (!Double.isNaN(rate[g])) {
          FairnessReport.Group x = out.get(g);
          out.set(g, new FairnessReport.Group(x.name(), x.decisions(), x.favourable(), x.labelled(), x.positives(),
              x.negatives(), x.selectionRate(), OptionalDouble.of(rate[g] / maxRate), x.truePositiveRate(),
              x.falsePositiveRate(), x.accuracy(), x.selectionRateToOverall()));
        }
      }
    }
    // to the overall rate (all monitored decisions in the window), as Fairlearn's MetricFrame ratio and
    // difference with method='to_overall': each group's rate over the overall one, the summary the smallest
    // such ratio with ratios above 1 inverted, and the largest absolute difference
    long allDecisions = 0;
    long allFavourable = 0;
    for (int g = 0; g < names.size(); g++) {
      allDecisions += c[g * K + DECISIONS];
      allFavourable += c[g * K + FAVOURABLE];
    }
    OptionalDouble overall = allDecisions >= min ? OptionalDouble.of(allFavourable / (double) allDecisions)
        : OptionalDouble.empty();
    OptionalDouble ratioToOverall = OptionalDouble.empty();
    OptionalDouble differenceToOverall = OptionalDouble.empty();
    if (overall.isPresent() && rates >= 1) {
      double o = overall.getAsDouble();
      double smallest = Double.POSITIVE_INFINITY;
      double largest = 0;
      for (int g = 0; g < out.size(); g++) {
        if (Double.isNaN(rate[g])) {
          continue;
        }
        largest = Math.max(largest, Math.abs(rate[g] - o));
        if (o > 0) {
          double r = rate[g] / o;
          smallest = Math.min(smallest, r > 1 ? 1 / r : r);
          FairnessReport.Group x = out.get(g);
          out.set(g, x.withRatioToOverall(OptionalDouble.of(r)));
        }
      }
      differenceToOverall = OptionalDouble.of(largest);
      if (o > 0) {
        ratioToOverall = OptionalDouble.of(smallest);
      }
    }
    OptionalDouble dpd = rates >= 2 ? OptionalDouble.of(maxRate - minRate) : OptionalDouble.empty();
    OptionalDouble di = rates >= 2 && maxRate > 0 ? OptionalDouble.of(minRate / maxRate) : OptionalDouble.empty();
    OptionalDouble eod = tprs >= 2 ? OptionalDouble.of(maxTpr - minTpr) : OptionalDouble.empty();
    OptionalDouble eqOdds = tprs >= 2 && fprs >= 2 ? OptionalDouble.of(Math.max(maxTpr - minTpr, maxFpr - minFpr))
        : OptionalDouble.empty();
    boolean alarm = (di.isPresent() && di.getAsDouble() < config.disparateImpactThreshold())
        || (eod.isPresent() && eod.getAsDouble() > config.differenceThreshold())
        || (eqOdds.isPresent() && eqOdds.getAsDouble() > config.differenceThreshold());
    Cache<UUID, Pending> p = pending;
    return report = new FairnessReport(system, config.attribute(), at, out, overall, ratioToOverall,
        differenceToOverall, dpd, di, eod, eqOdds, alarm,
        missingAttribute.sum(), undeclaredGroup.sum(), labelsRecorded.sum(), duplicateLabels.sum(), duplicateDecisions.sum(),
        p == null ? 0 : p.estimatedSize());
  }

  void registerGauges(MeterRegistry registry) {
    List<String> names = config.groups();
    for (int g = 0; g < names.size(); g++) {
      int i = g;
      String group = names.get(g);
      ratio(registry, "selection_rate", group, m -> value(m.report.groups().get(i).selectionRate()));
      ratio(registry, "disparate_impact", group, m -> value(m.report.groups().get(i).disparateImpact()));
      ratio(registry, "true_positive_rate", group, m -> value(m.report.groups().get(i).truePositiveRate()));
      ratio(registry, "false_positive_rate", group, m -> value(m.report.groups().get(i).falsePositiveRate()));
      ratio(registry, "accuracy", group, m -> value(m.report.groups().get(i).accuracy()));
      ratio(registry, "selection_rate_to_overall", group,
          m -> value(m.report.groups().get(i).selectionRateToOverall()));
      difference(registry, "demographic_parity", group, m -> {
        FairnessReport r = m.report;
        OptionalDouble rate = r.groups().get(i).selectionRate();
        OptionalDouble di = r.groups().get(i).disparateImpact();
        if (rate.isEmpty() || di.isEmpty() || di.getAsDouble() == 0) {
          return Double.NaN;
        }
        return rate.getAsDouble() / di.getAsDouble() - rate.getAsDouble();
      });
    }
    String all = FairnessConfig.ALL_GROUPS;
    ratio(registry, "disparate_impact", all, m -> value(m.report.disparateImpactRatio()));
    ratio(registry, "selection_rate", all, m -> value(m.report.overallSelectionRate()));
    ratio(registry, "selection_rate_to_overall", all, m -> value(m.report.selectionRateRatioToOverall()));
    difference(registry, "demographic_parity_to_overall", all, m -> value(m.report.selectionRateDifferenceToOverall()));
    difference(registry, "demographic_parity", all, m -> value(m.report.demographicParityDifference()));
    difference(registry, "equal_opportunity", all, m -> value(m.report.equalOpportunityDifference()));
    difference(registry, "equalized_odds", all, m -> value(m.report.equalizedOddsDifference()));
  }

  private void ratio(MeterRegistry registry, String metric, String group, ToDoubleFunction<FairnessMonitor> f) {
    gauge(registry, AimsMetricNames.FAIRNESS_RATIO, metric, group, f);
  }

  private void difference(MeterRegistry registry, String metric, String group, ToDoubleFunction<FairnessMonitor> f) {
    gauge(registry, AimsMetricNames.FAIRNESS_DIFFERENCE, metric, group, f);
  }

  private void gauge(MeterRegistry registry, String name, String metric, String group,
      ToDoubleFunction<FairnessMonitor> f) {
    Gauge.builder(name, this, f)
        .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_METRIC, metric,
            AimsMetricNames.TAG_ATTRIBUTE, config.attribute(), AimsMetricNames.TAG_GROUP, group)
        .strongReference(true)
        .register(registry);
  }

  private static double value(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }

  /**
   * Heap per pending decision in the Caffeine cache (its node, the UUID key, {@link Pending}, the
   * hash-table node and slot), measured by {@code MonitorHeapTest} with compressed oops: 143–147 B
   * from 10,000 to 100,000 entries.
   */
  static final long PENDING_ENTRY_BYTES = 146;
  /** The cache's own structures (buffers, maps, policy), measured the same way. */
  static final long PENDING_CACHE_BYTES = 2_000;

  /**
   * The ring and counters, and the pending-label cache: {@link #PENDING_CACHE_BYTES}, plus
   * {@link #PENDING_ENTRY_BYTES} per pending decision, plus Caffeine's frequency sketch (8 bytes
   * per slot of the next power of two of {@code maxPendingLabels}) once the cache is half full, when
   * Caffeine allocates it.
   */
  long bytes() {
    long b = Memory.OBJECT + 17 * Memory.REFERENCE + ring.bytes() + 6 * (Memory.OBJECT + 24);
    Cache<UUID, Pending> p = pending;
    if (p != null) {
      long size = p.estimatedSize();
      long max = config.maxPendingLabels();
      b += PENDING_CACHE_BYTES + size * PENDING_ENTRY_BYTES;
      if (size >= max / 2) {
        b += Memory.array(Math.max(8, Integer.highestOneBit((int) Math.min(max, Integer.MAX_VALUE >>> 1) - 1) << 1), 8);
      }
    }
    return b;
  }
}
