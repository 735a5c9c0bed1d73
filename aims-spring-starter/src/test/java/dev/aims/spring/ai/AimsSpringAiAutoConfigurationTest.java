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
import dev.aims.spring.AimsFailureAnalyzer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
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

  /** What Spring Boot prints for the start-up failure: the AIMS failure analyzer's description and action. */
  static FailureAnalysis analysis(org.springframework.boot.test.context.assertj.AssertableApplicationContext ctx) {
    assertThat(ctx).hasFailed();
    FailureAnalysis analysis = new AimsFailureAnalyzer().analyze(ctx.getStartupFailure());
    assertThat(analysis).as("an AIMS failure analysis of %s", ctx.getStartupFailure()).isNotNull();
    return analysis;
  }

  @Test
  void aMalformedModelPropertyFailsStartupNamingIt() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=gpt-4o").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("aims.ai.model = 'gpt-4o' is not provider:name:version"
          + " (e.g. openai:gpt-4o:2024-08-06).");
      assertThat(a.getAction()).contains("provider:name:version");
    });
  }

  @Test
  void theDisplayedModelFormPastedIntoYamlIsRefusedShowingTheRightForm() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=openai/gpt-4o@2024-08-06").run(ctx ->
        assertThat(analysis(ctx).getDescription()).isEqualTo("aims.ai.model = 'openai/gpt-4o@2024-08-06' is not"
            + " provider:name:version; write it as openai:gpt-4o:2024-08-06."));
    // and the form every display now uses is the one YAML reads
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=" + GPT).run(ctx ->
        assertThat(ctx).hasNotFailed());
  }

  @Test
  void aModelTheRegisterDoesNotAllowFailsStartup() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=openai:gpt-4o-mini:2024-07-18").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("aims.ai.model = 'openai:gpt-4o-mini:2024-07-18' is not allowed for"
          + " system 'support-bot' (allowed: [openai:gpt-4o:2024-08-06]).");
      assertThat(a.getAction()).isEqualTo("Set aims.ai.model to one of the allowed models, or add it to"
          + " aims.systems.support-bot.allowed-models (a model change, under change control).");
    });
  }

  @Test
  void theConfiguredModelIsTheOneRequestedWhateverSpringAiDefaultOptionsSay() {
    runner.withPropertyValues("aims.ai.system=support-bot", "aims.ai.model=openai:gpt-4o:2024-08-06").run(ctx -> {
      StubChatModel model = new StubChatModel(ANSWER, "gpt-4o-2024-08-06");
      ChatClient.Builder builder = ChatClient.builder(model)
          .defaultOptions(org.springframework.ai.chat.prompt.ChatOptions.builder().model("gpt-4o-mini").temperature(0.3));
      ctx.getBeanProvider(ChatClientCustomizer.class).orderedStream().forEach(c -> c.customize(builder));
      builder.build().prompt().user(QUESTION).call().content();
      assertThat(model.prompts()).hasSize(1);
      org.springframework.ai.chat.prompt.ChatOptions sent =
          (org.springframework.ai.chat.prompt.ChatOptions) model.prompts().get(0).getOptions();
      assertThat(sent.getModel()).isEqualTo("gpt-4o");
      assertThat(sent.getTemperature()).isEqualTo(0.3); // the other options are kept
      DecisionEvent event = lastFinal(ctx.getBean(InMemoryDecisionLog.class));
      assertThat(event.model()).isEqualTo(GPT);
      assertThat(event.responseModel()).isEqualTo(GPT);
    });
  }

  @Test
  void theRecordedResponseModelIsTheOneThatAnswered() {
    runner.withPropertyValues("aims.ai.system=support-bot").run(ctx -> {
      try {
        client(ctx, new StubChatModel(ANSWER, "gpt-4o-mini-2024-07-18")).prompt().user(QUESTION).call().content();
      } catch (dev.aims.core.AimsException refused) {
        // change control's verdict on an unregistered model; what matters here is the record
      }
      // a model outside the register answered: recorded as it reported itself, and change control judged it
      DecisionEvent event = lastFinal(ctx.getBean(InMemoryDecisionLog.class));
      assertThat(event.responseModel()).isEqualTo(ModelRef.of("openai", "gpt-4o-mini-2024-07-18",
          AimsChatAdvisor.UNKNOWN_VERSION));
      assertThat(event.outcome()).isNotEqualTo(Outcome.ALLOWED);
    });
  }

  @Test
  void anUnregisteredSystemFailsStartupNamingThePropertyAndTheNearestId() {
    runner.withPropertyValues("aims.ai.system=support-bots").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).isEqualTo("aims.ai.system = 'support-bots' names no registered AI system"
          + " (registered: support-bot); did you mean 'support-bot'?");
      assertThat(a.getAction()).isEqualTo("Use a registered id, or register the system under"
          + " aims.systems.support-bots (name, owner, purpose, risk-tier, allowed-models).");
      assertThat(a.getDescription() + a.getAction()).doesNotContain("Aims.builder");
    });
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

          // aims.ai.model is what every call requests, even one whose options name another model
          StubChatModel stub = new StubChatModel(ANSWER, "gpt-4o-2024-08-06");
          client(ctx, stub).prompt().user(QUESTION).options(ChatOptions.builder().model("gpt-3.5-turbo")).call().content();
          assertThat(((ChatOptions) stub.prompts().get(0).getOptions()).getModel()).isEqualTo("gpt-4o");
        });
  }

  @Test
  void withoutAimsAiModelAPromptNamingAnUnregisteredModelIsDenied() {
    runner.withPropertyValues("aims.ai.system=support-bot").run(ctx ->
        assertThatThrownBy(() -> client(ctx, new StubChatModel(ANSWER, "gpt-4o")).prompt().user(QUESTION)
            .options(ChatOptions.builder().model("gpt-3.5-turbo")).call().content())
            .isInstanceOf(DecisionDeniedException.class).hasMessageContaining(ModelChangeControl.INPUT_ID));
  }
}
