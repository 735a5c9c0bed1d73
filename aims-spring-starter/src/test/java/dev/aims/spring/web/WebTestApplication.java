package dev.aims.spring.web;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.Notifier;
import dev.aims.oversight.ReviewPolicy;
import dev.aims.oversight.ReviewerContext;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A small application for the web tests: a HIGH-risk "loans" system whose loans above 50,000 go to
 * REVIEW, an approval service that tells a queue about each new request, and real Spring Security
 * users. The reviewer context is the starter's own (from Spring Security's principal).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class WebTestApplication {
  static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");
  static final String PASSWORD = "correct horse battery staple";

  record Application(String applicant, double amount) {}

  record Offer(boolean approved, double rate) {}

  /** New approval requests, in order, so tests wait for their own request without sleeping. */
  static final class Requests implements Notifier {
    private final BlockingQueue<ApprovalNotice> requested = new LinkedBlockingQueue<>();

    @Override
    public void notify(ApprovalNotice notice) {
      if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
        requested.add(notice);
      }
    }

    UUID next() throws InterruptedException {
      ApprovalNotice n = requested.poll(30, TimeUnit.SECONDS);
      if (n == null) {
        throw new AssertionError("no approval request was made within 30 s");
      }
      return n.request().id();
    }
  }

  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build(),
        User.withUsername("bob").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build(),
        User.withUsername("rex").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build(),
        User.withUsername("carol").password("{noop}" + PASSWORD).roles("AIMS_ADMIN").build(),
        User.withUsername("mallory").password("{noop}" + PASSWORD).roles("CUSTOMER").build());
  }

  @Bean
  InMemoryDecisionLog decisionLog() {
    return InMemoryDecisionLog.create();
  }

  @Bean
  Requests requests() {
    return new Requests();
  }

  @Bean(destroyMethod = "close")
  ApprovalService approvalService(ReviewerContext reviewers, DecisionLog log, Requests requests) {
    return ApprovalService.builder().reviewers(reviewers).decisionLog(log).notifier(requests)
        .defaultPolicy(ReviewPolicy.of("AIMS_REVIEWER", Duration.ofHours(4)))
        .policy("leases", ReviewPolicy.of("AIMS_REVIEWER", Duration.ofHours(4)).requiring(2))
        .minRationaleLength(10).build();
  }

  @Bean(destroyMethod = "close")
  Aims aims(ApprovalService approvals, DecisionLog log) {
    Aims aims = Aims.builder()
        .register(AiSystem.builder("loans").name("Loan decisions").owner("credit-risk team")
            .purpose("decide consumer loan applications").riskTier(RiskTier.HIGH).allowModel(MODEL).build())
        .register(AiSystem.builder("faq").name("FAQ answers").owner("support team")
            .purpose("answer product questions").riskTier(RiskTier.LIMITED).allowModel(MODEL).build())
        .register(AiSystem.builder("leases").name("Lease decisions").owner("credit-risk team")
            .purpose("decide equipment leases (two-person rule)").riskTier(RiskTier.HIGH).allowModel(MODEL).build())
        .policy("loans", DecisionPolicy.of("7", NumericThreshold.onFeature("large-loan", "amount")
            .above(50_000, Verdict.REVIEW)))
        .policy("leases", DecisionPolicy.of("1", NumericThreshold.onFeature("large-lease", "amount")
            .above(50_000, Verdict.REVIEW)))
        .approvalGate(approvals)
        .decisionLog(log)
        .build();
    approvals.attach(aims);
    return aims;
  }

  /** Starts a governed call that needs review on its own thread; it blocks until a reviewer decides. */
  static CompletableFuture<Decision<Offer>> largeLoan(Aims aims, String requester, String applicant) {
    CompletableFuture<Decision<Offer>> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(aims.system("loans").useCase("credit").model(MODEL)
            .input(new Application(applicant, 80_000)).feature("amount", 80_000).requester(requester)
            .call(in -> new Offer(true, 0.049)));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "governed-call-" + applicant);
    t.setDaemon(true);
    t.start();
    return result;
  }
}
