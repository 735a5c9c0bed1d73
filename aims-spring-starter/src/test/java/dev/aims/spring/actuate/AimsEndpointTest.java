package dev.aims.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.logging.FileDecisionLog;
import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.Reviewer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AimsEndpointTest {
  private static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void reports_the_register_policy_versions_stop_switches_pending_approvals_and_log_health() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    FileDecisionLog log = FileDecisionLog.builder(dir).checkpointEvery(1).meterRegistry(meters).open();
    CountDownLatch requested = new CountDownLatch(2);
    ThreadLocal<Reviewer> who = new ThreadLocal<>();
    ApprovalService approvals = ApprovalService.builder().reviewers(who::get).decisionLog(log)
        .notifier(n -> {
          if (n.kind() == ApprovalNotice.Kind.REQUESTED) {
            requested.countDown();
          }
        }).build();
    Aims aims = Aims.builder().decisionLog(log).approvalGate(approvals)
        .register(AiSystem.builder("loans").name("Loans").owner("credit-risk team").purpose("decide loans")
            .riskTier(RiskTier.HIGH).allowModel(MODEL).build())
        .register(AiSystem.builder("faq").owner("support").purpose("answer questions").riskTier(RiskTier.MINIMAL)
            .anyModel().build())
        .policy("loans", DecisionPolicy.of("7", NumericThreshold.onFeature("large-loan", "amount")
            .above(50_000, Verdict.REVIEW)))
        .build();
    approvals.attach(aims);
    try {
      for (int i = 0; i < 2; i++) {
        Thread t = new Thread(() -> {
          try {
            aims.system("loans").useCase("credit").model(MODEL).input("applicant").feature("amount", 90_000)
                .requester("dave").call(in -> "yes");
          } catch (RuntimeException e) {
            // cancelled by the stop switch below
          }
        });
        t.setDaemon(true);
        t.start();
      }
      assertThat(requested.await(30, TimeUnit.SECONDS)).isTrue();
      aims.stop("faq", "answers went off-topic", dev.aims.core.Actor.of("carol", "AIMS_ADMIN"));

      Map<String, Object> report = new AimsEndpoint(aims, approvals, log, meters).report();

      List<Map<String, Object>> systems = (List<Map<String, Object>>) report.get("systems");
      assertThat(systems).extracting(s -> s.get("id")).containsExactly("faq", "loans");
      Map<String, Object> loans = systems.get(1);
      assertThat(loans).containsEntry("riskTier", "HIGH").containsEntry("owner", "credit-risk team")
          .containsEntry("allowedModels", List.of("acme:credit-scorer:3.1")).containsEntry("policyVersion", "7")
          .containsEntry("stopped", false).containsEntry("pendingApprovals", 2L).containsEntry("onLogFailure", "REFUSE");
      assertThat(systems.get(0)).containsEntry("stopped", true).containsEntry("anyModel", true)
          .containsEntry("pendingApprovals", 0L);
      assertThat((Map<String, Object>) report.get("approvals")).containsEntry("pending", 2L);

      Map<String, Object> logReport = (Map<String, Object>) report.get("log");
      assertThat(logReport).containsEntry("type", "FileDecisionLog").containsEntry("failure", null)
          .containsEntry("failures", 0L).containsKey("lag");
      assertThat(meters.find(AimsMetricNames.LOG_LAG).gauge()).isNotNull();
    } finally {
      approvals.close();
      aims.close();
      log.close();
    }
    // after close the final checkpoint is known
    Map<String, Object> closed = (Map<String, Object>) new AimsEndpoint(aims, null, log, null).report().get("log");
    assertThat((Map<String, Object>) closed.get("lastCheckpoint")).containsKeys("seq", "toSeq", "head")
        .containsEntry("signed", false);
  }
}
