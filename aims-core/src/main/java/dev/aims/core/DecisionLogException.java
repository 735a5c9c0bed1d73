package dev.aims.core;

import org.jspecify.annotations.Nullable;

/** A decision log could not accept an event. Thrown by {@link DecisionLog} implementations. */
public class DecisionLogException extends AimsException {
  public DecisionLogException(String message, @Nullable Throwable cause) {
    super(message, null, cause);
  }
}
