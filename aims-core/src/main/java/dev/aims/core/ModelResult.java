package dev.aims.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer with what the provider reported about it.
 *
 * @param responseModel the model that answered, if it differs from or refines the requested one
 * @param confidence in [0, 1], for {@link dev.aims.core.policy.ConfidenceFloor}
 */
public record ModelResult<O>(
    O output, @Nullable ModelRef responseModel, @Nullable TokenUsage usage, @Nullable Double confidence) {

  public ModelResult {
    Objects.requireNonNull(output, "output must not be null: a model call must return a value");
    if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1] but was " + confidence);
    }
  }

  public static <O> ModelResult<O> of(O output) {
    return new ModelResult<>(output, null, null, null);
  }

  public ModelResult<O> withResponseModel(ModelRef model) {
    return new ModelResult<>(output, model, usage, confidence);
  }

  public ModelResult<O> withUsage(TokenUsage usage) {
    return new ModelResult<>(output, responseModel, usage, confidence);
  }

  public ModelResult<O> withConfidence(double confidence) {
    return new ModelResult<>(output, responseModel, usage, confidence);
  }
}
