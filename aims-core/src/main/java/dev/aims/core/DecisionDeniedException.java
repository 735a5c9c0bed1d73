package dev.aims.core;

import dev.aims.core.policy.Reason;
import java.util.List;
import java.util.UUID;

/** A decision boundary returned DENY. The decision is recorded; the output must not be used. */
public class DecisionDeniedException extends AimsException {
  private final List<Reason> reasons;

  public DecisionDeniedException(UUID decisionId, String system, List<Reason> reasons) {
    super("decision " + decisionId + " of system '" + system + "' was denied: " + reasons, decisionId, null);
    this.reasons = List.copyOf(reasons);
  }

  public List<Reason> reasons() {
    return reasons;
  }
}
