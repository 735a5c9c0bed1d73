package dev.aims.examples.quickstart;

/**
 * A stand-in for a real credit-scoring model: a logistic function with fixed weights. Deterministic,
 * fast and free of I/O, so that the demo shows AIMS and not the model.
 */
public final class CreditModel {
  /** Median income of the synthetic population; income enters the model relative to it. */
  private static final double MEDIAN_INCOME = 45_000;

  private static final double BIAS = 2.0;
  private static final double W_LOG_INCOME = 1.2;
  private static final double W_LOAN_TO_INCOME = -1.6;
  private static final double W_DEBT_RATIO = -4.5;

  /** The model call AIMS governs. */
  public Score score(Applicant a) {
    double z = BIAS
        + W_LOG_INCOME * Math.log(a.income() / MEDIAN_INCOME)
        + W_LOAN_TO_INCOME * (a.amount() / a.income())
        + W_DEBT_RATIO * a.debtRatio();
    double p = 1 / (1 + Math.exp(-z));
    double rounded = Math.round(p * 1000) / 1000.0;
    return new Score(rounded, rounded >= 0.5 ? Score.Recommendation.APPROVE : Score.Recommendation.DECLINE);
  }
}
