package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObservabilityParsingTest {

  @Test
  void metricNamesSkipFunctionsAggregationsLabelsRangesAndGrafanaVariables() {
    String expr = "histogram_quantile(0.95, sum by (le, resolution) "
        + "(rate(aims_approval_wait_seconds_bucket{job=~\"$job\", system=~\"$system\"}[$__rate_interval])))";
    assertThat(Observability.metricNames(expr)).containsExactly("aims_approval_wait_seconds_bucket");
  }

  @Test
  void metricNamesFindBothSidesOfABinaryOperationWithMatchingAndOffset() {
    String expr = "sum by (system) (rate(a_total[5m])) / on(system) group_left(team) b_info offset 1h > bool 0.5";
    assertThat(Observability.metricNames(expr)).containsExactly("a_total", "b_info");
  }

  @Test
  void metricNamesIgnoreLabelValuesThatLookLikeMetricNames() {
    String expr = "max by (job) (aims_drift_alarm{feature=\"income\", statistic='psi'}) == 1 unless up == 0";
    assertThat(Observability.metricNames(expr)).containsExactly("aims_drift_alarm", "up");
  }

  @Test
  void sampleNamesReadBothLabelledAndBareSamplesAndSkipComments() {
    String text = "# HELP x_total help\n# TYPE x_total counter\nx_total{a=\"b\"} 1.0\ny 2\n\n";
    assertThat(Observability.sampleNames(text)).containsExactly("x_total", "y");
  }

  @Test
  void everyDashboardPanelAndAlertHasAnExpressionThatSelectsAMetric() {
    assertThat(Observability.dashboardExpressions()).hasSizeGreaterThan(15)
        .allSatisfy(e -> assertThat(Observability.metricNames(e.getValue()))
            .as("metrics of panel '%s': %s", e.getKey(), e.getValue()).isNotEmpty());
    assertThat(Observability.alertExpressions()).extracting(java.util.Map.Entry::getKey)
        .contains("AimsDriftAlarm", "AimsDisparateImpactLow", "AimsApprovalsOverdue",
            "AimsDecisionLogFailures", "AimsSystemStopped");
  }
}
