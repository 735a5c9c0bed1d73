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
  static class Pending extends AtomicBoolean {
    final int group;
    final boolean predicted;

    Pending(int group, boolean predicted) {
      this.group = group;
      this.predicted = predicted;
    }
  }

  /** A pending decision that also waits, in {@link #toShare}, to be written to the fleet store. */
  static final class Shared extends Pending {
    final UUID id;

    Shared(UUID id, int group, boolean predicted) {
      super(group, predicted);
      this.id = id;
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
  /** The fleet's figures (scope {@code fleet}); null until the first fleet round or without fleet monitoring. */
  volatile @Nullable FairnessReport fleetReport;
  private final @Nullable FleetLink fleet;
  /** Pending decisions not yet in the fleet store, bounded by {@code maxPendingLabels} ({@link #sharing}). */
  private final java.util.concurrent.ConcurrentLinkedQueue<Shared> toShare =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger sharing = new java.util.concurrent.atomic.AtomicInteger();
  /** Pending decisions that could not be queued for the fleet store (queue full while the store was down). */
  private final LongAdder notShared = new LongAdder();

  FairnessMonitor(String system, FairnessConfig config, Clock clock) {
    this(system, config, clock, null);
  }

  FairnessMonitor(String system, FairnessConfig config, Clock clock, @Nullable FleetLink fleet) {
    this.system = system;
    this.fleet = fleet;
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
    this.fleetReport = fleet == null ? null : figures(null, new long[names.size() * K]);
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
    if (p != null) {
      Pending entry = fleet == null ? new Pending(g, favourable) : new Shared(decisionId, g, favourable);
      if (p.asMap().putIfAbsent(decisionId, entry) != null) {
        duplicateDecisions.increment();
        return;
      }
      if (entry instanceof Shared shared) {
        share(shared);
      }
    }
    long key = timeBased ? nowMillis : seq.getAndIncrement();
    ring.increment(key, g * K + DECISIONS);
    if (favourable) {
      ring.increment(key, g * K + FAVOURABLE);
    }
  }

  private void share(Shared s) {
    if (sharing.incrementAndGet() > config.maxPendingLabels()) {
      sharing.decrementAndGet();
      notShared.increment();
      return;
    }
    toShare.offer(s);
  }

  /** Writes the decisions recorded since the last round to the fleet store; on failure they wait for the next. */
  void sharePending(FleetStore store, long nowMillis) {
    Instant expires = Instant.ofEpochMilli(nowMillis).plus(config.labelExpiry());
    List<Shared> batch = new ArrayList<>();
    try {
      Shared s;
      while ((s = toShare.poll()) != null) {
        batch.add(s);
        if (batch.size() == 1_000) {
          put(store, batch, expires);
          batch.clear();
        }
      }
      put(store, batch, expires);
      batch.clear();
      store.expirePending(system, Instant.ofEpochMilli(nowMillis));
    } catch (RuntimeException e) {
      toShare.addAll(batch); // not lost: the next round writes them
      throw e;
    }
  }

  private void put(FleetStore store, List<Shared> batch, Instant expires) {
    if (batch.isEmpty()) {
      return;
    }
    List<FleetStore.PendingDecision> out = new ArrayList<>(batch.size());
    for (Shared s : batch) {
      out.add(new FleetStore.PendingDecision(s.id, s.group, s.predicted, expires));
    }
    store.putPending(system, out);
    sharing.addAndGet(-batch.size());
  }

  /** Pending decisions not yet written to the fleet store, and those that found the queue full. */
  long notYetShared() {
    return sharing.get();
  }

  long notShared() {
    return notShared.sum();
  }

  /** Identifies the groups: fairness summaries merge only between instances with the same groups. */
  String fingerprint() {
    Fingerprint f = new Fingerprint().add("fairness").add(config.attribute());
    for (String g : config.groups()) {
      f.add(g);
    }
    return f.hex();
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
    FleetLink link = fleet;
    if (link != null && p != null) {
      return feedbackThroughFleet(link, decisionId, decision, actualOutcome, nowMillis);
    }
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

  /**
   * Claims the label in the fleet store, so it is taken once whichever instance receives it. If the
   * store cannot be reached, a decision this instance holds is labelled here (counted as a fleet
   * failure); one it does not hold is UNKNOWN.
   */
  private FeedbackResult feedbackThroughFleet(FleetLink link, UUID decisionId, @Nullable Pending decision,
      Object actualOutcome, long nowMillis) {
    boolean actual = config.isFavourableLabel(actualOutcome); // before claiming: an unreadable label claims nothing
    if (decision != null && decision.get()) {
      duplicateLabels.increment();
      return FeedbackResult.DUPLICATE;
    }
    Instant now = Instant.ofEpochMilli(nowMillis);
    FleetStore.LabelClaim claim;
    try {
      claim = link.store().claimLabel(system, decisionId, decision == null ? null
          : new FleetStore.PendingDecision(decisionId, decision.group, decision.predicted,
              now.plus(config.labelExpiry())), now);
    } catch (RuntimeException e) {
      link.failed("a label could not be claimed in the fleet store", e);
      if (decision == null) {
        return FeedbackResult.UNKNOWN;
      }
      claim = new FleetStore.LabelClaim(FeedbackResult.RECORDED, decision.group, decision.predicted);
    }
    if (claim.result() == FeedbackResult.UNKNOWN
        || (claim.result() == FeedbackResult.RECORDED && (claim.group() < 0 || claim.group() >= groups.size()))) {
      return FeedbackResult.UNKNOWN;
    }
    if (claim.result() == FeedbackResult.DUPLICATE || (decision != null && !decision.compareAndSet(false, true))) {
      if (decision != null) {
        decision.set(true);
      }
      duplicateLabels.increment();
      return FeedbackResult.DUPLICATE;
    }
    int cell = claim.predicted() ? (actual ? TP : FP) : (actual ? FN : TN);
    ring.increment(timeBased ? nowMillis : Math.max(0, seq.get() - 1), claim.group() * K + cell);
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
    return report = figures(at, windowCounts(nowMillis));
  }

  /** The window's counts: per group, decisions, favourable, TP, FP, TN, FN ({@link #K} a group). */
  long[] windowCounts(long nowMillis) {
    long e = latest(nowMillis);
    return ring.sum(e - slices + 1, e).counts();
  }

  /** Counts per group in the window, a group after the other (the fleet summary's form). */
  static final int COUNTS_PER_GROUP = K;

  /** The figures of window counts {@code c} (one instance's, or the fleet's summed). */
  FairnessReport figures(@Nullable Instant at, long[] c) {
    int min = config.minGroupSize();
    List<String> names = config.groups();
    int n = names.size();
    double[] rate = new double[n];
    double[] tpr = new double[n];
    double[] fpr = new double[n];
    double[] acc = new double[n];
    long[] all = new long[K];
    for (int g = 0; g < n; g++) {
      int b = g * K;
      for (int k = 0; k < K; k++) {
        all[k] += c[b + k];
      }
      rate[g] = rate(c[b + FAVOURABLE], c[b + DECISIONS], min);
      tpr[g] = rate(c[b + TP], c[b + TP] + c[b + FN], min);
      fpr[g] = rate(c[b + FP], c[b + FP] + c[b + TN], min);
      acc[g] = rate(c[b + TP] + c[b + TN], c[b + TP] + c[b + FN] + c[b + FP] + c[b + TN], min);
    }
    double maxRate = max(rate);
    OptionalDouble dpd = between(rate, false);
    OptionalDouble di = between(rate, true);
    OptionalDouble eod = between(tpr, false);
    OptionalDouble fprGap = between(fpr, false);
    OptionalDouble eqOdds = eod.isPresent() && fprGap.isPresent()
        ? OptionalDouble.of(Math.max(eod.getAsDouble(), fprGap.getAsDouble())) : OptionalDouble.empty();
    // to the overall rate (all monitored decisions in the window), as Fairlearn's MetricFrame ratio and
    // difference with method='to_overall': each group's rate over the overall one, the summary the smallest
    // such ratio with ratios above 1 inverted, and the largest absolute difference
    double[] rateTo = new double[n];
    double[] tprTo = new double[n];
    double[] fprTo = new double[n];
    double[] accTo = new double[n];
    FairnessReport.ToOverall selection = toOverall(rate(all[FAVOURABLE], all[DECISIONS], min), rate, rateTo);
    FairnessReport.ToOverall tprOverall = toOverall(rate(all[TP], all[TP] + all[FN], min), tpr, tprTo);
    FairnessReport.ToOverall fprOverall = toOverall(rate(all[FP], all[FP] + all[TN], min), fpr, fprTo);
    FairnessReport.ToOverall accOverall = toOverall(rate(all[TP] + all[TN], all[TP] + all[FN] + all[FP] + all[TN], min),
        acc, accTo);
    List<FairnessReport.Group> out = new ArrayList<>(n);
    for (int g = 0; g < n; g++) {
      int b = g * K;
      long positives = c[b + TP] + c[b + FN];
      long negatives = c[b + FP] + c[b + TN];
      OptionalDouble impact = !Double.isNaN(rate[g]) && maxRate > 0 ? OptionalDouble.of(rate[g] / maxRate)
          : OptionalDouble.empty();
      out.add(new FairnessReport.Group(names.get(g), c[b + DECISIONS], c[b + FAVOURABLE], positives + negatives,
          positives, negatives, of(rate[g]), impact, of(tpr[g]), of(fpr[g]), of(acc[g]), of(rateTo[g]), of(tprTo[g]),
          of(fprTo[g]), of(accTo[g])));
    }
    boolean alarm = (di.isPresent() && di.getAsDouble() < config.disparateImpactThreshold())
        || (eod.isPresent() && eod.getAsDouble() > config.differenceThreshold())
        || (eqOdds.isPresent() && eqOdds.getAsDouble() > config.differenceThreshold());
    Cache<UUID, Pending> p = pending;
    return new FairnessReport(system, config.attribute(), at, out, selection.overall(), selection.ratio(),
        selection.difference(), dpd, di, eod, eqOdds, tprOverall, fprOverall, accOverall, alarm,
        missingAttribute.sum(), undeclaredGroup.sum(), labelsRecorded.sum(), duplicateLabels.sum(), duplicateDecisions.sum(),
        p == null ? 0 : p.estimatedSize());
  }

  /** {@code num / den} once {@code den} reaches the minimum group size, else NaN. */
  private static double rate(long num, long den, int min) {
    return den >= min && den > 0 ? num / (double) den : Double.NaN;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        m = Math.max(m, x);
      }
    }
    return m;
  }

  /** Over the groups with a figure (at least two): max − min, or ({@code ratio}) min / max when max > 0. */
  private static OptionalDouble between(double[] v, boolean ratio) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int k = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        k++;
      }
    }
    if (k < 2) {
      return OptionalDouble.empty();
    }
    if (!ratio) {
      return OptionalDouble.of(hi - lo);
    }
    return hi > 0 ? OptionalDouble.of(lo / hi) : OptionalDouble.empty();
  }

  /** Fills {@code ratios} (NaN where absent) and returns the overall figure with its ratio and difference. */
  private static FairnessReport.ToOverall toOverall(double overall, double[] v, double[] ratios) {
    java.util.Arrays.fill(ratios, Double.NaN);
    if (Double.isNaN(overall)) {
      return FairnessReport.ToOverall.NONE;
    }
    double smallest = Double.POSITIVE_INFINITY;
    double largest = 0;
    int k = 0;
    for (int g = 0; g < v.length; g++) {
      if (Double.isNaN(v[g])) {
        continue;
      }
      k++;
      largest = Math.max(largest, Math.abs(v[g] - overall));
      if (overall > 0) {
        double r = v[g] / overall;
        ratios[g] = r;
        smallest = Math.min(smallest, r > 1 ? 1 / r : r);
      }
    }
    return new FairnessReport.ToOverall(OptionalDouble.of(overall),
        k >= 1 && overall > 0 ? OptionalDouble.of(smallest) : OptionalDouble.empty(),
        k >= 1 ? OptionalDouble.of(largest) : OptionalDouble.empty());
  }

  private static OptionalDouble of(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  void registerGauges(MeterRegistry registry) {
    registerGauges(registry, AimsMetricNames.SCOPE_INSTANCE, m -> m.report);
    if (fleet != null) {
      registerGauges(registry, AimsMetricNames.SCOPE_FLEET, m -> m.fleetReport);
    }
  }

  private void registerGauges(MeterRegistry registry, String scope,
      java.util.function.Function<FairnessMonitor, FairnessReport> reportOf) {
    List<String> names = config.groups();
    for (int g = 0; g < names.size(); g++) {
      int i = g;
      String group = names.get(g);
      ratio(registry, scope, "selection_rate", group, m -> value(reportOf.apply(m).groups().get(i).selectionRate()));
      ratio(registry, scope, "disparate_impact", group, m -> value(reportOf.apply(m).groups().get(i).disparateImpact()));
      ratio(registry, scope, "true_positive_rate", group, m -> value(reportOf.apply(m).groups().get(i).truePositiveRate()));
      ratio(registry, scope, "false_positive_rate", group, m -> value(reportOf.apply(m).groups().get(i).falsePositiveRate()));
      ratio(registry, scope, "accuracy", group, m -> value(reportOf.apply(m).groups().get(i).accuracy()));
      ratio(registry, scope, "selection_rate_to_overall", group,
          m -> value(reportOf.apply(m).groups().get(i).selectionRateToOverall()));
      ratio(registry, scope, "true_positive_rate_to_overall", group,
          m -> value(reportOf.apply(m).groups().get(i).truePositiveRateToOverall()));
      ratio(registry, scope, "false_positive_rate_to_overall", group,
          m -> value(reportOf.apply(m).groups().get(i).falsePositiveRateToOverall()));
      ratio(registry, scope, "accuracy_to_overall", group, m -> value(reportOf.apply(m).groups().get(i).accuracyToOverall()));
      difference(registry, scope, "demographic_parity", group, m -> {
        FairnessReport r = reportOf.apply(m);
        OptionalDouble rate = r.groups().get(i).selectionRate();
        OptionalDouble di = r.groups().get(i).disparateImpact();
        if (rate.isEmpty() || di.isEmpty() || di.getAsDouble() == 0) {
          return Double.NaN;
        }
        return rate.getAsDouble() / di.getAsDouble() - rate.getAsDouble();
      });
    }
    String all = FairnessConfig.ALL_GROUPS;
    ratio(registry, scope, "disparate_impact", all, m -> value(reportOf.apply(m).disparateImpactRatio()));
    ratio(registry, scope, "selection_rate", all, m -> value(reportOf.apply(m).overallSelectionRate()));
    ratio(registry, scope, "selection_rate_to_overall", all, m -> value(reportOf.apply(m).selectionRateRatioToOverall()));
    difference(registry, scope, "demographic_parity_to_overall", all, m -> value(reportOf.apply(m).selectionRateDifferenceToOverall()));
    toOverallGauges(registry, scope, reportOf, "true_positive_rate", FairnessReport::truePositiveRateToOverall);
    toOverallGauges(registry, scope, reportOf, "false_positive_rate", FairnessReport::falsePositiveRateToOverall);
    toOverallGauges(registry, scope, reportOf, "accuracy", FairnessReport::accuracyToOverall);
    difference(registry, scope, "demographic_parity", all, m -> value(reportOf.apply(m).demographicParityDifference()));
    difference(registry, scope, "equal_opportunity", all, m -> value(reportOf.apply(m).equalOpportunityDifference()));
    difference(registry, scope, "equalized_odds", all, m -> value(reportOf.apply(m).equalizedOddsDifference()));
  }

  /** {@code <metric>} for {@code all} (the overall rate), and its to-overall ratio and difference. */
  private void toOverallGauges(MeterRegistry registry, String scope,
      java.util.function.Function<FairnessMonitor, FairnessReport> reportOf, String metric,
      java.util.function.Function<FairnessReport, FairnessReport.ToOverall> f) {
    String all = FairnessConfig.ALL_GROUPS;
    ratio(registry, scope, metric, all, m -> value(f.apply(reportOf.apply(m)).overall()));
    ratio(registry, scope, metric + "_to_overall", all, m -> value(f.apply(reportOf.apply(m)).ratio()));
    difference(registry, scope, metric + "_to_overall", all, m -> value(f.apply(reportOf.apply(m)).difference()));
  }

  private void ratio(MeterRegistry registry, String scope, String metric, String group, ToDoubleFunction<FairnessMonitor> f) {
    gauge(registry, AimsMetricNames.FAIRNESS_RATIO, scope, metric, group, f);
  }

  private void difference(MeterRegistry registry, String scope, String metric, String group, ToDoubleFunction<FairnessMonitor> f) {
    gauge(registry, AimsMetricNames.FAIRNESS_DIFFERENCE, scope, metric, group, f);
  }

  private void gauge(MeterRegistry registry, String name, String scope, String metric, String group,
      ToDoubleFunction<FairnessMonitor> f) {
    Gauge.builder(name, this, f)
        .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_METRIC, metric,
            AimsMetricNames.TAG_ATTRIBUTE, config.attribute(), AimsMetricNames.TAG_GROUP, group,
            AimsMetricNames.TAG_SCOPE, scope)
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
      if (fleet != null) {
        // Shared's id field (8 bytes with alignment) and a queue node per decision not yet in the store
        b += size * 8 + sharing.get() * 24L;
      }
      if (size >= max / 2) {
        b += Memory.array(Math.max(8, Integer.highestOneBit((int) Math.min(max, Integer.MAX_VALUE >>> 1) - 1) << 1), 8);
      }
    }
    return b;
  }
}
