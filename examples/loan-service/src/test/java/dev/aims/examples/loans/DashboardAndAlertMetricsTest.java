package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aims.core.DecisionLog;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Every metric the Grafana dashboard and the alert rules use exists in a real
 * {@code /actuator/prometheus} scrape of the example, after traffic that makes AIMS register its
 * lazily created meters too (a review, a refused self-review, a decision-log failure).
 */
class DashboardAndAlertMetricsTest {

  @Test
  void everyMetricNameInTheDashboardAndTheAlertsIsInARealScrape(@TempDir Path logDir) throws Exception {
    String scrape;
    try (RunningLoanService service = RunningLoanService.start(logDir)) {
      new Traffic().send(service, 40, false);
      reviewOneLargeLoan(service);
      failTheDecisionLog(service);
      scrape = service.scrape();
    }
    Set<String> exposed = Observability.sampleNames(scrape);

    Set<String> missing = new TreeSet<>();
    for (Map.Entry<String, String> e : concat(Observability.dashboardExpressions(), Observability.alertExpressions())) {
      for (String metric : Observability.metricNames(e.getValue())) {
        if (!exposed.contains(metric)) {
          missing.add(metric + " (used by '" + e.getKey() + "')");
        }
      }
    }
    assertThat(missing).as("metrics used in examples/observability but not in the scrape; the scrape has %s",
        new TreeSet<>(exposed)).isEmpty();
  }

  /** A loan above the threshold waits; its requester may not approve it; another reviewer does. */
  private static void reviewOneLargeLoan(RunningLoanService service) {
    ApprovalService approvals = service.context().getBean(ApprovalService.class);
    CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
        () -> service.applyFor(RunningLoanService.OFFICER, 120_000, 300_000, 120, "30-49"));
    ApprovalRequest request = await().atMost(Duration.ofSeconds(30))
        .until(() -> approvals.list(ApprovalQuery.pending().system("loans")).items(), items -> !items.isEmpty())
        .get(0);
    try {
      actAs("officer", "LOAN_REQUESTER", "AIMS_REVIEWER");
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ApprovalRefusedException.class,
              () -> approvals.approve(request.id(), "I filed this one myself")).refusal())
          .isEqualTo(ApprovalRefusedException.Refusal.SELF_REVIEW);
      actAs("reviewer", "AIMS_REVIEWER");
      approvals.approve(request.id(), "Income covers the repayments four times over");
    } finally {
      SecurityContextHolder.clearContext();
    }
    HttpResponse<String> decided = blocked.join();
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
  }

  /** With the log closed, a HIGH-risk decision is refused and the failure counted. */
  private static void failTheDecisionLog(RunningLoanService service) throws Exception {
    ((AutoCloseable) service.context().getBean("aimsDecisionLog", DecisionLog.class)).close();
    HttpResponse<String> refused = service.applyFor(RunningLoanService.REQUESTER, 5_000, 50_000, 60, "50+");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
  }

  private static void actAs(String user, String... roles) {
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
        java.util.Arrays.stream(roles).map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList()));
  }

  private static List<Map.Entry<String, String>> concat(List<Map.Entry<String, String>> a, List<Map.Entry<String, String>> b) {
    List<Map.Entry<String, String>> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
