package dev.aims.core;

import java.util.UUID;

/** The model returned no output (null). The decision is recorded as failed. */
public class ModelOutputException extends AimsException {
  public ModelOutputException(UUID decisionId, String message) {
    super(message, decisionId, null);
  }
}
