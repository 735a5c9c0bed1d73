package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with a real Prometheus: the example runs in this JVM, Prometheus scrapes it every
 * second, {@code load.sh} sends 300 applications and then 300 with incomes shifted up, and
 * Prometheus must see {@code aims_drift_alarm{feature="income"} == 1} and fire the
 * {@code AimsDriftAlarm} rule. The rules are {@code aims-alerts.yml} with every {@code for:}
 * shortened to 2s (the file's 10 minutes would make the test wait 10 minutes); the expressions are
 * the file's own. Every dashboard expression must also be valid PromQL for this Prometheus.
 */
class PrometheusDriftIT {
  private static final Duration BOUND = Duration.ofSeconds(90);

  @Test
  void aShiftInIncomeRaisesTheDriftAlarmInPrometheusAndFiresTheAlert(@TempDir Path tmp) throws Exception {
    Path rules = tmp.resolve("aims-alerts.yml");
    Files.writeString(rules, Files.readString(Observability.alerts()).replaceAll("(?m)^(\\s+for:) \\S+$", "$1 2s"));
    Files.createDirectories(tmp.resolve("prometheus"));
    try (RunningLoanService service = RunningLoanService.start(tmp.resolve("log"));
        PrometheusServer prometheus = PrometheusServer.start(tmp.resolve("prometheus"), "localhost:" + service.port, rules)) {

      String loadOutput = runLoadScript(service, 600, 300);
      assertThat(loadOutput).contains("600 answered 200, 0 failed");

      awaitInPrometheus(prometheus, "aims_drift_alarm{system=\"loans\",feature=\"income\"} == 1",
          "the income drift alarm to reach Prometheus");
      JsonNode amount = prometheus.query("aims_drift_alarm{system=\"loans\",feature=\"amount\"}").path("result");
      assertThat(amount).as("the amount distribution did not change, so its alarm stays down").hasSize(1);
      assertThat(amount.get(0).path("value").get(1).asText()).isEqualTo("0");

      awaitFiring(prometheus, "AimsDriftAlarm", Map.of("feature", "income", "system", "loans", "severity", "warning"));
      String promtool = promtoolQuery(prometheus, "ALERTS{alertname=\"AimsDriftAlarm\",alertstate=\"firing\",feature=\"income\"}");
      assertThat(promtool).contains("alertname=\"AimsDriftAlarm\"").contains("feature=\"income\"").contains("=> 1");
      assertThat(prometheus.alerts()).as("no other AIMS alert fires during normal traffic")
          .noneMatch(a -> a.path("state").asText().equals("firing")
              && !a.path("labels").path("alertname").asText().equals("AimsDriftAlarm"));

      List<String> invalid = new ArrayList<>();
      for (Map.Entry<String, String> e : Observability.dashboardExpressions()) {
        String expr = e.getValue().replace("$__rate_interval", "1m").replace("$__range", "5m")
            .replace("$job", ".*").replace("$system", ".*");
        try {
          prometheus.query(expr);
        } catch (AssertionError rejected) {
          invalid.add(e.getKey() + ": " + rejected.getMessage());
        }
      }
      assertThat(invalid).as("dashboard expressions Prometheus rejects").isEmpty();
      JsonNode psi = prometheus.query("max by (system, feature) (aims_drift_score{job=~\".*\", system=~\".*\", statistic=\"psi\"})");
      assertThat(psi.path("result")).as("the dashboard's PSI panel has data").hasSize(2);
    }
  }

  private static String runLoadScript(RunningLoanService service, int count, int shiftAfter) throws Exception {
    Path script = Path.of(System.getProperty("loans.test.loadScript", "load.sh"));
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("BASE_URL", service.baseUrl());
    pb.environment().put("COUNT", Integer.toString(count));
    pb.environment().put("SHIFT_AFTER", Integer.toString(shiftAfter));
    pb.environment().put("LOAN_USER", RunningLoanService.REQUESTER);
    pb.environment().put("LOAN_PASSWORD", RunningLoanService.passwordOf(RunningLoanService.REQUESTER));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("load.sh did not finish within 5 minutes; output so far:\n" + out);
    }
    assertThat(p.exitValue()).as("load.sh exit code; output:\n%s", out).isZero();
    return out;
  }

  private static void awaitInPrometheus(PrometheusServer prometheus, String promql, String what) {
    try {
      Awaitility.await(what).atMost(BOUND).pollInterval(Duration.ofMillis(500))
          .until(() -> prometheus.query(promql).path("result").size() > 0);
    } catch (ConditionTimeoutException e) {
      fail("Waited " + BOUND.toSeconds() + "s for " + what + " (" + promql + "). Prometheus has "
          + prometheus.query("aims_drift_alarm") + " and " + prometheus.query("aims_drift_score{statistic=\"psi\"}")
          + "\ntargets: " + prometheus.targets() + "\nlog:\n" + prometheus.log());
    }
  }

  private static void awaitFiring(PrometheusServer prometheus, String alert, Map<String, String> labels) {
    try {
      Awaitility.await(alert + " firing").atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
        for (JsonNode a : prometheus.alerts()) {
          if (a.path("state").asText().equals("firing") && a.path("labels").path("alertname").asText().equals(alert)
              && labels.entrySet().stream().allMatch(l -> a.path("labels").path(l.getKey()).asText().equals(l.getValue()))) {
            return true;
          }
        }
        return false;
      });
    } catch (ConditionTimeoutException e) {
      fail("Waited " + BOUND.toSeconds() + "s for alert " + alert + " " + labels + " to fire; active alerts: "
          + prometheus.alerts() + "\nlog:\n" + prometheus.log());
    }
  }

  private static String promtoolQuery(PrometheusServer prometheus, String promql) throws IOException, InterruptedException {
    Path promtool = AlertRulesTest.promtool();
    Process p = new ProcessBuilder(promtool.toString(), "query", "instant", prometheus.baseUrl(), promql)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool query instant: %s", out).isZero();
    return out;
  }
}
