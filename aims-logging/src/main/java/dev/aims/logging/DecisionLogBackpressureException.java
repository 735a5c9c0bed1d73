package dev.aims.logging;

import dev.aims.core.DecisionLogException;

/** The log's queue stayed full past the producer's deadline. The event was not written, and not dropped silently. */
public class DecisionLogBackpressureException extends DecisionLogException {
  public DecisionLogBackpressureException(String message) {
    super(message, null);
  }
}
