package dev.aims.core.action;

import dev.aims.core.AimsException;
import java.util.UUID;

/**
 * A tool call may not run: it was denied, rejected or expired, is still awaiting approval, has run
 * already, is past its execution deadline, its system is stopped, or its arguments differ from the
 * ones approved. The message says which.
 */
public class ActionNotAuthorisedException extends AimsException {
  private final ActionStatus status;

  public ActionNotAuthorisedException(String message, UUID decisionId, ActionStatus status) {
    super(message, decisionId, null);
    this.status = status;
  }

  public ActionStatus status() {
    return status;
  }
}
