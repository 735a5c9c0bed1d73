package dev.aims.oversight;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionCall;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.Redactor;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import java.time.Duration;

/** Shared test values: a HIGH-risk credit-scoring system whose large loans go to REVIEW. */
final class Fixtures {
  static final String SYSTEM = "credit-scoring";
  static final String USE_CASE = "score-applicant";
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final String REVIEWER_ROLE = "AIMS_REVIEWER";
  static final String SENIOR_ROLE = "AIMS_SENIOR_REVIEWER";

  static final Reviewer RITA = Reviewer.of("rita", REVIEWER_ROLE);
  static final Reviewer RAJ = Reviewer.of("raj", REVIEWER_ROLE);
  static final Reviewer SAM = Reviewer.of("sam", REVIEWER_ROLE, SENIOR_ROLE);
  static final Reviewer INTERN = Reviewer.of("ivan", "AIMS_VIEWER");
  static final Reviewer LOAN_SERVICE = Reviewer.of("loan-service", REVIEWER_ROLE);
  static final Reviewer OLGA = Reviewer.of("olga", "AIMS_ADMIN");

  static final String WHY = "income verified against payslips";

  record Applicant(String id, double income, double amount, String email) {}

  record Score(double value, String explanation) {}

  static Applicant applicant(double amount) {
    return new Applicant("a-1", 52_000, amount, "jane.doe@example.com");
  }

  static Score score(Applicant a) {
    return new Score(Math.round(1000 / (1 + Math.exp(-(a.income() / 50_000 - a.amount() / 100_000)))) / 1000.0,
        "applicant " + a.email() + " scored");
  }

  static AiSystem creditScoring() {
    return AiSystem.builder(SYSTEM).owner("risk-team").purpose("score consumer loan applications")
        .riskTier(RiskTier.HIGH).allowModel(SCORER).build();
  }

  static DecisionPolicy largeLoansToReview(String version) {
    return DecisionPolicy.of(version,
        NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.REVIEW));
  }

  static TestClock clock() {
    return TestClock.at("2026-11-23T10:00:00Z");
  }

  static Redactor redactor() {
    return Redactor.maskFields("output.explanation", "overridden_output.explanation");
  }

  static EventEncoder encoder() {
    return new EventEncoder(s -> SYSTEM.equals(s) ? redactor() : Redactor.none(), EventEncoder.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  static ReviewPolicy oneReviewer() {
    return ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1));
  }

  static Aims aims(ApprovalService approvals, InMemoryDecisionLog log, TestClock clock, String policyVersion) {
    Aims aims = Aims.builder()
        .register(creditScoring())
        .policy(SYSTEM, largeLoansToReview(policyVersion))
        .redactor(SYSTEM, redactor())
        .approvalGate(approvals)
        .decisionLog(log)
        .clock(clock)
        .build();
    approvals.attach(aims);
    return aims;
  }

  static DecisionCall<Applicant> largeLoan(Aims aims, double amount) {
    return aims.system(SYSTEM).useCase(USE_CASE).input(applicant(amount)).feature("amount", amount)
        .requester(LOAN_SERVICE.id());
  }

  /** A review request as core hands it to the gate, for tests that drive the gate directly. */
  static dev.aims.core.ReviewRequest reviewRequest(java.util.UUID id, double amount, java.time.Instant at) {
    return reviewRequest(id, amount, at, "p-1", null);
  }

  static dev.aims.core.ReviewRequest reviewRequest(java.util.UUID id, double amount, java.time.Instant at,
      String policyVersion, @org.jspecify.annotations.Nullable Object action) {
    return new dev.aims.core.ReviewRequest(id, creditScoring(), USE_CASE, SCORER, applicant(amount),
        score(applicant(amount)), java.util.Map.of("amount", amount),
        java.util.List.of(new dev.aims.core.policy.Reason("large-loan", "1", Verdict.REVIEW, "amount above 50000")),
        LOAN_SERVICE.id(), at, policyVersion, action);
  }

  private Fixtures() {}
}
