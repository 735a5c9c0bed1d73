package dev.aims.examples.quickstart;

/**
 * The model's output.
 *
 * @param probability estimated probability that the loan is repaid, 0..1
 * @param recommendation what the model (or, for an override, the reviewer) recommends
 */
public record Score(double probability, Recommendation recommendation) {

  /** What to do with the application. */
  public enum Recommendation {
    APPROVE,
    DECLINE,
    /** Set by a reviewer who overrides the model: offer a smaller loan instead. */
    COUNTER_OFFER
  }
}
