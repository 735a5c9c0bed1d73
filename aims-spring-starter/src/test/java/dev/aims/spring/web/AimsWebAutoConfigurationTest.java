package dev.aims.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.spring.AimsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

class AimsWebAutoConfigurationTest {
  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class, AimsWebAutoConfiguration.class))
      .withPropertyValues("aims.log.type=MEMORY");

  private final WebApplicationContextRunner secured = web.withConfiguration(AutoConfigurations.of(
      SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

  @Test
  void a_servlet_application_with_an_approval_service_gets_the_api_and_the_console() {
    web.run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(ApprovalsController.class).hasSingleBean(ConsoleController.class);
      assertThat(ctx).doesNotHaveBean(AimsSecurityConfiguration.CHAIN);
    });
  }

  @Test
  void aims_web_enabled_false_switches_everything_off() {
    secured.withPropertyValues("aims.web.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
        .doesNotHaveBean(ApprovalsController.class).doesNotHaveBean(ConsoleController.class)
        .doesNotHaveBean(AimsSecurityConfiguration.CHAIN));
  }

  @Test
  void aims_web_console_false_keeps_the_api_only() {
    web.withPropertyValues("aims.web.console=false").run(ctx -> assertThat(ctx).hasNotFailed()
        .hasSingleBean(ApprovalsController.class).doesNotHaveBean(ConsoleController.class));
  }

  @Test
  void a_non_web_application_gets_no_endpoints() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class,
            AimsWebAutoConfiguration.class)).withPropertyValues("aims.log.type=MEMORY")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ApprovalsController.class));
  }

  @Test
  void without_an_approval_service_there_is_nothing_to_serve() {
    web.withPropertyValues("aims.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
        .doesNotHaveBean(ApprovalsController.class));
  }

  @Test
  void spring_security_gets_the_aims_filter_chain_beside_boots_default_one() {
    secured.run(ctx -> {
      assertThat(ctx).hasNotFailed().hasBean(AimsSecurityConfiguration.CHAIN);
      // Boot's default chain for the rest of the application is still there
      assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).hasSize(2);
    });
  }

  @Test
  void an_application_chain_named_aimsSecurityFilterChain_replaces_ours() {
    secured.withUserConfiguration(OwnChain.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(AimsSecurityConfiguration.CHAIN)).isSameAs(ctx.getBean(OwnChain.class).chain);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnChain {
    SecurityFilterChain chain;

    @Bean(name = "aimsSecurityFilterChain")
    SecurityFilterChain aimsSecurityFilterChain(HttpSecurity http) throws Exception {
      chain = http.securityMatcher("/aims/**").authorizeHttpRequests(a -> a.anyRequest().denyAll()).build();
      return chain;
    }
  }
}
