package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.logging.LogReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of the example and its access rules, through a real server. */
class LoanServiceTest {
  @TempDir static Path logDir;
  static RunningLoanService service;

  @BeforeAll
  static void start() {
    service = RunningLoanService.start(logDir);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void anAffordableLoanIsApprovedAtOnce() {
    HttpResponse<String> r = service.applyFor(RunningLoanService.REQUESTER, 20_000, 60_000, 60, "30-49");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"approved\":true").contains("yearly repayment is 7% of income");
  }

  @Test
  void anUnaffordableLoanIsDeclinedByTheModelNotByAims() {
    HttpResponse<String> r = service.applyFor(RunningLoanService.REQUESTER, 40_000, 10_000, 12, "18-29");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"approved\":false").contains("(limit 40%)");
  }

  @Test
  void anInvalidApplicationIsRefusedNamingTheField() {
    HttpResponse<String> r = service.post(RunningLoanService.REQUESTER, "/loans/decisions",
        "{\"applicant\":\"A\",\"amount\":-5,\"income\":1000,\"termMonths\":12,\"ageBand\":\"50+\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("amount must be a positive number of EUR, was -5.0");
  }

  @Test
  void aReviewerWithoutTheRequesterRoleCannotRequestLoans() {
    assertThat(service.applyFor(RunningLoanService.REVIEWER, 1_000, 50_000, 12, "50+").statusCode()).isEqualTo(403);
  }

  @Test
  void wrongCredentialsAreUnauthorised() {
    HttpResponse<String> r = service.post("nobody", "/loans/decisions", "{}");
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void prometheusCanScrapeWithoutCredentialsButOtherActuatorEndpointsNeedTheAdminRole() {
    assertThat(service.scrape()).contains("aims_decisions_total");
    assertThat(service.get(RunningLoanService.REQUESTER, "/actuator/metrics").statusCode()).isEqualTo(403);
  }

  @Test
  void decisionsAreInTheFileLogWithTheApplicantsNameMasked() throws Exception {
    HttpResponse<String> r = service.applyFor(RunningLoanService.REQUESTER, 3_123, 31_000, 24, "18-29");
    assertThat(r.statusCode()).isEqualTo(200);
    List<ObjectNode> finals;
    try (Stream<ObjectNode> events = LogReader.of(logDir).system("loans").type("decision.final").stream()) {
      finals = events.filter(e -> e.path("input").path("amount").asDouble() == 3_123).toList();
    }
    assertThat(finals).hasSize(1);
    assertThat(finals.get(0).path("input").path("applicant").asText()).isEqualTo("[masked]");
    assertThat(finals.get(0).toString()).doesNotContain("Applicant requester");
  }
}
