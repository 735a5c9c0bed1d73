package dev.aims.core.policy;

import dev.aims.core.Verdict;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A rule at a decision boundary: it looks at one decision and says ALLOW, REVIEW (a human must
 * decide) or DENY, with a reason. Its id and version go into the decision record.
 *
 * <p>Implementations must be thread-safe and fast: they run on the caller's path. A boundary that
 * throws is treated as DENY (fail closed), and the failure is logged.
 */
public interface DecisionBoundary {

  String id();

  /** Bump when the rule's meaning changes, so records show which version decided. */
  String version();

  Stage stage();

  Ruling evaluate(DecisionContext context);

  /** The identity written to {@code policy.changed}. */
  default BoundaryRef ref() {
    return new BoundaryRef(id(), version(), stage());
  }

  /** A custom boundary from a function. */
  static DecisionBoundary of(
      String id, String version, Stage stage, Function<DecisionContext, Ruling> rule) {
    Objects.requireNonNull(rule, "rule");
    return new SimpleBoundary(id, version, stage) {
      @Override
      public Ruling evaluate(DecisionContext context) {
        return Objects.requireNonNull(rule.apply(context), () -> "boundary '" + id + "' returned null");
      }
    };
  }

  /** A custom boundary that returns {@code verdict} with {@code message} when {@code condition} holds. */
  static DecisionBoundary when(
      String id, Stage stage, Predicate<DecisionContext> condition, Verdict verdict, String message) {
    Objects.requireNonNull(condition, "condition");
    Ruling hit = Ruling.of(verdict, message);
    return of(id, "1", stage, ctx -> condition.test(ctx) ? hit : Ruling.allow());
  }
}
