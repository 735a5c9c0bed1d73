package dev.aims.spring.actuate;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.RiskTier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of AIMS governance: DOWN when the decision log has failed and a HIGH-risk system is
 * registered (its decisions cannot be recorded, so, by default, it refuses to act); UP otherwise,
 * with the failure in the details when only lower-risk systems are affected (they carry on and
 * count the failures). A pressed stop switch is an operator's decision, not ill health: it is shown
 * in the details only.
 */
public final class AimsHealthIndicator implements HealthIndicator {
  private final Aims aims;
  private final DecisionLog log;

  /** Health of {@code aims}'s register against the failure state of {@code log}, the log {@code aims} writes to. */
  public AimsHealthIndicator(Aims aims, DecisionLog log) {
    this.aims = Objects.requireNonNull(aims, "aims");
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public Health health() {
    List<AiSystem> systems = aims.register().systems();
    List<String> highRisk = systems.stream().filter(s -> s.riskTier() == RiskTier.HIGH).map(AiSystem::id).toList();
    List<String> stopped = systems.stream().map(AiSystem::id).filter(aims::isStopped).toList();
    Optional<String> failure = log.failure();
    Health.Builder b = failure.isPresent() && !highRisk.isEmpty() ? Health.down() : Health.up();
    failure.ifPresent(f -> b.withDetail("logFailure", f));
    if (failure.isPresent()) {
      b.withDetail("affectedHighRiskSystems", highRisk);
    }
    return b.withDetail("highRiskSystems", highRisk).withDetail("stoppedSystems", stopped)
        .withDetail("systems", systems.size()).build();
  }
}
