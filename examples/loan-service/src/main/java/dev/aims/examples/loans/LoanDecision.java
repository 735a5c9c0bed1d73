package dev.aims.examples.loans;

/**
 * The credit model's answer, which is the governed decision's output.
 *
 * @param approved whether the loan is granted (the favourable outcome for fairness metrics)
 * @param score the model's score in [0, 1]
 * @param yearlyRate offered interest rate in percent, or 0 when not approved
 * @param reason a short explanation
 */
public record LoanDecision(boolean approved, double score, double yearlyRate, String reason) {}
