package dev.aims.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.spring.AimsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AimsActuatorAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class, AimsActuatorAutoConfiguration.class))
      .withPropertyValues("aims.log.type=MEMORY");

  @Test
  void the_endpoint_is_there_when_exposed_and_the_health_indicator_by_default() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=aims").run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(AimsEndpoint.class).hasSingleBean(AimsHealthIndicator.class);
      assertThat(ctx).hasBean("aimsHealthIndicator");
    });
  }

  @Test
  void the_endpoint_is_left_out_when_it_is_not_exposed() {
    runner.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AimsEndpoint.class)
        .hasSingleBean(AimsHealthIndicator.class));
  }

  @Test
  void the_health_indicator_can_be_switched_off() {
    runner.withPropertyValues("management.health.aims.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
        .doesNotHaveBean(AimsHealthIndicator.class));
  }

  @Test
  void without_aims_there_is_nothing_to_report() {
    runner.withPropertyValues("aims.enabled=false", "management.endpoints.web.exposure.include=aims")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AimsEndpoint.class)
            .doesNotHaveBean(AimsHealthIndicator.class));
  }
}
