package dev.aims.core.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The latest fairness figures of one AI system over its window (Fairlearn's definitions). A figure
 * is absent while its denominator in a group is below the minimum group size: decisions for the
 * selection rate, labelled positives for the true positive rate, labelled negatives for the false
 * positive rate, labelled decisions for accuracy. Differences and ratios across groups use only
 * the groups that have the figure, and need at least two.
 *
 * @param demographicParityDifference max − min selection rate
 * @param disparateImpactRatio min / max selection rate (alarm below the configured ratio, 0.8)
 * @param equalOpportunityDifference max − min true positive rate
 * @param equalizedOddsDifference the larger of the TPR and FPR differences
 * @param overallSelectionRate favourable / decisions over all monitored decisions in the window
 *     (reported once they reach the minimum group size)
 * @param selectionRateRatioToOverall the smallest over groups of their selection rate over the
 *     overall one, a ratio above 1 inverted (Fairlearn {@code MetricFrame.ratio(method='to_overall')})
 * @param selectionRateDifferenceToOverall the largest over groups of |rate − overall rate|
 *     (Fairlearn {@code MetricFrame.difference(method='to_overall')})
 * @param truePositiveRateToOverall the true positive rate over all labelled positives in the window,
 *     and each group's to it (Fairlearn {@code method='to_overall'}, as for the selection rate)
 * @param falsePositiveRateToOverall the same for the false positive rate (labelled negatives)
 * @param accuracyToOverall the same for accuracy (labelled decisions)
 * @param missingAttribute monitored decisions that carried no value for the attribute
 * @param undeclaredGroup monitored decisions whose value is not a declared group
 * @param labelsRecorded late labels matched to their decision, since start
 * @param duplicateLabels labels for a decision that already had one (ignored), since start
 * @param duplicateDecisions decisions recorded again under an id that is still pending (the
 *     second record is ignored by fairness, so its id cannot take a second label), since start
 * @param pendingLabels decisions now waiting for a label (Caffeine's estimate)
 *
 * <p>Labels for decisions no monitor knows (unknown, or expired from the bounded cache) are not in
 * any system's report: {@code Aims} counts them as {@code aims.feedback{result="unknown"}} and
 * records them as {@code outcome.recorded} with status {@code unknown}.
 */
public record FairnessReport(
    String system,
    String attribute,
    @Nullable Instant evaluatedAt,
    List<Group> groups,
    OptionalDouble overallSelectionRate,
    OptionalDouble selectionRateRatioToOverall,
    OptionalDouble selectionRateDifferenceToOverall,
    OptionalDouble demographicParityDifference,
    OptionalDouble disparateImpactRatio,
    OptionalDouble equalOpportunityDifference,
    OptionalDouble equalizedOddsDifference,
    ToOverall truePositiveRateToOverall,
    ToOverall falsePositiveRateToOverall,
    ToOverall accuracyToOverall,
    boolean alarm,
    long missingAttribute,
    long undeclaredGroup,
    long labelsRecorded,
    long duplicateLabels,
    long duplicateDecisions,
    long pendingLabels) {

  public FairnessReport {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(attribute, "attribute");
    groups = List.copyOf(groups);
    Objects.requireNonNull(truePositiveRateToOverall, "truePositiveRateToOverall");
    Objects.requireNonNull(falsePositiveRateToOverall, "falsePositiveRateToOverall");
    Objects.requireNonNull(accuracyToOverall, "accuracyToOverall");
  }

  /**
   * A rate over all monitored decisions of the window and the groups' rates compared with it, as
   * Fairlearn's {@code MetricFrame} with {@code method='to_overall'}.
   *
   * @param overall the rate pooled over every group (reported once its denominator reaches the
   *     minimum group size)
   * @param ratio the smallest over groups with the figure of their rate over the overall one, a
   *     ratio above 1 inverted ({@code MetricFrame.ratio}); absent when the overall rate is 0
   * @param difference the largest over groups with the figure of |rate − overall|
   *     ({@code MetricFrame.difference})
   */
  public record ToOverall(OptionalDouble overall, OptionalDouble ratio, OptionalDouble difference) {
    static final ToOverall NONE = new ToOverall(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public ToOverall {
      Objects.requireNonNull(overall, "overall");
      Objects.requireNonNull(ratio, "ratio");
      Objects.requireNonNull(difference, "difference");
    }
  }

  /** The group's figures, by name. */
  public Group group(String name) {
    for (Group g : groups) {
      if (g.name().equals(name)) {
        return g;
      }
    }
    throw new IllegalArgumentException("no group '" + name + "' (groups: " + groups.stream().map(Group::name).toList()
        + ")");
  }

  /**
   * One group's counts and rates in the window.
   *
   * @param favourable decisions with a favourable prediction
   * @param positives labelled decisions whose actual outcome was favourable
   * @param disparateImpact selection rate / the highest group's selection rate
   * @param selectionRateToOverall selection rate / the overall selection rate (not inverted)
   * @param truePositiveRateToOverall true positive rate / the overall one (not inverted)
   * @param falsePositiveRateToOverall false positive rate / the overall one (not inverted)
   * @param accuracyToOverall accuracy / the overall accuracy (not inverted)
   */
  public record Group(
      String name,
      long decisions,
      long favourable,
      long labelled,
      long positives,
      long negatives,
      OptionalDouble selectionRate,
      OptionalDouble disparateImpact,
      OptionalDouble truePositiveRate,
      OptionalDouble falsePositiveRate,
      OptionalDouble accuracy,
      OptionalDouble selectionRateToOverall,
      OptionalDouble truePositiveRateToOverall,
      OptionalDouble falsePositiveRateToOverall,
      OptionalDouble accuracyToOverall) {

    /** Whether the group has too few decisions for its selection rate to be reported. */
    public boolean belowMinimum() {
      return selectionRate.isEmpty();
    }
  }
}
