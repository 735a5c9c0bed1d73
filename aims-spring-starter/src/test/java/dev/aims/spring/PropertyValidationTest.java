package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A broken {@code aims.*} setting stops start-up with a message naming the property. */
class PropertyValidationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class))
      .withPropertyValues(
          "aims.log.type=MEMORY",
          "aims.systems.loans.name=Loan decisions",
          "aims.systems.loans.owner=credit-risk team",
          "aims.systems.loans.purpose=Decide consumer loan applications",
          "aims.systems.loans.risk-tier=HIGH",
          "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1");

  private void failsNaming(String property, String... settings) {
    runner.withPropertyValues(settings).run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasStackTraceContaining(property);
    });
  }

  @Test
  void a_valid_configuration_starts() {
    runner.run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Test
  void an_unknown_risk_tier_is_refused() {
    runner.withPropertyValues("aims.systems.loans.risk-tier=EXTREME").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasStackTraceContaining("aims.systems.loans.risk-tier")
          .hasStackTraceContaining("EXTREME");
    });
  }

  @Test
  void an_unacceptable_risk_tier_cannot_be_registered() {
    failsNaming("aims.systems.loans.risk-tier UNACCEPTABLE practices are prohibited",
        "aims.systems.loans.risk-tier=UNACCEPTABLE");
  }

  @Test
  void a_negative_deadline_is_refused() {
    failsNaming("aims.systems.loans.review.tiers[0].deadline must be positive",
        "aims.systems.loans.review.tiers[0].role=LOAN_OFFICER", "aims.systems.loans.review.tiers[0].deadline=-5m");
  }

  @Test
  void a_reviewer_tier_without_a_role_is_refused() {
    failsNaming("aims.systems.loans.review.tiers[0].role is required",
        "aims.systems.loans.review.tiers[0].deadline=4h");
  }

  @Test
  void a_system_without_owner_is_refused() {
    failsNaming("aims.systems.loans.owner is required", "aims.systems.loans.owner=");
  }

  @Test
  void a_model_not_written_as_provider_name_version_is_refused() {
    failsNaming("aims.systems.loans.allowed-models[0] 'gpt-4o' is not provider:name:version",
        "aims.systems.loans.allowed-models[0]=gpt-4o");
  }

  @Test
  void a_threshold_boundary_needs_exactly_one_limit() {
    failsNaming("aims.systems.loans.boundaries[0].above set exactly one of above or below",
        "aims.systems.loans.boundaries[0].id=big", "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
        "aims.systems.loans.boundaries[0].feature=amount");
  }

  @Test
  void a_boundary_that_allows_is_refused() {
    failsNaming("aims.systems.loans.boundaries[0].verdict must be REVIEW or DENY",
        "aims.systems.loans.boundaries[0].id=big", "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
        "aims.systems.loans.boundaries[0].feature=amount", "aims.systems.loans.boundaries[0].above=1",
        "aims.systems.loans.boundaries[0].verdict=ALLOW");
  }

  @Test
  void an_unknown_boundary_type_is_refused() {
    runner.withPropertyValues("aims.systems.loans.boundaries[0].id=big",
        "aims.systems.loans.boundaries[0].type=SOMETIMES").run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).hasStackTraceContaining("aims.systems.loans.boundaries[0].type");
        });
  }

  @Test
  void keyed_hash_redaction_needs_a_key() {
    failsNaming("aims.systems.loans.redaction.hash-key is required",
        "aims.systems.loans.redaction.hash[0]=input.customer_id");
  }

  @Test
  void a_signing_key_needs_its_public_key() {
    failsNaming("aims.log.signing-key", "aims.log.signing-key=/tmp/none.pem");
  }

  @Test
  void a_malformed_duration_is_refused_naming_the_property() {
    runner.withPropertyValues("aims.oversight.default-deadline=soon").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).hasStackTraceContaining("aims.oversight.default-deadline");
    });
  }

  @Test
  void drift_on_a_numeric_feature_needs_numeric_reference_values() {
    failsNaming("aims.systems.loans.monitoring.drift[0].reference[1] 'high' is not a number",
        "aims.systems.loans.monitoring.drift[0].feature=income",
        "aims.systems.loans.monitoring.drift[0].reference=1000,high,3000");
  }

  @Test
  void a_fleet_stale_limit_not_longer_than_the_evaluation_interval_is_refused_naming_both_properties() {
    failsNaming("aims.systems.loans.monitoring.fleet.stale-after must be longer than "
            + "aims.systems.loans.monitoring.evaluation-interval (PT30S), was PT20S",
        "aims.systems.loans.monitoring.drift[0].feature=income",
        "aims.systems.loans.monitoring.evaluation-interval=30s",
        "aims.systems.loans.monitoring.fleet.enabled=true",
        "aims.systems.loans.monitoring.fleet.stale-after=20s");
  }

  @Test
  void an_unknown_fleet_alarm_scope_is_refused_naming_the_property_and_the_value() {
    runner.withPropertyValues("aims.systems.loans.monitoring.fleet.enabled=true",
        "aims.systems.loans.monitoring.fleet.alarms=cluster").run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).hasStackTraceContaining("aims.systems.loans.monitoring.fleet.alarms")
              .hasStackTraceContaining("cluster");
        });
  }

  @Test
  void fleet_alarms_without_fleet_monitoring_are_refused_naming_both_properties() {
    failsNaming("aims.systems.loans.monitoring.fleet.alarms fleet needs "
        + "aims.systems.loans.monitoring.fleet.enabled=true", "aims.systems.loans.monitoring.fleet.alarms=fleet");
  }

  @Test
  void fleet_monitoring_without_a_data_source_fails_start_up_naming_the_property() {
    failsNaming("aims.systems.loans.monitoring.fleet.enabled=true needs a DataSource bean",
        "aims.systems.loans.monitoring.drift[0].feature=income",
        "aims.systems.loans.monitoring.fleet.enabled=true");
  }

  @Test
  void fairness_needs_two_groups() {
    failsNaming("aims.systems.loans.monitoring.fairness.groups needs at least two groups",
        "aims.systems.loans.monitoring.fairness.attribute=sex",
        "aims.systems.loans.monitoring.fairness.favourable-field=approved",
        "aims.systems.loans.monitoring.fairness.groups=f");
  }

  @Test
  void a_drift_window_below_min_samples_is_refused_naming_both_properties() {
    failsNaming("aims.systems.loans.monitoring.drift[0].window must be at least "
            + "aims.systems.loans.monitoring.drift[0].min-samples (30) decisions, was 20",
        "aims.systems.loans.monitoring.drift[0].feature=income",
        "aims.systems.loans.monitoring.drift[0].window=20");
  }

  @Test
  void a_fairness_window_below_min_group_size_is_refused_naming_both_properties() {
    failsNaming("aims.systems.loans.monitoring.fairness.window must be at least "
            + "aims.systems.loans.monitoring.fairness.min-group-size (50) decisions, was 40",
        "aims.systems.loans.monitoring.fairness.attribute=sex",
        "aims.systems.loans.monitoring.fairness.favourable-field=approved",
        "aims.systems.loans.monitoring.fairness.groups=f,m",
        "aims.systems.loans.monitoring.fairness.min-group-size=50",
        "aims.systems.loans.monitoring.fairness.window=40");
  }
}
