package dev.aims.oversight;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;

/**
 * An approved action, handed out once: by {@link ApprovalService#authorize} or to a
 * {@link ContinuationHandler}. Its digest was checked against the approval and the system's
 * policy version against the request's just before it was handed out.
 */
public final class ApprovedAction {
  private final ApprovalRequest request;
  private final String actionJson;

  ApprovedAction(ApprovalRequest request, String actionJson) {
    this.request = request;
    this.actionJson = actionJson;
  }

  public ApprovalRequest request() {
    return request;
  }

  /**
   * The action to run as canonical JSON: the parameters the governed call gave with
   * {@code DecisionCall.action(..)}, else the model's proposed output; for an override, the
   * reviewer's output. Not redacted: it is what runs.
   */
  public String actionJson() {
    return actionJson;
  }

  /** The action read into an application type. */
  public <T> T action(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      return ActionDigest.mapper().readValue(actionJson, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the approved action of request " + request.id() + " cannot be read as "
          + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ApprovedAction[" + request.id() + " " + request.system() + "/" + request.useCase() + "]";
  }
}
