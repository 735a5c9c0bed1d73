package dev.aims.core.testing;

import dev.aims.core.ModelRef;
import dev.aims.core.ModelValidation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a model over a golden set and writes the {@link ModelValidation} a HIGH-risk register entry
 * cites; plain Java, so any test framework (or a CI step's main method) can call it:
 *
 * <pre>{@code
 * ModelValidation record = ValidationSuite.<Loan, String>named("loan-golden-v3")
 *     .example(new Loan(900), "approve").example(new Loan(90_000), "review")
 *     .metric("accuracy", ValidationSuite.accuracy()).atLeast("accuracy", 0.95)
 *     .run(ModelRef.of("acme", "scorer", "2.1"), "sha256:...", "ml-lead", Clock.systemUTC(), model::decide);
 * Files.writeString(Path.of("validation.json"), record.toJson()); // cited by the register entry
 * }</pre>
 *
 * @param <I> a golden example's input
 * @param <O> the model's answer
 */
public final class ValidationSuite<I, O> {
  /** One golden example and the answer it must get. */
  public record Example<I, O>(I input, O expected) {}

  private final String id;
  private final List<Example<I, O>> golden = new ArrayList<>();
  private final Map<String, BiFunction<List<O>, List<O>, Double>> metrics = new LinkedHashMap<>();
  private final Map<String, Double> thresholds = new LinkedHashMap<>();

  private ValidationSuite(String id) {
    this.id = Objects.requireNonNull(id, "id");
  }

  public static <I, O> ValidationSuite<I, O> named(String id) {
    return new ValidationSuite<>(id);
  }

  public ValidationSuite<I, O> example(I input, O expected) {
    golden.add(new Example<>(input, expected));
    return this;
  }

  public ValidationSuite<I, O> examples(List<Example<I, O>> examples) {
    examples.forEach(e -> example(e.input(), e.expected()));
    return this;
  }

  /** A metric over the expected and the actual answers, in golden-set order. */
  public ValidationSuite<I, O> metric(String name, BiFunction<List<O>, List<O>, Double> metric) {
    if (metrics.putIfAbsent(Objects.requireNonNull(name, "name"), Objects.requireNonNull(metric, "metric")) != null) {
      throw new IllegalArgumentException("metric '" + name + "' is given twice in suite '" + id + "'");
    }
    return this;
  }

  /** The minimum a metric must reach for the suite to pass. */
  public ValidationSuite<I, O> atLeast(String metric, double minimum) {
    thresholds.put(Objects.requireNonNull(metric, "metric"), minimum);
    return this;
  }

  /** The share of examples whose answer equals the expected one. */
  public static <O> BiFunction<List<O>, List<O>, Double> accuracy() {
    return (expected, actual) -> {
      long right = 0;
      for (int i = 0; i < expected.size(); i++) {
        right += Objects.equals(expected.get(i), actual.get(i)) ? 1 : 0;
      }
      return (double) right / expected.size();
    };
  }

  /**
   * Asks {@code model} each golden input, computes the metrics and returns the record, passing or
   * not (a model that throws on an example fails the suite with that example named).
   */
  public ModelValidation run(ModelRef model, String artefactDigest, String approver, Clock clock,
      Function<I, O> modelUnderTest) {
    if (golden.isEmpty()) {
      throw new IllegalStateException("suite '" + id + "' has no golden example");
    }
    List<O> expected = new ArrayList<>();
    List<O> actual = new ArrayList<>();
    for (int i = 0; i < golden.size(); i++) {
      Example<I, O> e = golden.get(i);
      expected.add(e.expected());
      try {
        actual.add(modelUnderTest.apply(e.input()));
      } catch (RuntimeException ex) {
        throw new IllegalStateException("suite '" + id + "': the model failed on golden example " + i + ": " + ex, ex);
      }
    }
    Map<String, Double> values = new LinkedHashMap<>();
    metrics.forEach((name, m) -> values.put(name, m.apply(expected, actual)));
    return ModelValidation.of(id, model, artefactDigest, values, thresholds, approver, clock.instant());
  }
}
