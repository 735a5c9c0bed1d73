package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ReviewPolicy;
import dev.aims.oversight.ReviewerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverdueApprovalsMetricsTest {

  @Test
  void requests_pending_past_their_deadline_are_counted_until_the_sweep_ends_them() {
    TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    ModelRef model = ModelRef.of("acme", "scorer", "1");
    ApprovalService approvals = ApprovalService.builder().reviewers(ReviewerContext.none()).clock(clock)
        .policy("loans", ReviewPolicy.of("LOAN_OFFICER", Duration.ofHours(1))).build();
    Aims aims = Aims.builder().clock(clock)
        .register(AiSystem.builder("loans").name("Loans").owner("risk").purpose("loans").riskTier(RiskTier.HIGH)
            .allowModel(model).build())
        .policy("loans", DecisionPolicy.of("1", NumericThreshold.onFeature("big", "amount").above(100, Verdict.REVIEW)))
        .approvalGate(approvals).build();
    approvals.attach(aims);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new OverdueApprovalsMetrics(approvals, List.of("loans"), clock).bindTo(registry);

    aims.system("loans").useCase("credit").model(model).feature("amount", 500).submit(in -> "yes");
    aims.system("loans").useCase("credit").model(model).feature("amount", 900).submit(in -> "yes");
    double before = registry.get(OverdueApprovalsMetrics.NAME).tag("system", "loans").gauge().value();
    clock.advance(Duration.ofMinutes(61));
    double after = registry.get(OverdueApprovalsMetrics.NAME).tag("system", "loans").gauge().value();
    approvals.sweep();
    double swept = registry.get(OverdueApprovalsMetrics.NAME).tag("system", "loans").gauge().value();

    assertThat(before).isZero();
    assertThat(after).isEqualTo(2);
    assertThat(swept).isZero();
  }
}
