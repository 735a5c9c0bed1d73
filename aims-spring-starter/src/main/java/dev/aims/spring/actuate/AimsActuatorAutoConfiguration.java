package dev.aims.spring.actuate;

import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.oversight.ApprovalService;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code aims} actuator endpoint ({@link AimsEndpoint}) when Actuator is on the classpath and
 * the endpoint is available (enabled and exposed: {@code management.endpoints.web.exposure.include=aims}),
 * and the {@code aims} health indicator ({@link AimsHealthIndicator}) when Spring Boot's health
 * module is present ({@code management.health.aims.enabled}, default true).
 */
@AutoConfiguration(afterName = {"dev.aims.spring.AimsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Aims.class)
public class AimsActuatorAutoConfiguration {

  /** Creates the auto-configuration; Spring does this. */
  public AimsActuatorAutoConfiguration() {}

  /** The {@code aims} endpoint. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(AimsEndpoint.class)
  public AimsEndpoint aimsEndpoint(Aims aims, ObjectProvider<ApprovalService> approvals,
      ObjectProvider<DecisionLog> log, ObjectProvider<MeterRegistry> meters) {
    return new AimsEndpoint(aims, approvals.getIfUnique(), log.getIfUnique(), meters.getIfUnique());
  }

  /** The {@code aims} health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnSingleCandidate(DecisionLog.class)
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "aimsHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("aims")
    AimsHealthIndicator aimsHealthIndicator(Aims aims, DecisionLog log) {
      return new AimsHealthIndicator(aims, log);
    }
  }
}
