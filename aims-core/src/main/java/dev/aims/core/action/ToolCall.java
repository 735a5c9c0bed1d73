package dev.aims.core.action;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A tool call an AI agent proposes, as handed to {@link ActionGovernor#propose}.
 *
 * @param system the AI system whose agent proposes the call (its boundaries and stop switch apply)
 * @param tool the tool's name as the model gave it
 * @param argumentsJson the arguments exactly as the model produced them (a JSON object as text)
 * @param parentDecisionId the decision of the conversation turn that led to the call, if known; the
 *     action's records name it, so a reader can show the whole agent run
 * @param conversation the key the per-conversation rate bound counts under; defaults to the parent
 *     decision id, else to the requester
 * @param callId the model's id of the tool call ({@code gen_ai.tool.call.id}), if it gave one
 * @param requester who the agent acts for (reviewers cannot approve their own requests)
 */
public record ToolCall(
    String system,
    String tool,
    String argumentsJson,
    @Nullable UUID parentDecisionId,
    @Nullable String conversation,
    @Nullable String callId,
    @Nullable String requester) {

  public ToolCall {
    ActionChecks.requireText(system, "system");
    ActionChecks.requireText(tool, "tool");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
  }

  /** A call with no parent, conversation, call id or requester; add them with the {@code with...} methods. */
  public static ToolCall of(String system, String tool, String argumentsJson) {
    return new ToolCall(system, tool, argumentsJson, null, null, null, null);
  }

  public ToolCall withParent(@Nullable UUID parentDecisionId) {
    return new ToolCall(system, tool, argumentsJson, parentDecisionId, conversation, callId, requester);
  }

  public ToolCall withConversation(@Nullable String conversation) {
    return new ToolCall(system, tool, argumentsJson, parentDecisionId, conversation, callId, requester);
  }

  public ToolCall withCallId(@Nullable String callId) {
    return new ToolCall(system, tool, argumentsJson, parentDecisionId, conversation, callId, requester);
  }

  public ToolCall withRequester(@Nullable String requester) {
    return new ToolCall(system, tool, argumentsJson, parentDecisionId, conversation, callId, requester);
  }

  /** The key the rate bound counts under. */
  String conversationKey() {
    if (conversation != null) {
      return conversation;
    }
    if (parentDecisionId != null) {
      return parentDecisionId.toString();
    }
    return requester != null ? "requester:" + requester : "";
  }
}
