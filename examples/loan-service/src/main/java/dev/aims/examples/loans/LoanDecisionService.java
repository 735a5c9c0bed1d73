package dev.aims.examples.loans;

import dev.aims.spring.Governed;
import org.springframework.stereotype.Service;

/**
 * The governed decision. {@link Governed} makes each call an AIMS decision of the system
 * {@code loans}: the amount boundary sends large loans to a reviewer (the call waits for the
 * verdict), income and amount feed drift monitoring, and the age band feeds fairness monitoring.
 * The requester is the authenticated user.
 */
@Service
public class LoanDecisionService {
  private final CreditScorer scorer;

  public LoanDecisionService(CreditScorer scorer) {
    this.scorer = scorer;
  }

  /**
   * Decides one application. Throws {@code DecisionRejectedException} when a reviewer rejects it or
   * the review expires, and {@code DecisionRefusedException} while the system is stopped.
   */
  @Governed(system = "loans", useCase = "consumer-loan",
      features = {"amount=#application.amount", "income=#application.income"},
      protectedAttributes = "age_band=#application.ageBand")
  public LoanDecision decide(LoanApplication application) {
    return scorer.score(application);
  }
}
