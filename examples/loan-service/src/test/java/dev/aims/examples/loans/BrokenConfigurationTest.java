package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong aims.* value stops the service at start-up, and the error names the property. */
class BrokenConfigurationTest {

  @Test
  void anUnknownRiskTierStopsStartUpNamingTheProperty(@TempDir Path logDir) {
    assertThatThrownBy(() -> RunningLoanService.start(logDir, "--aims.systems.loans.risk-tier=EXTREME").close())
        .hasStackTraceContaining("aims.systems.loans.risk-tier")
        .hasStackTraceContaining("EXTREME");
  }

  @Test
  void aNegativeReviewDeadlineStopsStartUpNamingTheProperty(@TempDir Path logDir) {
    assertThatThrownBy(() -> RunningLoanService.start(logDir, "--aims.systems.loans.review.tiers[0].deadline=-5m").close())
        .hasStackTraceContaining("aims.systems.loans.review.tiers[0].deadline must be positive");
  }

  @Test
  void aModelThatIsNotProviderNameVersionStopsStartUpNamingTheProperty(@TempDir Path logDir) {
    assertThatThrownBy(() -> RunningLoanService.start(logDir, "--aims.systems.loans.allowed-models[0]=gpt-4o").close())
        .hasStackTraceContaining("aims.systems.loans.allowed-models[0] 'gpt-4o' is not provider:name:version");
  }

  @Test
  void noDemoUsersStopsStartUpNamingTheProperty(@TempDir Path logDir) {
    assertThatThrownBy(() -> RunningLoanService.start(logDir, "--loans.demo-users[0].password=").close())
        .hasStackTraceContaining("loans.demo-users[0] needs a name and a password");
  }
}
