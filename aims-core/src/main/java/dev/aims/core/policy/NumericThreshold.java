package dev.aims.core.policy;

import dev.aims.core.Verdict;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A numeric limit on an input feature or an output field, e.g. loans above 50,000 need review:
 *
 * <pre>{@code
 * NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW)
 * NumericThreshold.onOutput("low-score", Score.class, Score::value).below(0.2, Verdict.DENY)
 * }</pre>
 *
 * A missing or non-finite value cannot be judged: the boundary then returns {@code ifMissing}
 * (REVIEW unless set), never ALLOW by accident.
 */
public final class NumericThreshold extends SimpleBoundary {
  private final String subject;
  private final Function<DecisionContext, OptionalDouble> value;
  private final double limit;
  private final boolean above;
  private final Verdict verdict;
  private final Verdict ifMissing;

  private NumericThreshold(Builder b, double limit, boolean above, Verdict verdict) {
    super(b.id, b.version, b.stage);
    if (!Double.isFinite(limit)) {
      throw new IllegalArgumentException("limit of boundary '" + b.id + "' must be finite but was " + limit);
    }
    this.subject = b.subject;
    this.value = b.value;
    this.limit = limit;
    this.above = above;
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.ifMissing = b.ifMissing;
  }

  /** A limit on a numeric feature declared with {@code .feature(name, value)}. */
  public static Builder onFeature(String id, String feature) {
    Objects.requireNonNull(feature, "feature");
    return new Builder(id, Stage.INPUT, "feature '" + feature + "'", ctx -> ctx.numericFeature(feature));
  }

  /**
   * A limit on a field of the model's output. An output of another type counts as missing.
   *
   * @param field reads the number from the output
   */
  public static <O> Builder onOutput(String id, Class<O> type, ToDoubleFunction<? super O> field) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(field, "field");
    return new Builder(
        id,
        Stage.OUTPUT,
        "output of " + id,
        ctx -> {
          Object out = ctx.output();
          if (!type.isInstance(out)) {
            return OptionalDouble.empty();
          }
          double d = field.applyAsDouble(type.cast(out));
          return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        });
  }

  @Override
  public Ruling evaluate(DecisionContext context) {
    OptionalDouble v = value.apply(context);
    if (v.isEmpty()) {
      return Ruling.of(ifMissing, subject + " is missing or not a finite number, so the limit cannot be checked");
    }
    double x = v.getAsDouble();
    boolean hit = above ? x > limit : x < limit;
    if (!hit) {
      return Ruling.allow();
    }
    return Ruling.of(verdict, subject + " = " + x + " is " + (above ? "above " : "below ") + limit);
  }

  public static final class Builder {
    private final String id;
    private final Stage stage;
    private final String subject;
    private final Function<DecisionContext, OptionalDouble> value;
    private String version = "1";
    private Verdict ifMissing = Verdict.REVIEW;

    private Builder(String id, Stage stage, String subject, Function<DecisionContext, OptionalDouble> value) {
      this.id = Objects.requireNonNull(id, "id");
      this.stage = stage;
      this.subject = subject;
      this.value = value;
    }

    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The verdict when the value is missing; REVIEW unless set. */
    public Builder ifMissing(Verdict verdict) {
      this.ifMissing = Objects.requireNonNull(verdict, "ifMissing");
      return this;
    }

    /** {@code verdict} when the value is strictly greater than {@code limit}. */
    public NumericThreshold above(double limit, Verdict verdict) {
      return new NumericThreshold(this, limit, true, verdict);
    }

    /** {@code verdict} when the value is strictly less than {@code limit}. */
    public NumericThreshold below(double limit, Verdict verdict) {
      return new NumericThreshold(this, limit, false, verdict);
    }
  }
}
