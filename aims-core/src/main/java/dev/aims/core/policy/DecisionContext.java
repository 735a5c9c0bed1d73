package dev.aims.core.policy;

import dev.aims.core.AiSystem;
import dev.aims.core.ModelRef;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/** What a boundary may look at. At {@link Stage#INPUT} there is no output yet. */
public interface DecisionContext {
  AiSystem system();

  String useCase();

  Stage stage();

  /** The model the call requested; null if the call named none. */
  @Nullable ModelRef model();

  /** The model that answered, when the call reported it. */
  @Nullable ModelRef responseModel();

  @Nullable Object input();

  /** The model's output; null at the input stage. */
  @Nullable Object output();

  /** Features declared on the call: numbers as {@code Double}, categories as {@code String}. */
  Map<String, Object> features();

  /** Protected attributes declared on the call (for fairness; not logged unless configured). */
  Map<String, String> protectedAttributes();

  /** The model's confidence, when the call reported it. */
  OptionalDouble confidence();

  /** A numeric feature, if present and finite. */
  default OptionalDouble numericFeature(String name) {
    Object value = features().get(name);
    if (value instanceof Double d && Double.isFinite(d)) {
      return OptionalDouble.of(d);
    }
    return OptionalDouble.empty();
  }
}
