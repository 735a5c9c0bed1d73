package dev.aims.core.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a feature's current window is compared with: a fixed baseline given as data (e.g. the
 * training set), the first decisions after start, a snapshot written earlier, or the window just
 * before the current one. Immutable; data is copied.
 */
public final class Reference {
  /** Where the reference comes from. */
  public enum Kind {
    /** Values given at configuration, e.g. the training set. */
    DATA,
    /** The first {@code n} values recorded; drift is measured from then on. */
    FIRST_DECISIONS,
    /** A {@link DriftSnapshot} written earlier by {@link Monitor#snapshot(String)}. */
    SNAPSHOT,
    /** The window immediately before the current one (a rolling reference). */
    PREVIOUS_WINDOW
  }

  /** The most values a {@link Kind#FIRST_DECISIONS} reference holds raw while it fills. */
  public static final int MAX_FIRST_DECISIONS = Window.EXACT_LIMIT;

  private final Kind kind;
  private final double @Nullable [] values;
  private final @Nullable Map<String, Long> categories;
  private final long dropped;
  private final int firstDecisions;
  private final @Nullable DriftSnapshot snapshot;

  private Reference(Kind kind, double @Nullable [] values, @Nullable Map<String, Long> categories, long dropped,
      int firstDecisions, @Nullable DriftSnapshot snapshot) {
    this.kind = kind;
    this.values = values;
    this.categories = categories;
    this.dropped = dropped;
    this.firstDecisions = firstDecisions;
    this.snapshot = snapshot;
  }

