package dev.aims.core;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The root of AIMS's named failures. Each message says what happened and what to do. */
public class AimsException extends RuntimeException {
  private final @Nullable UUID decisionId;

  public AimsException(String message, @Nullable UUID decisionId, @Nullable Throwable cause) {
    super(message, cause);
    this.decisionId = decisionId;
  }

  public AimsException(String message) {
    this(message, null, null);
  }

  /** The decision this failure belongs to, when there is one; it is in the decision log. */
  public @Nullable UUID decisionId() {
    return decisionId;
  }
}
