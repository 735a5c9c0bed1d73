package dev.aims.core;

import dev.aims.core.testing.TestClock;

/** Shared test values: one HIGH-risk credit-scoring system and a deterministic model. */
final class Fixtures {
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final ModelRef OTHER = ModelRef.of("acme", "scorer", "3.0-beta");
  static final Actor REVIEWER = Actor.of("rita", "AIMS_REVIEWER");
  static final Actor ADMIN = Actor.of("olga", "AIMS_ADMIN");

  record Applicant(String id, double income, double amount, String email) {}

  record Score(double value) {}

  static Applicant applicant(double amount) {
    return new Applicant("a-1", 52_000, amount, "jane.doe@example.com");
  }

  static Score score(Applicant a) {
    return new Score(1 / (1 + Math.exp(-(a.income() / 50_000 - a.amount() / 100_000))));
  }

  static AiSystem creditScoring() {
    return AiSystem.builder("credit-scoring")
        .owner("risk-team")
        .purpose("score consumer loan applications")
        .riskTier(RiskTier.HIGH)
        .allowModel(SCORER)
        .build();
  }

  static AiSystem chatbot() {
    return AiSystem.builder("support-bot")
        .owner("support")
        .purpose("answer customer questions")
        .riskTier(RiskTier.LIMITED)
        .anyModel()
        .build();
  }

  static TestClock clock() {
    return TestClock.at("2026-11-23T10:00:00Z");
  }

  private Fixtures() {}
}
