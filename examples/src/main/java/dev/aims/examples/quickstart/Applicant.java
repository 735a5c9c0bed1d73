package dev.aims.examples.quickstart;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One synthetic loan application. The e-mail address is personal data: the quickstart's redactor
 * masks it before anything reaches the decision log.
 *
 * @param income yearly income in euros
 * @param amount requested loan amount in euros
 * @param debtRatio existing debt payments as a share of income, 0..1
 * @param ageBand a protected attribute, e.g. {@code "30-44"}
 */
public record Applicant(String id, double income, double amount, double debtRatio, String ageBand, String email) {

  private static final String[] AGE_BANDS = {"18-29", "30-44", "45-64", "65+"};

  /** {@code count} applicants drawn from a seeded {@link Random}: the same seed gives the same list. */
  public static List<Applicant> generate(long seed, int count) {
    Random random = new Random(seed);
    List<Applicant> applicants = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      String id = String.format("A-%05d", i);
      double income = roundTo(clamp(45_000 * Math.exp(0.45 * random.nextGaussian()), 12_000, 250_000), 100);
      double amount = roundTo(clamp(income * (0.05 + 1.15 * random.nextDouble()), 1_000, 150_000), 500);
      double debtRatio = Math.round(100 * (0.02 + 0.6 * Math.pow(random.nextDouble(), 1.6))) / 100.0;
      String ageBand = AGE_BANDS[random.nextInt(AGE_BANDS.length)];
      String email = "applicant." + id.substring(2) + "@example.com";
      applicants.add(new Applicant(id, income, amount, debtRatio, ageBand, email));
    }
    return applicants;
  }

  /**
   * The same applicant after the demo's distribution shift: incomes fall by 10%, and by 45% for
   * the youngest age band (say, a regional employer closed), so both the income distribution and
   * one group's approval rate move.
   */
  public Applicant afterShift() {
    double factor = ageBand.equals(AGE_BANDS[0]) ? 0.55 : 0.9;
    return new Applicant(id, roundTo(income * factor, 100), amount, debtRatio, ageBand, email);
  }

  static List<String> ageBands() {
    return List.of(AGE_BANDS);
  }

  private static double clamp(double x, double min, double max) {
    return Math.max(min, Math.min(max, x));
  }

  private static double roundTo(double x, double step) {
    return Math.round(x / step) * step;
  }
}
