package dev.aims.examples.loans;

/**
 * A loan application as posted to {@code /loans/decisions}.
 *
 * @param applicant the applicant's name (masked in the decision log)
 * @param amount requested amount in EUR, positive
 * @param income yearly income in EUR, not negative
 * @param termMonths repayment term, 6 to 360 months
 * @param ageBand the applicant's age band ({@code 18-29}, {@code 30-49}, {@code 50+}); a protected
 *     attribute, used only for fairness monitoring, never by the model
 */
public record LoanApplication(String applicant, double amount, double income, int termMonths, String ageBand) {

  /** Validates the application; each message names the field that is wrong. */
  public LoanApplication {
    if (applicant == null || applicant.isBlank()) {
      throw new IllegalArgumentException("applicant is required");
    }
    if (!(amount > 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("amount must be a positive number of EUR, was " + amount);
    }
    if (!(income >= 0) || Double.isInfinite(income)) {
      throw new IllegalArgumentException("income must be a non-negative number of EUR, was " + income);
    }
    if (termMonths < 6 || termMonths > 360) {
      throw new IllegalArgumentException("termMonths must be between 6 and 360, was " + termMonths);
    }
    if (ageBand == null || ageBand.isBlank()) {
      throw new IllegalArgumentException("ageBand is required (18-29, 30-49 or 50+)");
    }
  }
}
