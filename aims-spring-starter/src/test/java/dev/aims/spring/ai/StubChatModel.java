package dev.aims.spring.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * A local chat model: answers every prompt with canned text, reporting a model name and token
 * usage in the response metadata as a provider would; streams the answer word by word with the
 * usage on the last chunk. Counts calls and keeps the prompts it saw.
 */
final class StubChatModel implements ChatModel {
  private volatile String answer;
  private volatile String reportedModel;
  private volatile @Nullable RuntimeException failure;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<Prompt> prompts = new ArrayList<>();

  StubChatModel(String answer, String reportedModel) {
    this.answer = answer;
    this.reportedModel = reportedModel;
  }

  StubChatModel answering(String text) {
    this.answer = text;
    return this;
  }

  StubChatModel reporting(String model) {
    this.reportedModel = model;
    return this;
  }

  StubChatModel failingWith(RuntimeException e) {
    this.failure = e;
    return this;
  }

  int calls() {
    return calls.get();
  }

  synchronized List<Prompt> prompts() {
    return List.copyOf(prompts);
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    seen(prompt);
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return response(answer, reportedModel, new DefaultUsage(12, 7), "STOP");
  }

  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    seen(prompt);
    String[] words = answer.split("(?<= )");
    List<ChatResponse> chunks = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      boolean last = i == words.length - 1;
      chunks.add(response(words[i], reportedModel, last ? new DefaultUsage(12, words.length) : null,
          last ? "STOP" : null));
    }
    return Flux.fromIterable(chunks);
  }

  private synchronized void seen(Prompt prompt) {
    calls.incrementAndGet();
    prompts.add(prompt);
  }

  static ChatResponse response(String text, String model, @Nullable DefaultUsage usage, @Nullable String finish) {
    ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder().id("resp-1").model(model);
    if (usage != null) {
      metadata.usage(usage);
    }
    ChatGenerationMetadata generation = finish == null ? ChatGenerationMetadata.NULL
        : ChatGenerationMetadata.builder().finishReason(finish).build();
    return new ChatResponse(List.of(new Generation(new AssistantMessage(text), generation)), metadata.build());
  }
}
