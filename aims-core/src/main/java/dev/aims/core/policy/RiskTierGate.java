package dev.aims.core.policy;

import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import java.util.Objects;

/**
 * A verdict for every decision of a system at or above a risk tier, e.g. every HIGH-risk decision
 * goes to a human: {@code RiskTierGate.atOrAbove(RiskTier.HIGH, Verdict.REVIEW)}.
 */
public final class RiskTierGate extends SimpleBoundary {
  private final RiskTier tier;
  private final Verdict verdict;

  private RiskTierGate(String id, RiskTier tier, Verdict verdict) {
    super(id, "1", Stage.INPUT);
    this.tier = Objects.requireNonNull(tier, "tier");
    this.verdict = Objects.requireNonNull(verdict, "verdict");
  }

  public static RiskTierGate atOrAbove(RiskTier tier, Verdict verdict) {
    return new RiskTierGate("risk-tier-" + tier.name().toLowerCase(java.util.Locale.ROOT), tier, verdict);
  }

  @Override
  public Ruling evaluate(DecisionContext context) {
    RiskTier systemTier = context.system().riskTier();
    return systemTier.atLeast(tier)
        ? Ruling.of(verdict, "system '" + context.system().id() + "' is " + systemTier + " risk")
        : Ruling.allow();
  }
}
