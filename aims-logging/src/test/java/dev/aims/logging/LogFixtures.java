package dev.aims.logging;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

final class LogFixtures {
  static final ModelRef MODEL = ModelRef.of("acme", "scorer", "2.1");
  static final KeyPair KEYS = SigningKeys.generate();
  static final KeyPair OTHER_KEYS = SigningKeys.generate();

  record Applicant(String id, double amount, String note) {}

  static Aims aims(DecisionLog log) {
    return Aims.builder()
        .register(AiSystem.builder("credit-scoring").owner("risk").purpose("score loans").riskTier(RiskTier.HIGH)
            .allowModel(MODEL).build())
        .decisionLog(log)
        .build();
  }

  /** Governs {@code n} decisions whose input carries {@code note}. */
  static void decide(Aims aims, int n, String note) {
    for (int i = 0; i < n; i++) {
      Applicant a = new Applicant("a-" + i, 1000 + i, note);
      aims.system("credit-scoring").useCase("score").input(a).feature("amount", a.amount())
          .call(x -> x.amount() / 100_000);
    }
  }

  static Path onlySegment(Path dir) throws IOException {
    List<Path> segments = Segments.list(dir);
    if (segments.size() != 1) {
      throw new IllegalStateException("expected one segment but found " + segments);
    }
    return segments.get(0);
  }

  static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static void writeLines(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private LogFixtures() {}
}
