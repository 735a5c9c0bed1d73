package dev.aims.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.event.LogEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class AimsHealthIndicatorTest {
  private static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");

  /** A log that works until it is told it has failed, like a disk that filled up. */
  static final class BreakableLog implements DecisionLog {
    final InMemoryDecisionLog records = InMemoryDecisionLog.create();
    final AtomicReference<String> failure = new AtomicReference<>();

    @Override
    public void append(LogEntry entry) {
      records.append(entry);
    }

    @Override
    public Optional<String> failure() {
      return Optional.ofNullable(failure.get());
    }
  }

  private static Aims aims(DecisionLog log, RiskTier... tiers) {
    Aims.Builder b = Aims.builder().decisionLog(log);
    for (int i = 0; i < tiers.length; i++) {
      b.register(AiSystem.builder("system-" + i).owner("team").purpose("purpose " + i).riskTier(tiers[i])
          .allowModel(MODEL).build());
    }
    return b.build();
  }

  @Test
  void is_up_while_the_log_works() {
    BreakableLog log = new BreakableLog();
    Health health = new AimsHealthIndicator(aims(log, RiskTier.HIGH, RiskTier.MINIMAL), log).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("highRiskSystems", List.of("system-0"))
        .doesNotContainKey("logFailure");
  }

  @Test
  void goes_down_when_the_log_of_a_high_risk_system_has_failed_and_says_why() {
    BreakableLog log = new BreakableLog();
    AimsHealthIndicator indicator = new AimsHealthIndicator(aims(log, RiskTier.HIGH, RiskTier.LIMITED), log);
    log.failure.set("disk full: /var/lib/aims/log-000042.jsonl");
    Health health = indicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails())
        .containsEntry("logFailure", "disk full: /var/lib/aims/log-000042.jsonl")
        .containsEntry("affectedHighRiskSystems", List.of("system-0"));
  }

  @Test
  void stays_up_with_the_failure_in_the_details_when_no_system_is_high_risk() {
    BreakableLog log = new BreakableLog();
    AimsHealthIndicator indicator = new AimsHealthIndicator(aims(log, RiskTier.LIMITED), log);
    log.failure.set("disk full");
    Health health = indicator.health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("logFailure", "disk full")
        .containsEntry("affectedHighRiskSystems", List.of());
  }

  @Test
  void a_pressed_stop_switch_is_shown_but_is_not_ill_health() {
    BreakableLog log = new BreakableLog();
    Aims aims = aims(log, RiskTier.HIGH);
    aims.stop("system-0", "drift alarm", dev.aims.core.Actor.of("carol", "AIMS_ADMIN"));
    Health health = new AimsHealthIndicator(aims, log).health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("stoppedSystems", List.of("system-0"));
  }
}
