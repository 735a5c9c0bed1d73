package dev.aims.core.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Fairness monitoring of one AI system: a protected attribute declared on calls
 * ({@code .protectedAttribute("age_band", band)}), its groups, and what counts as a favourable
 * prediction. Immutable; each {@code with}-style method returns a changed copy and checks its
 * argument at once.
 *
 * <pre>{@code
 * FairnessConfig.of("age_band", List.of("18-25", "26-40", "41-65", "65+"), Score.class, s -> s.value() >= 0.5)
 *     .favourableLabel(repaid -> (Boolean) repaid)
 *     .minGroupSize(50);
 * }</pre>
 *
 * <p>Groups form a declared, bounded set: they become the {@code group} tag of the fairness
 * gauges. A call whose attribute value is not declared is counted, not monitored.
 */
public final class FairnessConfig {
  /** The {@code group} tag value of figures across all groups. */
  public static final String ALL_GROUPS = "all";
  static final int MAX_GROUPS = 100;

  /** Separates the attribute names, and the values in a group's name, of an intersectional configuration. */
  public static final String INTERSECTION = "|";

  private final String attribute;
  private final List<String> attributes;
  private final List<List<String>> attributeGroups;
  private final List<String> groups;
  private final Predicate<Object> favourable;
  private final Predicate<Object> favourableLabel;
  private final int minGroupSize;
  private final double disparateImpactAlarm;
  private final double differenceAlarm;
  private final int maxPendingLabels;
  private final Duration labelExpiry;
  private final Window window;

  private FairnessConfig(String attribute, List<String> groups, Predicate<Object> favourable,
      Predicate<Object> favourableLabel, int minGroupSize, double disparateImpactAlarm, double differenceAlarm,
      int maxPendingLabels, Duration labelExpiry, Window window) {
    this(List.of(attribute), List.of(groups), favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        differenceAlarm, maxPendingLabels, labelExpiry, window);
  }

  private FairnessConfig(List<String> attributes, List<List<String>> attributeGroups, Predicate<Object> favourable,
      Predicate<Object> favourableLabel, int minGroupSize, double disparateImpactAlarm, double differenceAlarm,
      int maxPendingLabels, Duration labelExpiry, Window window) {
    this.attributes = attributes;
    this.attributeGroups = attributeGroups;
    this.attribute = String.join(INTERSECTION, attributes);
    this.groups = attributes.size() == 1 ? attributeGroups.get(0) : product(attributeGroups);
    this.favourable = favourable;
    this.favourableLabel = favourableLabel;
    this.minGroupSize = minGroupSize;
    this.disparateImpactAlarm = disparateImpactAlarm;
    this.differenceAlarm = differenceAlarm;
    this.maxPendingLabels = maxPendingLabels;
    this.labelExpiry = labelExpiry;
    this.window = window;
  }

