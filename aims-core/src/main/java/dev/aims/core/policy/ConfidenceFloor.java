package dev.aims.core.policy;

import dev.aims.core.Verdict;
import java.util.OptionalDouble;

/**
 * The model's reported confidence must reach a floor, e.g. {@code ConfidenceFloor.of("confident",
 * 0.7, Verdict.REVIEW)}. A call that reports no confidence gets the same verdict: an unknown
 * confidence is not a high one.
 */
public final class ConfidenceFloor extends SimpleBoundary {
  private final double floor;
  private final Verdict verdict;

  private ConfidenceFloor(String id, String version, double floor, Verdict verdict) {
    super(id, version, Stage.OUTPUT);
    if (!(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("confidence floor of '" + id + "' must be in [0, 1] but was " + floor);
    }
    if (verdict == Verdict.ALLOW) {
      throw new IllegalArgumentException("verdict of '" + id + "' must be REVIEW or DENY");
    }
    this.floor = floor;
    this.verdict = verdict;
  }

  public static ConfidenceFloor of(String id, double floor, Verdict verdict) {
    return new ConfidenceFloor(id, "1", floor, verdict);
  }

  public static ConfidenceFloor of(String id, String version, double floor, Verdict verdict) {
    return new ConfidenceFloor(id, version, floor, verdict);
  }

  @Override
  public Ruling evaluate(DecisionContext context) {
    OptionalDouble c = context.confidence();
    if (c.isEmpty()) {
      return Ruling.of(verdict, "the model reported no confidence; floor is " + floor);
    }
    double v = c.getAsDouble();
    return v >= floor ? Ruling.allow() : Ruling.of(verdict, "confidence " + v + " is below the floor " + floor);
  }
}
