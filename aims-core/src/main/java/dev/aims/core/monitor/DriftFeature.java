package dev.aims.core.monitor;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * One monitored distribution of an AI system: an input feature declared on the call
 * ({@code .feature("income", x)}), or a value read from the model's output. Immutable; each
 * {@code with}-style method returns a changed copy and checks its argument at once.
 *
 * <pre>{@code
 * DriftFeature.numeric("income", Reference.of(trainingIncomes))
 *     .window(Window.last(Duration.ofHours(1)));
 * DriftFeature.categorical("channel", Reference.firstDecisions(1000));
 * DriftFeature.numericOutput("score", Score.class, Score::value, Reference.previousWindow())
 *     .alarmOn(DriftStatistic.PSI, 0.25);
 * }</pre>
 *
 * <p>Unless {@link #alarmOn} says otherwise the alarm uses Evidently's default test, chosen when
 * the reference is known: a numeric reference with more than 5 distinct values → KS when it has at
 * most 1000 values, else Wasserstein (0.1); a categorical one, or one with at most 5 values →
 * chi-square when it has at most 1000 values, else Jensen–Shannon (0.1). A rolling
 * ({@link Reference#previousWindow()}) reference counts as large for a time window.
 */
public final class DriftFeature {
  /** Numeric values (doubles) or categories (strings). */
  public enum Type {
    NUMERIC,
    CATEGORICAL
  }

  static final int DEFAULT_BINS = 10;
  /** About this many fine bins back sliced windows and binned statistics, whatever {@link #bins}. */
  static final int FINE_BINS = 100;
  static final int DEFAULT_MAX_CATEGORIES = 20;
  static final int DEFAULT_MIN_SAMPLES = 30;
  static final int SMALL_REFERENCE = 1000;
  static final Window DEFAULT_WINDOW = Window.lastDecisions(1000);

  private final String name;
  private final Type type;
  private final @Nullable ToDoubleFunction<Object> numericOutput;
  private final @Nullable Function<Object, @Nullable String> categoricalOutput;
  private final Reference reference;
  private final Window window;
  private final @Nullable DriftStatistic statistic;
  private final double threshold;
  private final int bins;
  private final int maxCategories;
  private final int minSamples;

  private DriftFeature(String name, Type type, @Nullable ToDoubleFunction<Object> numericOutput,
      @Nullable Function<Object, @Nullable String> categoricalOutput, Reference reference, Window window,
      @Nullable DriftStatistic statistic, double threshold, int bins, int maxCategories, int minSamples) {
    this.name = name;
    this.type = type;
    this.numericOutput = numericOutput;
    this.categoricalOutput = categoricalOutput;
    this.reference = reference;
    this.window = window;
    this.statistic = statistic;
    this.threshold = threshold;
    this.bins = bins;
    this.maxCategories = maxCategories;
    this.minSamples = minSamples;
  }

  private static DriftFeature create(String name, Type type, @Nullable ToDoubleFunction<Object> numericOutput,
      @Nullable Function<Object, @Nullable String> categoricalOutput, Reference reference) {
    Objects.requireNonNull(name, "feature name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("feature name must not be blank");
    }
    Objects.requireNonNull(reference, () -> "reference of feature '" + name + "' must not be null");
    if (type == Type.NUMERIC && reference.isCategoricalData()) {
      throw new IllegalArgumentException("feature '" + name + "' is numeric but its reference holds categories");
    }
    if (type == Type.CATEGORICAL && reference.isNumericData()) {
      throw new IllegalArgumentException("feature '" + name + "' is categorical but its reference holds numbers");
    }
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, DEFAULT_WINDOW, null,
        Double.NaN, DEFAULT_BINS, DEFAULT_MAX_CATEGORIES, DEFAULT_MIN_SAMPLES);
  }

  /** A numeric input feature, declared on calls with {@code .feature(name, double)}. */
  public static DriftFeature numeric(String name, Reference reference) {
    return create(name, Type.NUMERIC, null, null, reference);
  }

  /** A categorical input feature, declared on calls with {@code .feature(name, String)}. */
  public static DriftFeature categorical(String name, Reference reference) {
    return create(name, Type.CATEGORICAL, null, null, reference);
  }

  /**
   * A number read from the model's output (e.g. the score). An output of another type, or a
   * non-finite value, counts as missing. {@code value} runs on the caller's path: keep it cheap.
   */
  public static <O> DriftFeature numericOutput(String name, Class<O> type, ToDoubleFunction<? super O> value,
      Reference reference) {
    Objects.requireNonNull(type, "output type");
    Objects.requireNonNull(value, "output value");
    return create(name, Type.NUMERIC, o -> type.isInstance(o) ? value.applyAsDouble(type.cast(o)) : Double.NaN, null,
        reference);
  }

  /** A category read from the model's output (e.g. the label). Another type, or null, counts as missing. */
  public static <O> DriftFeature categoricalOutput(String name, Class<O> type,
      Function<? super O, @Nullable String> value, Reference reference) {
    Objects.requireNonNull(type, "output type");
    Objects.requireNonNull(value, "output value");
    return create(name, Type.CATEGORICAL, null, o -> type.isInstance(o) ? value.apply(type.cast(o)) : null, reference);
  }

  /** The current window (default: the last 1000 values). */
  public DriftFeature window(Window window) {
    Objects.requireNonNull(window, () -> "window of feature '" + name + "' must not be null");
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  DriftFeature withReference(Reference reference) {
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  /** Raises the alarm from {@code statistic} at its default threshold. */
  public DriftFeature alarmOn(DriftStatistic statistic) {
    return alarmOn(statistic, Objects.requireNonNull(statistic, "statistic").defaultThreshold());
  }

  /**
   * Raises the alarm from {@code statistic}: for KS and chi-square when the p-value is below
   * {@code threshold} (in (0, 1)); for the distances when the score reaches it (> 0).
   */
  public DriftFeature alarmOn(DriftStatistic statistic, double threshold) {
    Objects.requireNonNull(statistic, () -> "alarm statistic of feature '" + name + "' must not be null");
    if (type == Type.CATEGORICAL && (statistic == DriftStatistic.KS || statistic == DriftStatistic.WASSERSTEIN)) {
      throw new IllegalArgumentException("alarm statistic of feature '" + name + "': " + statistic
          + " needs a numeric feature; categorical features support PSI, JENSEN_SHANNON and CHI_SQUARE");
    }
    if (statistic.isTest() ? !(threshold > 0 && threshold < 1) : !(threshold > 0 && Double.isFinite(threshold))) {
      throw new IllegalArgumentException("threshold of feature '" + name + "' for " + statistic + " must be "
          + (statistic.isTest() ? "a p-value in (0, 1)" : "finite and > 0") + " but was " + threshold);
    }
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  /**
   * Quantile bins for PSI, Jensen–Shannon and chi-square (default 10). Each is split into
   * {@code max(1, 100 / bins)} fine quantile bins for sliced windows and binned KS/Wasserstein.
   */
  public DriftFeature bins(int bins) {
    if (bins < 2 || bins > 100) {
      throw new IllegalArgumentException("bins of feature '" + name + "' must be in [2, 100] but was " + bins);
    }
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  /** Categories tracked one by one (default 20); the rest share an "other" bucket. */
  public DriftFeature maxCategories(int maxCategories) {
    if (maxCategories < 1 || maxCategories > 1000) {
      throw new IllegalArgumentException("maxCategories of feature '" + name + "' must be in [1, 1000] but was "
          + maxCategories);
    }
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  /** The fewest current values a figure is computed from (default 30); fewer means no figure. */
  public DriftFeature minSamples(int minSamples) {
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples of feature '" + name + "' must be >= 1 but was " + minSamples);
    }
    return new DriftFeature(name, type, numericOutput, categoricalOutput, reference, window, statistic, threshold,
        bins, maxCategories, minSamples);
  }

  /**
   * Fails unless a filled count window can hold {@link #minSamples} values: a window that never
   * can would leave the feature without a figure forever. Called by {@link MonitorConfig}, so it
   * applies whatever order the settings were given in.
   */
  void requireFiguresPossible() {
    long held = window.fewestHeldOnceFull();
    if (!window.isTimeBased() && held < minSamples) {
      throw new IllegalArgumentException("window of feature '" + name + "' (" + window + (window.isExact() ? ""
          : ", at least " + held + " once full") + ") is smaller than minSamples " + minSamples
          + ": it would never have a figure; give a window of at least " + minSamples
          + " values or lower minSamples");
    }
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  /** Whether the value comes from the model's output rather than from a declared feature. */
  public boolean fromOutput() {
    return numericOutput != null || categoricalOutput != null;
  }

  public Reference reference() {
    return reference;
  }

  public Window window() {
    return window;
  }

  /** The alarm statistic, when set with {@link #alarmOn}; empty means the default choice. */
  public Optional<DriftStatistic> alarmStatistic() {
    return Optional.ofNullable(statistic);
  }

  /** The alarm threshold, when set with {@link #alarmOn}; NaN means the statistic's default. */
  public double threshold() {
    return threshold;
  }

  public int bins() {
    return bins;
  }

  int finePerBin() {
    return Math.max(1, FINE_BINS / bins);
  }

  public int maxCategories() {
    return maxCategories;
  }

  public int minSamples() {
    return minSamples;
  }

  @Nullable ToDoubleFunction<Object> numericOutput() {
    return numericOutput;
  }

  @Nullable Function<Object, @Nullable String> categoricalOutput() {
    return categoricalOutput;
  }

  /** Evidently's default test for a reference of this size and kind (see the class description). */
  DriftStatistic defaultStatistic(long referenceCount, boolean discrete) {
    boolean small = referenceCount <= SMALL_REFERENCE;
    if (type == Type.CATEGORICAL || discrete) {
      return small ? DriftStatistic.CHI_SQUARE : DriftStatistic.JENSEN_SHANNON;
    }
    return small ? DriftStatistic.KS : DriftStatistic.WASSERSTEIN;
  }

  @Override
  public String toString() {
    return "DriftFeature[" + name + ", " + type + (fromOutput() ? " from output" : "") + ", reference " + reference
        + ", " + window + (statistic == null ? "" : ", alarm on " + statistic + " " + threshold) + "]";
  }
}
