package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.RiskTier;
import dev.aims.logging.redact.PersonalDataRedactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault case 12: personal data in an input never reaches the file, and the chain verifies over the redacted form. */
class RedactedChainTest {
  @TempDir Path dir;

  @Test
  void anEmailIbanAndCardNumberAreAbsentFromTheLogAndTheChainStillVerifies() throws Exception {
    String note = "Contact jane.doe@example.com, pay to DE89 3704 0044 0532 0130 00 or card 4111 1111 1111 1111";
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("redacted").checkpointEvery(3)
        .signingKey(KEYS).open()) {
      Aims aims = Aims.builder()
          .register(AiSystem.builder("credit-scoring").owner("risk").purpose("score loans").riskTier(RiskTier.HIGH)
              .allowModel(MODEL).build())
          .redactor("credit-scoring", PersonalDataRedactor.builder().withDefaultDetectors().build())
          .decisionLog(log)
          .build();
      decide(aims, 5, note);
    }

    String bytes = Files.readString(onlySegment(dir), StandardCharsets.UTF_8);
    assertThat(bytes).doesNotContain("jane.doe@example.com", "DE89 3704", "DE89370400440532013000",
        "4111 1111 1111 1111", "4111111111111111");
    assertThat(bytes).contains("Contact [email], pay to [iban] or card [card]");
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
  }
}
