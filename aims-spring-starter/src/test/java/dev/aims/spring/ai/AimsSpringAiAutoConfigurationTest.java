package dev.aims.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.TokenUsage;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.ModelChangeControl;
import dev.aims.spring.AimsAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AimsSpringAiAutoConfigurationTest {
  static final ModelRef GPT = ModelRef.of("openai", "gpt-4o", "2024-08-06");
  static final String QUESTION = "Where is my parcel?";
  static final String ANSWER = "Your parcel arrives on Tuesday.";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsSpringAiAutoConfiguration.class))
      .withUserConfiguration(AimsBeans.class);

  @Configuration(proxyBeanMethods = false)
  static class AimsBeans {
    @Bean
    InMemoryDecisionLog testLog() {
      return InMemoryDecisionLog.create();
    }

    @Bean(destroyMethod = "close")
    Aims aims(InMemoryDecisionLog log) {
      return Aims.builder().register(AiSystem.builder("support-bot").owner("support-team")
          .purpose("answer customers' parcel questions").riskTier(RiskTier.LIMITED).allowModel(GPT).build())
          .decisionLog(log).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnAdvisor {
    @Bean
    AimsChatAdvisor myAdvisor(Aims aims) {
      return AimsChatAdvisor.builder(aims).system("support-bot").useCase("own-use-case").build();
    }
  }

  /** A client as Spring AI's own auto-configuration builds it: every customizer bean applied, in order. */
  static ChatClient client(ApplicationContext ctx, StubChatModel model) {
    ChatClient.Builder builder = ChatClient.builder(model);
    ctx.getBeanProvider(ChatClientCustomizer.class).orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  static DecisionEvent lastFinal(InMemoryDecisionLog log) {
    List<DecisionEvent> finals = log.events(EventTypes.DECISION_FINAL, DecisionEvent.class);
    assertThat(finals).isNotEmpty();
    return finals.get(finals.size() - 1);
  }

  @Test
  void withAimsAiSystemSetEveryCustomizedChatClientIsGoverned() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.use-case=answer-customer",
        "aims.ai.model=openai:gpt-4o:2024-08-06", "aims.ai.order=42").run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(AimsChatAdvisor.class).hasBean("aimsChatClientCustomizer");
          AimsChatAdvisor advisor = ctx.getBean(AimsChatAdvisor.class);
          assertThat(advisor.system()).isEqualTo("support-bot");
          assertThat(advisor.useCase()).isEqualTo("answer-customer");
          assertThat(advisor.getOrder()).isEqualTo(42);

          ChatClient chat = client(ctx, new StubChatModel(ANSWER, "gpt-4o-2024-08-06"));
          assertThat(chat.prompt().user(QUESTION).call().content()).isEqualTo(ANSWER);

          DecisionEvent event = lastFinal(ctx.getBean(InMemoryDecisionLog.class));
          assertThat(event.useCase()).isEqualTo("answer-customer");
          assertThat(event.outcome()).isEqualTo(Outcome.ALLOWED);
          assertThat(event.responseModel()).isEqualTo(GPT);
          assertThat(event.usage()).isEqualTo(TokenUsage.of(12, 7));
        });
  }

  @Test
  void theRequesterParamIsTrustedOnlyWithTheProperty() {
    runner.withPropertyValues("aims.ai.system=support-bot").run(ctx -> {
      assertThat(ctx.getBean(AimsChatAdvisor.class).toString()).doesNotContain("trustRequesterParam");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client(ctx, new StubChatModel(ANSWER, "gpt-4o"))
              .prompt().user(QUESTION).advisors(x -> x.param(AimsChatAdvisor.REQUESTER, "rita")).call().content())
          .hasMessageContaining("aims.ai.trust-requester-param=true");
    });
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.trust-requester-param=true").run(ctx -> {
      assertThat(ctx.getBean(AimsChatAdvisor.class).toString()).contains("trustRequesterParam");
      client(ctx, new StubChatModel(ANSWER, "gpt-4o")).prompt().user(QUESTION)
          .advisors(x -> x.param(AimsChatAdvisor.REQUESTER, "rita")).call().content();
    });
  }

  @Test
  void theUseCaseDefaultsToChatAndTheModelToTheSystemsOnlyOne() {
    runner.withPropertyValues("aims.ai.system=support-bot").run(ctx -> {
      AimsChatAdvisor advisor = ctx.getBean(AimsChatAdvisor.class);
      assertThat(advisor.useCase()).isEqualTo(AimsSpringAiAutoConfiguration.DEFAULT_USE_CASE);
      assertThat(advisor.getOrder()).isEqualTo(AimsChatAdvisor.DEFAULT_ORDER);
      client(ctx, new StubChatModel(ANSWER, "gpt-4o")).prompt().user(QUESTION).call().content();
      assertThat(lastFinal(ctx.getBean(InMemoryDecisionLog.class)).model()).isEqualTo(GPT);
    });
  }

  @Test
  void withoutAimsAiSystemOnlyTheAdvisorFactoryIsOffered() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(AimsChatAdvisor.class)
          .doesNotHaveBean(ChatClientCustomizer.class).hasSingleBean(AimsChatAdvisors.class);
      AimsChatAdvisor advisor = ctx.getBean(AimsChatAdvisors.class).advisor("support-bot", "faq").build();
      ChatClient chat = ChatClient.builder(new StubChatModel(ANSWER, "gpt-4o")).defaultAdvisors(advisor).build();
      assertThat(chat.prompt().user(QUESTION).call().content()).isEqualTo(ANSWER);
      assertThat(lastFinal(ctx.getBean(InMemoryDecisionLog.class)).useCase()).isEqualTo("faq");
    });
  }

  @Test
  void withoutAnAimsBeanNothingIsConfigured() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AimsSpringAiAutoConfiguration.class))
        .withPropertyValues("aims.ai.system=support-bot").run(ctx -> assertThat(ctx).hasNotFailed()
            .doesNotHaveBean(AimsChatAdvisor.class).doesNotHaveBean(AimsChatAdvisors.class)
            .doesNotHaveBean(ChatClientCustomizer.class));
  }

  @Test
  void withoutSpringAiOnTheClasspathNothingIsConfigured() {
    runner.withClassLoader(new FilteredClassLoader(ChatClient.class)).withPropertyValues("aims.ai.system=support-bot")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AimsChatAdvisor.class)
            .doesNotHaveBean(AimsChatAdvisors.class));
  }

  @Test
  void anApplicationsOwnAdvisorReplacesTheConfiguredOne() {
    runner.withUserConfiguration(OwnAdvisor.class).withPropertyValues("aims.ai.system=support-bot").run(ctx -> {
      assertThat(ctx).hasSingleBean(AimsChatAdvisor.class).hasBean("myAdvisor").hasBean("aimsChatClientCustomizer");
      client(ctx, new StubChatModel(ANSWER, "gpt-4o")).prompt().user(QUESTION).call().content();
      assertThat(lastFinal(ctx.getBean(InMemoryDecisionLog.class)).useCase()).isEqualTo("own-use-case");
    });
  }

  @Test
  void theDuplicateAdvisorObservationIsDroppedUnlessAskedToKeepIt() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.advisor-observation=true").run(ctx ->
        assertThat(ctx).doesNotHaveBean(ObservationPredicate.class));
    runner.withPropertyValues("aims.ai.system=support-bot").run(ctx -> {
      assertThat(ctx).hasSingleBean(ObservationPredicate.class);
      ObservationPredicate filter = ctx.getBean(ObservationPredicate.class);
      ChatClientRequest request = new ChatClientRequest(new Prompt(QUESTION), Map.of());
      assertThat(filter.test("spring.ai.advisor", AdvisorObservationContext.builder()
          .advisorName(AimsChatAdvisor.NAME).chatClientRequest(request).build())).isFalse();
      assertThat(filter.test("spring.ai.advisor", AdvisorObservationContext.builder()
          .advisorName("SimpleLoggerAdvisor").chatClientRequest(request).build())).isTrue();
      assertThat(filter.test("spring.ai.chat.client", new Observation.Context())).isTrue();
    });
  }

  @Test
  void aMalformedModelPropertyFailsStartupNamingIt() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=gpt-4o").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause()
            .hasMessageContaining("aims.ai.model").hasMessageContaining("provider:name:version")
            .hasMessageContaining("'gpt-4o'"));
  }

  @Test
  void anUnregisteredSystemFailsStartupNamingTheProperty() {
    runner.withPropertyValues("aims.ai.system=no-such-bot").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("aims.ai.system=no-such-bot")
            .hasStackTraceContaining("no-such-bot"));
  }

  @Test
  void throughTheRealAimsAutoConfigurationFromApplicationProperties() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class, AimsSpringAiAutoConfiguration.class))
        .withPropertyValues(
            "aims.log.type=MEMORY",
            "aims.systems.support-bot.name=Support bot",
            "aims.systems.support-bot.owner=support-team",
            "aims.systems.support-bot.purpose=Answer customers' parcel questions",
            "aims.systems.support-bot.risk-tier=LIMITED",
            "aims.systems.support-bot.allowed-models[0]=openai:gpt-4o:2024-08-06",
            "aims.ai.system=support-bot",
            "aims.ai.use-case=answer-customer",
            "aims.ai.model=openai:gpt-4o:2024-08-06")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed().hasSingleBean(AimsChatAdvisor.class);
          ChatClient chat = client(ctx, new StubChatModel(ANSWER, "gpt-4o-2024-08-06"));

          assertThat(chat.prompt().user(QUESTION).call().content()).isEqualTo(ANSWER);
          InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean("aimsDecisionLog", DecisionLog.class);
          DecisionEvent event = lastFinal(log);
          assertThat(event.system()).isEqualTo("support-bot");
          assertThat(event.outcome()).isEqualTo(Outcome.ALLOWED);
          assertThat(event.responseModel()).isEqualTo(GPT);
          assertThat(event.usage()).isEqualTo(TokenUsage.of(12, 7));

          assertThatThrownBy(() -> chat.prompt().user(QUESTION).options(ChatOptions.builder().model("gpt-3.5-turbo"))
              .call().content())
              .isInstanceOf(DecisionDeniedException.class).hasMessageContaining(ModelChangeControl.INPUT_ID);
        });
  }
}