  /**
   * @param attribute the protected attribute's name on calls
   * @param groups its values that are monitored (at most 100; {@value #ALL_GROUPS} is reserved)
   * @param outputType the model's output type; another type counts as not favourable
   * @param favourable whether an output is the favourable outcome (e.g. credit granted)
   */
  public static <O> FairnessConfig of(String attribute, Collection<String> groups, Class<O> outputType,
      Predicate<? super O> favourable) {
    Objects.requireNonNull(attribute, "fairness attribute must not be null");
    if (attribute.isBlank()) {
      throw new IllegalArgumentException("fairness attribute must not be blank");
    }
    Objects.requireNonNull(groups, "groups of fairness attribute '" + attribute + "' must not be null");
    Objects.requireNonNull(outputType, "outputType");
    Objects.requireNonNull(favourable, "favourable");
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String g : groups) {
      if (g == null || g.isBlank()) {
        throw new IllegalArgumentException("groups of fairness attribute '" + attribute + "' must not be blank");
      }
      if (g.equals(ALL_GROUPS)) {
        throw new IllegalArgumentException("groups of fairness attribute '" + attribute + "': '" + ALL_GROUPS
            + "' is reserved for figures across groups");
      }
      if (!unique.add(g)) {
        throw new IllegalArgumentException("groups of fairness attribute '" + attribute + "' list '" + g + "' twice");
      }
    }
    if (unique.size() < 2 || unique.size() > MAX_GROUPS) {
      throw new IllegalArgumentException("fairness attribute '" + attribute + "' needs between 2 and " + MAX_GROUPS
          + " groups but has " + unique.size());
    }
    Predicate<Object> fav = o -> outputType.isInstance(o) && favourable.test(outputType.cast(o));
    Predicate<Object> label = actual -> {
      if (actual instanceof Boolean b) {
        return b;
      }
      if (outputType.isInstance(actual)) {
        return favourable.test(outputType.cast(actual));
      }
      throw new IllegalArgumentException("cannot tell whether the actual outcome " + actual.getClass().getName()
          + " is favourable: give a Boolean or a " + outputType.getName() + ", or set favourableLabel(...)");
    };
    return new FairnessConfig(attribute, List.copyOf(new ArrayList<>(unique)), fav, label, 30, 0.8, 0.1, 100_000,
        Duration.ofDays(30), Window.lastDecisions(10_000));
  }

  /**
   * Intersectional fairness: groups are the combinations of several protected attributes' values
   * (e.g. age band × sex, as Fairlearn's {@code MetricFrame} with several sensitive features). A
   * group is named by its values joined with {@value #INTERSECTION} in the order of
   * {@code attributes} ({@code "18-25|f"}); the attribute tag is the names joined the same way
   * ({@code "age_band|sex"}). A call must carry every attribute; a missing one counts as
   * {@code missingAttribute}, a value not declared as {@code undeclaredGroup}. The combinations
   * are bounded: at most {@value #MAX_GROUPS}.
   *
   * @param groups for each attribute, in the same order, its monitored values
   */
  public static <O> FairnessConfig intersection(List<String> attributes, List<? extends Collection<String>> groups,
      Class<O> outputType, Predicate<? super O> favourable) {
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(groups, "groups");
    if (attributes.size() < 2 || attributes.size() != groups.size()) {
      throw new IllegalArgumentException("an intersection needs at least two attributes and one list of groups each,"
          + " but has " + attributes.size() + " attributes and " + groups.size() + " lists of groups");
    }
    List<List<String>> perAttribute = new ArrayList<>();
    long combinations = 1;
    for (int i = 0; i < attributes.size(); i++) {
      String a = attributes.get(i);
      if (a != null && a.contains(INTERSECTION)) {
        throw new IllegalArgumentException("fairness attribute '" + a + "' must not contain '" + INTERSECTION + "'");
      }
      // each attribute's groups checked as for a single attribute
      FairnessConfig single = of(a, groups.get(i), outputType, favourable);
      for (String g : single.groups) {
        if (g.contains(INTERSECTION)) {
          throw new IllegalArgumentException("group '" + g + "' of fairness attribute '" + a + "' must not contain '"
              + INTERSECTION + "'");
        }
      }
      perAttribute.add(single.groups);
      combinations *= single.groups.size();
    }
    if (new LinkedHashSet<>(attributes).size() != attributes.size()) {
      throw new IllegalArgumentException("an intersection lists an attribute twice: " + attributes);
    }
    if (combinations > MAX_GROUPS) {
      throw new IllegalArgumentException("the intersection of " + attributes + " has " + combinations
          + " groups, more than " + MAX_GROUPS + " (groups become a gauge tag: keep them bounded)");
    }
    FairnessConfig base = of(attributes.get(0), groups.get(0), outputType, favourable);
    return new FairnessConfig(List.copyOf(attributes), List.copyOf(perAttribute), base.favourable,
        base.favourableLabel, base.minGroupSize, base.disparateImpactAlarm, base.differenceAlarm, base.maxPendingLabels,
        base.labelExpiry, base.window);
  }

  private static List<String> product(List<List<String>> perAttribute) {
    List<String> out = new ArrayList<>(List.of(""));
    for (List<String> values : perAttribute) {
      List<String> next = new ArrayList<>();
      for (String prefix : out) {
        for (String v : values) {
          next.add(prefix.isEmpty() ? v : prefix + INTERSECTION + v);
        }
      }
      out = next;
    }
    return List.copyOf(out);
  }

  /** The protected attributes, one for a plain configuration, several for an {@link #intersection}. */
  public List<String> attributes() {
    return attributes;
  }

  /** For each of {@link #attributes}, its declared values. */
  public List<List<String>> attributeGroups() {
    return attributeGroups;
  }

  /**
   * Whether an actual outcome given to {@code aims.feedback} is favourable. Default: a
   * {@code Boolean} is itself, a value of the output type goes through the favourable predicate.
   */
  public FairnessConfig favourableLabel(Predicate<Object> favourableLabel) {
    Objects.requireNonNull(favourableLabel, "favourableLabel");
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        differenceAlarm, maxPendingLabels, labelExpiry, window);
  }

  /** The fewest members (of the figure's denominator) a group needs before a figure is reported (default 30). */
  public FairnessConfig minGroupSize(int minGroupSize) {
    if (minGroupSize < 1) {
      throw new IllegalArgumentException("minGroupSize of fairness attribute '" + attribute + "' must be >= 1 but was "
          + minGroupSize);
    }
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        differenceAlarm, maxPendingLabels, labelExpiry, window);
  }

  /** The alarm is on while the disparate impact ratio is below this (default 0.8, the four-fifths rule). */
  public FairnessConfig disparateImpactAlarm(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("disparateImpactAlarm of fairness attribute '" + attribute
          + "' must be in (0, 1] but was " + ratio);
    }
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, ratio, differenceAlarm,
        maxPendingLabels, labelExpiry, window);
  }

  /** The alarm is also on while equal opportunity or equalized odds difference exceeds this (default 0.1). */
  public FairnessConfig differenceAlarm(double difference) {
    if (!(difference > 0 && difference <= 1)) {
      throw new IllegalArgumentException("differenceAlarm of fairness attribute '" + attribute
          + "' must be in (0, 1] but was " + difference);
    }
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        difference, maxPendingLabels, labelExpiry, window);
  }

  /**
   * Decisions waiting for a late label: at most {@code max} (default 100,000), each for at most
   * {@code expiry} (default 30 days). Older or evicted ones make a label {@code UNKNOWN}.
   */
  public FairnessConfig pendingLabels(int max, Duration expiry) {
    if (max < 0) {
      throw new IllegalArgumentException("pendingLabels max of fairness attribute '" + attribute
          + "' must be >= 0 but was " + max);
    }
    Objects.requireNonNull(expiry, "pendingLabels expiry");
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("pendingLabels expiry of fairness attribute '" + attribute
          + "' must be positive but was " + expiry);
    }
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        differenceAlarm, max, expiry, window);
  }

  /** The window the figures cover (default the last 10,000 decisions, in 10 slices); labels count when they arrive. */
  public FairnessConfig window(Window window) {
    Objects.requireNonNull(window, "window");
    return new FairnessConfig(attributes, attributeGroups, favourable, favourableLabel, minGroupSize, disparateImpactAlarm,
        differenceAlarm, maxPendingLabels, labelExpiry, window);
  }

  public String attribute() {
    return attribute;
  }

  public List<String> groups() {
    return groups;
  }

  /** Fails unless a filled count window can hold {@link #minGroupSize} decisions (else no group ever has a figure). */
  void requireFiguresPossible() {
    long held = window.fewestHeldOnceFull();
    if (!window.isTimeBased() && held < minGroupSize) {
      throw new IllegalArgumentException("window of fairness attribute '" + attribute + "' (" + window
          + ") holds fewer decisions than minGroupSize " + minGroupSize
          + ": no group would ever have a figure; give a window of at least " + minGroupSize
          + " decisions or lower minGroupSize");
    }
  }

  public int minGroupSize() {
    return minGroupSize;
  }

  public double disparateImpactThreshold() {
    return disparateImpactAlarm;
  }

  public double differenceThreshold() {
    return differenceAlarm;
  }

  public int maxPendingLabels() {
    return maxPendingLabels;
  }

  public Duration labelExpiry() {
    return labelExpiry;
  }

  public Window window() {
    return window;
  }

  boolean isFavourable(@Nullable Object output) {
    return output != null && favourable.test(output);
  }

  boolean isFavourableLabel(Object actual) {
    return favourableLabel.test(actual);
  }

  @Override
  public String toString() {
    return "FairnessConfig[" + attribute + " " + groups + ", min group " + minGroupSize + "]";
  }
}
