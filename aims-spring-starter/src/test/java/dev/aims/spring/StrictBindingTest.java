package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A property under {@code aims} that nothing binds stops start-up, naming it and the nearest valid name. */
@ExtendWith(OutputCaptureExtension.class)
class StrictBindingTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class))
      .withPropertyValues(
          "aims.log.type=MEMORY",
          "aims.systems.loans.name=Loan decisions",
          "aims.systems.loans.owner=credit-risk team",
          "aims.systems.loans.purpose=Decide consumer loan applications",
          "aims.systems.loans.risk-tier=HIGH",
          "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1",
          "aims.systems.loans.monitoring.drift[0].feature=amount");

  static FailureAnalysis analysis(AssertableApplicationContext ctx) {
    assertThat(ctx).hasFailed();
    FailureAnalysis a = new AimsFailureAnalyzer().analyze(ctx.getStartupFailure());
    assertThat(a).as("an AIMS failure analysis of %s", ctx.getStartupFailure()).isNotNull();
    return a;
  }

  private void refused(String setting, String description) {
    runner.withPropertyValues(setting).run(ctx -> assertThat(analysis(ctx).getDescription())
        .startsWith("Unknown AIMS property: " + description + " (\"" + setting.substring(0, setting.indexOf('='))
            + "\" from property source"));
  }

  @Test
  void a_typo_in_a_top_level_group_is_refused_with_the_nearest_name() {
    refused("aims.ai.sytem=loans", "aims.ai.sytem is not an AIMS property; did you mean aims.ai.system?");
  }

  @Test
  void a_typo_inside_a_list_entry_is_refused() {
    refused("aims.systems.loans.monitoring.drift[0].windw=20",
        "aims.systems.loans.monitoring.drift[0].windw is not an AIMS property;"
            + " did you mean aims.systems.loans.monitoring.drift[0].window?");
  }

  @Test
  void a_typo_inside_a_map_entry_is_refused() {
    refused("aims.systems.loans.risk-teir=HIGH",
        "aims.systems.loans.risk-teir is not an AIMS property; did you mean aims.systems.loans.risk-tier?");
    refused("aims.systems.loans.review.tiers[0].rol=X",
        "aims.systems.loans.review.tiers[0].rol is not an AIMS property; did you mean aims.systems.loans.review.tiers[0].role?");
  }

  @Test
  void a_name_far_from_every_property_lists_the_valid_ones() {
    refused("aims.oversight.colour=blue", "aims.oversight.colour is not an AIMS property; aims.oversight has"
        + " admin-role, default-deadline, max-rationale-bytes, max-refused-attempts-per-request, min-rationale-length,"
        + " reviewer-refusals-per-minute, reviewer-role, rubber-stamp-floor, store, sweep-every");
  }

  @Test
  void a_name_below_a_value_is_refused() {
    refused("aims.log.type.kind=FILE", "aims.log.type.kind is not an AIMS property (aims.log.type takes a value,"
        + " nothing below it)");
  }

  @Test
  void a_list_entry_without_an_index_is_refused() {
    refused("aims.systems.loans.boundaries.id=x", "aims.systems.loans.boundaries.id is not an AIMS property"
        + " (aims.systems.loans.boundaries takes a value, nothing below it)");
  }

  @Test
  void every_unknown_name_is_listed_at_once_and_the_action_says_what_to_do() {
    runner.withPropertyValues("aims.ai.sytem=loans", "aims.web.consle=false").run(ctx -> {
      FailureAnalysis a = analysis(ctx);
      assertThat(a.getDescription()).startsWith("Unknown AIMS properties:\n  aims.ai.sytem is not")
          .contains("\n  aims.web.consle is not an AIMS property; did you mean aims.web.console?");
      assertThat(a.getAction()).isEqualTo("Correct or remove them: AIMS refuses a setting it does not know rather"
          + " than ignore it (docs/spring.md lists every aims.* property).");
    });
  }

  @Test
  void relaxed_forms_of_valid_names_are_accepted() {
    runner.withPropertyValues("aims.ai.useCase=chat", "aims.ai.use_case=chat", "aims.systems.loans.riskTier=HIGH",
        "aims.systems.loans.monitoring.drift[0].min-samples=30", "aims.oversight.reviewer-role=REVIEWER",
        "aims.systems.loans.allowed-models=acme:credit-scorer:3.1").run(ctx -> assertThat(ctx).hasNotFailed());
  }

  /** Another module's properties under {@code aims}, as a helper adding fleet monitoring would define them. */
  @ConfigurationProperties("aims.fleet")
  public static class FleetProperties {
    private int instances;

    public int getInstances() {
      return instances;
    }

    public void setInstances(int instances) {
      this.instances = instances;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(FleetProperties.class)
  static class FleetModule {}

  @Test
  void another_configuration_properties_class_under_aims_adds_its_names_without_a_list_to_edit() {
    runner.withUserConfiguration(FleetModule.class).withPropertyValues("aims.fleet.instances=3")
        .run(ctx -> assertThat(ctx).hasNotFailed());
    runner.withUserConfiguration(FleetModule.class).withPropertyValues("aims.fleet.instanses=3").run(ctx ->
        assertThat(analysis(ctx).getDescription())
            .contains("aims.fleet.instanses is not an AIMS property; did you mean aims.fleet.instances?"));
  }

  @Test
  void without_aims_enabled_nothing_is_checked() {
    runner.withPropertyValues("aims.enabled=false", "aims.ai.sytem=loans").run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(AimsAutoConfiguration.class)
  static class RealApp {}

  @Test
  void a_real_start_up_prints_the_description_and_the_action_as_boot_does_for_a_port_in_use(CapturedOutput output) {
    SpringApplication app = new SpringApplication(RealApp.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.run("--aims.log.type=MEMORY", "--aims.ai.sytem=loans"))
        .hasRootCauseInstanceOf(AimsConfigurationException.class);
    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
        .contains("Description:\n\nUnknown AIMS property: aims.ai.sytem is not an AIMS property; did you mean"
            + " aims.ai.system? (\"aims.ai.sytem\" from property source \"commandLineArgs\")")
        .contains("Action:\n\nCorrect or remove it: AIMS refuses a setting it does not know");
  }
}
