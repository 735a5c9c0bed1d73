package dev.aims.benchmarks;

/**
 * The stand-in "model" every benchmark calls: a logistic score over three features of an
 * applicant. Deterministic and a few nanoseconds, so what the benchmarks show is the cost of the
 * code around it.
 */
final class CreditModel {
  private static final double BIAS = -1.5;
  private static final double W_INCOME = 2.0e-5;
  private static final double W_AMOUNT = -3.0e-5;
  private static final double W_DEBT_RATIO = -2.5;

  /** One loan application. */
  record Applicant(double income, double amount, double debtRatio) {}

  /** The probability that the applicant repays. */
  record Score(double value) {}

  Score score(Applicant a) {
    double z = BIAS + W_INCOME * a.income() + W_AMOUNT * a.amount() + W_DEBT_RATIO * a.debtRatio();
    return new Score(1.0 / (1.0 + Math.exp(-z)));
  }
}
