package dev.aims.spring.ai;

import dev.aims.core.Aims;
import dev.aims.core.AiSystem;
import dev.aims.core.ModelRef;
import dev.aims.core.UnknownSystemException;
import dev.aims.spring.AimsConfigurationException;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring AI 2.0 support, on when {@code ChatClient} is on the classpath and an {@link Aims} bean
 * exists.
 *
 * <ul>
 *   <li>Always: an {@link AimsChatAdvisors} bean, to build advisors for any system and use case.
 *   <li>With {@code aims.ai.system} set: an {@link AimsChatAdvisor} bean for that system
 *       ({@code aims.ai.use-case}, default {@code chat}; optional {@code aims.ai.model} as
 *       {@code provider:name:version}, {@code aims.ai.provider}, {@code aims.ai.order}) and a
 *       {@link ChatClientCustomizer} that adds it to every {@code ChatClient.Builder} Spring AI's own
 *       auto-configuration makes.
 *   <li>Unless {@code aims.ai.advisor-observation=true}: an {@link ObservationPredicate} that stops
 *       Spring AI from observing the AIMS advisor, which AIMS times itself.
 * </ul>
 *
 * Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "dev.aims.spring.AimsAutoConfiguration")
@ConditionalOnClass({ChatClient.class, CallAdvisor.class})
public class AimsSpringAiAutoConfiguration {

  /** The property naming the governed system; the advisor bean exists only when it is set. */
  public static final String SYSTEM_PROPERTY = "aims.ai.system";
  public static final String USE_CASE_PROPERTY = "aims.ai.use-case";
  public static final String MODEL_PROPERTY = "aims.ai.model";
  public static final String PROVIDER_PROPERTY = "aims.ai.provider";
  public static final String ORDER_PROPERTY = "aims.ai.order";
  /** {@code true} accepts the {@code aims.requester} advisor parameter as the requester (default false). */
  public static final String TRUST_REQUESTER_PARAM_PROPERTY = "aims.ai.trust-requester-param";
  /** {@code false} drops Spring AI's duplicate advisor observation of the AIMS advisor (default {@code true}: kept). */
  public static final String ADVISOR_OBSERVATION_PROPERTY = "aims.ai.advisor-observation";
  /** The use case when {@code aims.ai.use-case} is not set. */
  public static final String DEFAULT_USE_CASE = "chat";

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(Aims.class)
  public AimsChatAdvisors aimsChatAdvisors(Aims aims) {
    return new AimsChatAdvisors(aims);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(Aims.class)
  @ConditionalOnProperty(SYSTEM_PROPERTY)
  public AimsChatAdvisor aimsChatAdvisor(Aims aims, Environment environment) {
    Binder binder = Binder.get(environment);
    String system = binder.bind(SYSTEM_PROPERTY, String.class).get();
    String useCase = binder.bind(USE_CASE_PROPERTY, String.class).orElse(DEFAULT_USE_CASE);
    if (system.isBlank() || useCase.isBlank()) {
      throw new IllegalStateException((system.isBlank() ? SYSTEM_PROPERTY : USE_CASE_PROPERTY) + " must not be blank");
    }
    AimsChatAdvisor.Builder builder = AimsChatAdvisor.builder(aims).system(system).useCase(useCase);
    AiSystem definition = registered(aims, system);
    binder.bind(MODEL_PROPERTY, String.class).map(AimsSpringAiAutoConfiguration::parseModel).ifBound(model -> {
      if (!definition.allows(model)) {
        throw new AimsConfigurationException(MODEL_PROPERTY + " = '" + model + "' is not allowed for system '" + system
            + "' (allowed: " + (definition.allowedModels().isEmpty() ? "none" : definition.allowedModels()) + ").",
            "Set " + MODEL_PROPERTY + " to one of the allowed models, or add it to aims.systems." + system
                + ".allowed-models (a model change, under change control).");
      }
      builder.model(model).overrideRequestedModel();
    });
    binder.bind(PROVIDER_PROPERTY, String.class).ifBound(builder::provider);
    binder.bind(ORDER_PROPERTY, Integer.class).ifBound(builder::order);
    if (binder.bind(TRUST_REQUESTER_PARAM_PROPERTY, Boolean.class).orElse(false)) {
      builder.trustRequesterParam();
    }
    try {
      return builder.build();
    } catch (RuntimeException e) {
      throw new AimsConfigurationException("The AIMS chat advisor configured by " + SYSTEM_PROPERTY + " = '" + system
          + "' cannot be built: " + e.getMessage(), "Correct the aims.ai.* properties.", e);
    }
  }

  /** The system {@code aims.ai.system} names, or a configuration error naming the property. */
  private static AiSystem registered(Aims aims, String system) {
    try {
      return aims.system(system).definition();
    } catch (UnknownSystemException e) {
      throw AimsConfigurationException.unknownSystem(SYSTEM_PROPERTY + " = '" + system + "'", e);
    }
  }

  @Bean
  @ConditionalOnMissingBean(name = "aimsChatClientCustomizer")
  @ConditionalOnBean(AimsChatAdvisor.class)
  public ChatClientCustomizer aimsChatClientCustomizer(AimsChatAdvisor advisor) {
    return builder -> builder.defaultAdvisors(advisor);
  }

  /**
   * Declared unless {@code aims.ai.advisor-observation=true}: Spring Boot applies it to the
   * application's {@code ObservationRegistry}, so Spring AI no longer times the AIMS advisor a second
   * time (AIMS's {@code aims.decision.duration} and span time the same work; see
   * {@link AimsChatAdvisor#withoutSpringAiAdvisorObservation()}). Other advisors stay observed.
   */
  @Bean
  @ConditionalOnMissingBean(name = "aimsAdvisorObservationFilter")
  @ConditionalOnProperty(name = ADVISOR_OBSERVATION_PROPERTY, havingValue = "false", matchIfMissing = true)
  public ObservationPredicate aimsAdvisorObservationFilter() {
    return AimsChatAdvisor.withoutSpringAiAdvisorObservation();
  }

  static ModelRef parseModel(String value) {
    try {
      return ModelRef.parse(value);
    } catch (IllegalArgumentException e) {
      throw new AimsConfigurationException(MODEL_PROPERTY + " = " + e.getMessage() + ".",
          "Name the model as provider:name:version, one of aims.systems.<id>.allowed-models.", e);
    }
  }

}