  /**
   * Numeric reference values. NaN and infinities are dropped (and counted in
   * {@link #droppedValues()}); at least one finite value is required.
   */
  public static Reference of(double... values) {
    Objects.requireNonNull(values, "values");
    double[] finite = new double[values.length];
    int k = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        finite[k++] = v;
      }
    }
    if (k == 0) {
      throw new IllegalArgumentException("reference values must contain at least one finite value (got "
          + values.length + " values, none finite)");
    }
    return new Reference(Kind.DATA, java.util.Arrays.copyOf(finite, k), null, values.length - k, 0, null);
  }

  /** Categorical reference values, one per observation; null and blank values are dropped. */
  public static Reference ofCategories(Collection<@Nullable String> values) {
    Objects.requireNonNull(values, "values");
    Map<String, Long> counts = new TreeMap<>();
    long dropped = 0;
    for (String v : values) {
      if (v == null || v.isBlank()) {
        dropped++;
      } else {
        counts.merge(v, 1L, Long::sum);
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("reference categories must contain at least one non-blank value");
    }
    return new Reference(Kind.DATA, null, counts, dropped, 0, null);
  }

  /**
   * The largest count, per category and in total, a reference takes: {@code 2^53}, the largest
   * count the statistics (computed in {@code double}) still hold exactly.
   */
  public static final long MAX_COUNT = 1L << 53;

  /**
   * Categorical reference counts, e.g. {@code {"web": 4120, "branch": 877}}. Each count must be a
   * whole number in {@code [0, }{@link #MAX_COUNT}{@code ]}, and so must their total: a fractional,
   * infinite or larger count is an {@code IllegalArgumentException} naming the category, never
   * truncated.
   */
  public static Reference ofCategoryCounts(Map<String, ? extends Number> counts) {
    Objects.requireNonNull(counts, "counts");
    Map<String, Long> copy = new TreeMap<>();
    long[] total = {0};
    counts.forEach((k, v) -> {
      if (k == null || k.isBlank()) {
        throw new IllegalArgumentException("reference category names must not be blank");
      }
      long n = wholeCount(k, Objects.requireNonNull(v, () -> "count of category '" + k + "' must not be null"));
      total[0] += n; // both at most 2^53: no overflow
      if (total[0] > MAX_COUNT) {
        throw new IllegalArgumentException("reference category counts must total at most " + MAX_COUNT
            + " (2^53) but reach " + total[0] + " at category '" + k + "'");
      }
      if (n > 0) {
        copy.put(k, n);
      }
    });
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("reference category counts must contain at least one positive count");
    }
    return new Reference(Kind.DATA, null, copy, 0, 0, null);
  }

  private static long wholeCount(String category, Number v) {
    java.math.BigDecimal exact;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof java.util.concurrent.atomic.AtomicLong || v instanceof java.util.concurrent.atomic.AtomicInteger) {
      exact = java.math.BigDecimal.valueOf(v.longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("count of category '" + category + "' must be a finite whole number but was "
            + d);
      }
      exact = new java.math.BigDecimal(d);
    } else {
      try {
        exact = new java.math.BigDecimal(v.toString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("count of category '" + category + "' is not a number: " + v, e);
      }
    }
    if (exact.signum() < 0) {
      throw new IllegalArgumentException("count of category '" + category + "' must be >= 0 but was " + v);
    }
    if (exact.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("count of category '" + category + "' must be a whole number but was " + v
          + " (counts are not rounded)");
    }
    if (exact.compareTo(java.math.BigDecimal.valueOf(MAX_COUNT)) > 0) {
      throw new IllegalArgumentException("count of category '" + category + "' must be at most " + MAX_COUNT
          + " (2^53) but was " + v);
    }
    return exact.longValueExact();
  }

  /**
   * The first {@code n} values recorded after start, held raw until there are {@code n} (at most
   * {@value #MAX_FIRST_DECISIONS}); no drift is reported before.
   */
  public static Reference firstDecisions(int n) {
    if (n < 2 || n > MAX_FIRST_DECISIONS) {
      throw new IllegalArgumentException("firstDecisions must be in [2, " + MAX_FIRST_DECISIONS + "] but was " + n
          + " (for a larger reference pass the data, or a snapshot)");
    }
    return new Reference(Kind.FIRST_DECISIONS, null, null, 0, n, null);
  }

  /** A reference written earlier with {@link DriftSnapshot#write(Path)}. */
  public static Reference snapshot(DriftSnapshot snapshot) {
    return new Reference(Kind.SNAPSHOT, null, null, 0, 0, Objects.requireNonNull(snapshot, "snapshot"));
  }

  /** Reads a snapshot file now, so a missing or bad file fails at configuration. */
  public static Reference snapshot(Path file) {
    try {
      return snapshot(DriftSnapshot.read(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read drift reference snapshot " + file, e);
    }
  }

  /**
   * The window just before the current one: detects sudden changes, not slow ones. Bins (numeric)
   * are fixed from the first window's worth of values (at most {@value #MAX_FIRST_DECISIONS}).
   */
  public static Reference previousWindow() {
    return new Reference(Kind.PREVIOUS_WINDOW, null, null, 0, 0, null);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The same data reference, held as its bounded summary (at most 2,000 values, or bins; or the
   * tracked categories): what a running monitor keeps instead of the data it was given.
   */
  Reference summarised(DriftSnapshot summary) {
    return kind == Kind.DATA ? new Reference(Kind.DATA, null, null, dropped, 0, summary) : this;
  }

  /** Non-finite or blank values left out of the reference data. */
  public long droppedValues() {
    return dropped;
  }

  /** For {@link Kind#FIRST_DECISIONS}: how many; else 0. */
  public int firstDecisionsCount() {
    return firstDecisions;
  }

  boolean isNumericData() {
    return values != null || (snapshot != null && snapshot.type() == DriftFeature.Type.NUMERIC);
  }

  boolean isCategoricalData() {
    return categories != null || (snapshot != null && snapshot.type() == DriftFeature.Type.CATEGORICAL);
  }

  double @Nullable [] values() {
    return values == null ? null : values.clone();
  }

  @Nullable Map<String, Long> categories() {
    return categories;
  }

  @Nullable DriftSnapshot snapshotValue() {
    return snapshot;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case DATA -> values != null ? "data (" + values.length + " values)"
          : categories != null ? "data (" + categories.size() + " categories)"
          : "data (" + snapshot.count() + " values, summarised)";
      case FIRST_DECISIONS -> "first " + firstDecisions + " decisions";
      case SNAPSHOT -> "snapshot of '" + snapshot.feature() + "'";
      case PREVIOUS_WINDOW -> "previous window";
    };
  }
}
