package dev.aims.spring.ai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A local model that answers a user message with one tool call (name and arguments as set) and,
 * once it sees the tool's response, with the text {@code "tool said: <response>"}. Keeps the tool
 * responses it saw.
 */
final class ToolCallingStubModel implements ChatModel {
  private final String tool;
  private final String arguments;
  final List<String> toolResponses = new CopyOnWriteArrayList<>();

  ToolCallingStubModel(String tool, String arguments) {
    this.tool = tool;
    this.arguments = arguments;
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    List<Message> messages = prompt.getInstructions();
    Message last = messages.get(messages.size() - 1);
    if (last instanceof ToolResponseMessage r) {
      String data = r.getResponses().get(0).responseData();
      toolResponses.add(data);
      return new ChatResponse(List.of(new Generation(new AssistantMessage("tool said: " + data))));
    }
    AssistantMessage call = AssistantMessage.builder().content("")
        .toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", tool, arguments))).build();
    return new ChatResponse(List.of(new Generation(call)));
  }

  @Override
  public ChatOptions getDefaultOptions() {
    return ToolCallingChatOptions.builder().build();
  }
}
