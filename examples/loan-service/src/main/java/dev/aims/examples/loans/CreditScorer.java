package dev.aims.examples.loans;

import org.springframework.stereotype.Component;

/**
 * Stands in for a real credit model (model id {@code acme:credit-scorer:3.1}): a deterministic
 * affordability score from the yearly repayment as a share of income. It never looks at the age
 * band. Real services would call a model server or Spring AI here.
 */
@Component
public class CreditScorer {
  /** The model's registered id, as listed in {@code aims.systems.loans.allowed-models}. */
  public static final String MODEL = "acme:credit-scorer:3.1";

  /** Scores an application: approve while yearly repayments stay under 40% of income. */
  public LoanDecision score(LoanApplication application) {
    double years = application.termMonths() / 12.0;
    double yearlyRepayment = application.amount() / years;
    double burden = application.income() == 0 ? Double.POSITIVE_INFINITY : yearlyRepayment / application.income();
    double score = Math.max(0, Math.min(1, 1 - burden / 0.8));
    boolean approved = burden < 0.4;
    double rate = approved ? Math.round((3.5 + 6 * (1 - score)) * 100) / 100.0 : 0;
    String reason = approved
        ? "yearly repayment is " + percent(burden) + " of income"
        : "yearly repayment would be " + percent(burden) + " of income (limit 40%)";
    return new LoanDecision(approved, Math.round(score * 1000) / 1000.0, rate, reason);
  }

  private static String percent(double share) {
    return Double.isInfinite(share) ? "unbounded" : Math.round(share * 100) + "%";
  }
}
