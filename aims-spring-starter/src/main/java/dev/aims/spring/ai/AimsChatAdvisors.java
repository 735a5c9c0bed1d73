package dev.aims.spring.ai;

import dev.aims.core.Aims;
import java.util.Objects;

/**
 * Makes {@link AimsChatAdvisor}s bound to the application's {@link Aims}: the bean to inject when
 * each {@code ChatClient} governs a different system or use case.
 *
 * <pre>{@code
 * @Bean
 * ChatClient supportChat(ChatModel model, AimsChatAdvisors governed) {
 *   return ChatClient.builder(model)
 *       .defaultAdvisors(governed.advisor("support-bot", "answer-customer").build())
 *       .build();
 * }
 * }</pre>
 */
public final class AimsChatAdvisors {
  private final Aims aims;

  public AimsChatAdvisors(Aims aims) {
    this.aims = Objects.requireNonNull(aims, "aims");
  }

  /** A builder preset with this application's Aims, the system and the use case; set more, then {@code build()}. */
  public AimsChatAdvisor.Builder advisor(String system, String useCase) {
    return AimsChatAdvisor.builder(aims).system(system).useCase(useCase);
  }
}
