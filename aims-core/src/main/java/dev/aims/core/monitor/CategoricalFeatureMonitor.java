package dev.aims.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Drift of one categorical feature: counts per bucket (reference categories, at most
 * {@code maxCategories}, plus "other") in a ring of slices. A reference given as data keeps its
 * most frequent categories (ties by name); a first-decisions or rolling reference hands buckets
 * out first come.
 */
final class CategoricalFeatureMonitor extends FeatureMonitor {
  private static final List<String> TAGS = List.of(DriftStatistic.PSI.tag(), DriftStatistic.JENSEN_SHANNON.tag(),
      DriftStatistic.CHI_SQUARE.tag(), DriftStatistic.CHI_SQUARE.pValueTag(), CHI_SQUARE_DOF_TAG);

  private final @Nullable Function<Object, @Nullable String> outputReader;
  private final boolean rolling;
  private final CategoryIndex index;
  private final SliceRing ring;
  private final int slices;
  private final boolean timeBased;
  /** First-decisions capture: counts per bucket until {@code captureSize} values are in. */
  private final @Nullable AtomicLongArray capture;
  private final AtomicLong captureSlot = new AtomicLong();
  private final int captureSize;
  private volatile long @Nullable [] referenceCounts;

  CategoricalFeatureMonitor(String system, DriftFeature config) {
    super(system, config);
    this.outputReader = config.categoricalOutput();
    Reference ref = config.reference();
    Window w = config.window();
    this.rolling = ref.kind() == Reference.Kind.PREVIOUS_WINDOW;
    int max = config.maxCategories();
    this.slices = w.slices();
    this.timeBased = w.isTimeBased();
    long sliceLength = timeBased ? w.duration().toMillis() / slices : (w.count() + slices - 1) / slices;
    int ringSlices = rolling ? 2 * slices : slices;
    this.ring = timeBased ? new SliceRing(ringSlices, max + 1, sliceLength, false)
        : SliceRing.byCount(ringSlices, max + 1, sliceLength, false);
    switch (ref.kind()) {
      case DATA -> {
        Map<String, Long> counts = ref.categories();
        if (counts == null) {
          // data summarised by a running monitor (its tracked categories and "other"): as a snapshot
          this.index = fromSnapshot(ref.snapshotValue(), max);
          this.capture = null;
          this.captureSize = 0;
          break;
        }
        List<Map.Entry<String, Long>> ordered = new ArrayList<>(counts.entrySet());
        ordered.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < Math.min(max, ordered.size()); i++) {
          kept.add(ordered.get(i).getKey());
        }
        this.index = CategoryIndex.fixed(kept, max);
        long[] rc = new long[max + 1];
        counts.forEach((k, n) -> rc[index.index(k)] += n);
        freeze(rc);
        this.capture = null;
        this.captureSize = 0;
      }
      case SNAPSHOT -> {
        this.index = fromSnapshot(ref.snapshotValue(), max);
        this.capture = null;
        this.captureSize = 0;
      }
      case FIRST_DECISIONS -> {
        this.index = CategoryIndex.growing(max);
        this.captureSize = ref.firstDecisionsCount();
        this.capture = new AtomicLongArray(max + 1);
      }
      default -> {
        this.index = CategoryIndex.growing(max);
        this.capture = null;
        this.captureSize = 0;
        chooseAlarmStatistic(timeBased ? Long.MAX_VALUE : w.count(), true);
      }
    }
  }

  private CategoryIndex fromSnapshot(DriftSnapshot s, int max) {
    CategoryIndex i = CategoryIndex.fixed(new ArrayList<>(s.categories().keySet()), max);
    long[] rc = new long[max + 1];
    s.categories().forEach((k, n) -> rc[i.index(k)] += n);
    rc[max] += s.other();
    freeze(rc);
    return i;
  }

  private void freeze(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    chooseAlarmStatistic(total, true);
    referenceCounts = counts;
  }

  @Override
  void record(@Nullable Object value, long nowMillis) {
    if (value instanceof String s) {
      recordCategory(s, nowMillis);
    } else {
      missing.increment();
    }
  }

  @Override
  void recordOutput(@Nullable Object output, long nowMillis) {
    Function<Object, @Nullable String> reader = outputReader;
    if (output == null || reader == null) {
      missing.increment();
      return;
    }
    recordCategory(reader.apply(output), nowMillis);
  }

  void recordCategory(@Nullable String category, long nowMillis) {
    if (category == null) {
      missing.increment();
      return;
    }
    int bucket = index.find(category); // the index never holds a blank category
    if (bucket < 0) {
      if (category.isBlank()) {
        missing.increment();
        return;
      }
      bucket = index.indexNew(category);
    }
    accepted();
    AtomicLongArray c = capture;
    if (c != null && referenceCounts == null) {
      long slot = captureSlot.getAndIncrement();
      if (slot < captureSize) {
        c.getAndIncrement(bucket);
        if (slot == captureSize - 1) {
          freezeCapture(c);
        }
        return;
      }
    }
    if (timeBased) {
      ring.increment(nowMillis, bucket);
    } else {
      ring.incrementNext(bucket);
    }
  }

  private void freezeCapture(AtomicLongArray c) {
    index.freeze();
    long[] counts = new long[c.length()];
    long total;
    // the other writers of the capture finish their single increment within nanoseconds
    do {
      total = 0;
      for (int i = 0; i < counts.length; i++) {
        counts[i] = c.get(i);
        total += counts[i];
      }
      if (total < captureSize) {
        Thread.onSpinWait();
      }
    } while (total < captureSize);
    freeze(counts);
  }

  private long latest(long nowMillis) {
    return timeBased ? ring.epochOf(nowMillis) : ring.currentEpoch();
  }

  @Override
  DriftReport evaluate(Instant at, long nowMillis) {
    long e = latest(nowMillis);
    Histogram cur = ring.sum(e - slices + 1, e);
    long[] ref;
    if (rolling) {
      ref = ring.sum(e - 2L * slices + 1, e - slices).counts();
    } else {
      ref = referenceCounts;
      if (ref == null) {
        return report = noFigure(at, 0, cur.total());
      }
    }
    long refCount = 0;
    for (long r : ref) {
      refCount += r;
    }
    boolean enoughReference = rolling ? refCount >= config.minSamples() : refCount >= 1;
    if (cur.total() < config.minSamples() || !enoughReference) {
      return report = noFigure(at, refCount, cur.total());
    }
    long[] cc = cur.counts();
    Map<DriftStatistic, Double> scores = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pValues = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pLower = new EnumMap<>(DriftStatistic.class);
    int dof = bucketStatistics(ref, cc, scores, pValues, pLower);
    return report = withFigures(at, refCount, cur.total(), scores, pValues, pLower, Map.of(), dof, true);
  }

  @Override
  @Nullable Histogram windowSummary(long nowMillis) {
    if (rolling || referenceCounts == null) {
      return null;
    }
    long e = latest(nowMillis);
    return ring.sum(e - slices + 1, e);
  }

  @Override
  String fingerprint() {
    long[] ref = referenceCounts;
    if (ref == null) {
      throw new IllegalStateException("no reference yet");
    }
    Fingerprint f = new Fingerprint().add("categorical").add(ref);
    for (String name : index.names()) {
      f.add(name);
    }
    return f.hex();
  }

  /** Exact over the union: the buckets' counts add up. */
  @Override
  DriftReport fleetFigures(Instant at, Histogram merged) {
    long[] ref = referenceCounts;
    if (ref == null) {
      return noFigure(at, 0, merged.total(), fleetAlarm);
    }
    long refCount = 0;
    for (long r : ref) {
      refCount += r;
    }
    if (merged.total() < config.minSamples()) {
      return noFigure(at, refCount, merged.total(), fleetAlarm);
    }
    Map<DriftStatistic, Double> scores = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pValues = new EnumMap<>(DriftStatistic.class);
    Map<DriftStatistic, Double> pLower = new EnumMap<>(DriftStatistic.class);
    int dof = bucketStatistics(ref, merged.counts(), scores, pValues, pLower);
    return withFigures(at, refCount, merged.total(), scores, pValues, pLower, Map.of(), dof, true, fleetAlarm);
  }

  /** The buckets' categories (for tests and snapshots). */
  List<String> buckets() {
    return index.names();
  }

  @Override
  @Nullable DriftSnapshot snapshot(boolean copy) {
    long[] ref = referenceCounts;
    if (ref == null || rolling) {
      return null;
    }
    List<String> names = index.names();
    Map<String, Long> categories = new LinkedHashMap<>();
    long count = 0;
    for (int k = 0; k < names.size(); k++) {
      categories.put(names.get(k), ref[k]);
      count += ref[k];
    }
    count += ref[index.other()];
    return new DriftSnapshot(DriftSnapshot.FORMAT_VERSION, config.name(), DriftFeature.Type.CATEGORICAL, count, 0,
        null, null, null, null, null, categories, ref[index.other()]);
  }

  @Override
  long bytes() {
    long b = Memory.OBJECT + 9 * Memory.REFERENCE + 32 + 2 * (Memory.OBJECT + 8) + index.bytes() + ring.bytes();
    if (capture != null) {
      b += Memory.OBJECT + Memory.array(capture.length(), 8);
    }
    long[] r = referenceCounts;
    if (r != null) {
      b += Memory.array(r.length, 8);
    }
    return b;
  }

  @Override
  List<String> statisticTags() {
    return TAGS;
  }
}
