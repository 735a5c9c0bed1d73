package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.SplittableRandom;

/**
 * Loan traffic with a fixed seed, the same shape as load.sh: amounts 2,000–45,000 (under the
 * review threshold), incomes around 45,000, and after the shift incomes around 110,000.
 */
final class Traffic {
  private static final String[] AGE_BANDS = {"18-29", "30-49", "50+"};
  private final SplittableRandom random = new SplittableRandom(42);

  /** Sends {@code count} applications as the requester; incomes are shifted when {@code shifted}. */
  void send(RunningLoanService service, int count, boolean shifted) {
    for (int i = 0; i < count; i++) {
      double amount = 2_000 + random.nextInt(43_000);
      double income = (shifted ? 100_000 : 35_000) + random.nextInt(20_000);
      String band = AGE_BANDS[random.nextInt(AGE_BANDS.length)];
      HttpResponse<String> r = service.applyFor(RunningLoanService.REQUESTER, amount, income, 60, band);
      assertThat(r.statusCode()).as("application %d: %s", i, r.body()).isEqualTo(200);
    }
  }
}
