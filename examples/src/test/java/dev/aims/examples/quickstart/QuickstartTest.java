package dev.aims.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Outcome;
import dev.aims.core.Verdict;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

class QuickstartTest {
  private static Quickstart.Summary summary;
  private static String printed;

  @TempDir static Path logDir;

  @BeforeAll
  static void runDemo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = Quickstart.run(out, Quickstart.APPLICANTS, Quickstart.SEED, logDir.resolve("decisions"));
    }
    printed = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyApplicantGetsExactlyOneDecision() {
    assertThat(summary.applicants()).isEqualTo(Quickstart.APPLICANTS);
    assertThat(summary.totalDecisions()).isEqualTo(Quickstart.APPLICANTS);
    assertThat(summary.logOutcomes().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(Quickstart.APPLICANTS);
    assertThat(summary.logEventTypes()).containsEntry(EventTypes.DECISION_FINAL, (long) Quickstart.APPLICANTS);
  }

  @Test
  void theDemoExercisesEveryPathOfAGovernedCall() {
    Map<Outcome, Long> outcomes = summary.meterOutcomes();
    assertThat(outcomes.keySet())
        .containsExactlyInAnyOrder(Outcome.ALLOWED, Outcome.APPROVED, Outcome.OVERRIDDEN, Outcome.REJECTED,
            Outcome.DENIED);
    assertThat(outcomes.values()).allSatisfy(n -> assertThat(n).isPositive());
    // most decisions need no human, even with drift sending some to review
    assertThat(outcomes.get(Outcome.ALLOWED)).isGreaterThan(Quickstart.APPLICANTS / 3L);
  }

  @Test
  void verdictsAndOutcomesFitTogether() {
    Map<Verdict, Map<Outcome, Long>> counts = summary.meterCounts();
    assertThat(counts.get(Verdict.ALLOW)).containsOnlyKeys(Outcome.ALLOWED);
    assertThat(counts.get(Verdict.REVIEW)).containsOnlyKeys(Outcome.APPROVED, Outcome.OVERRIDDEN, Outcome.REJECTED);
    assertThat(counts.get(Verdict.DENY)).containsOnlyKeys(Outcome.DENIED);

    long reviewed = counts.get(Verdict.REVIEW).values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> types = summary.logEventTypes();
    assertThat(types.get(EventTypes.APPROVAL_REQUESTED)).isEqualTo(reviewed);
    assertThat(types.get(EventTypes.DECISION_PROPOSED)).isEqualTo(reviewed);
    assertThat(types.get(EventTypes.APPROVAL_GRANTED))
        .isEqualTo(summary.meterOutcomes().get(Outcome.APPROVED) + summary.meterOutcomes().get(Outcome.OVERRIDDEN));
    assertThat(types.get(EventTypes.APPROVAL_REJECTED)).isEqualTo(summary.meterOutcomes().get(Outcome.REJECTED));
    assertThat(types.get(EventTypes.DECISION_OVERRIDDEN)).isEqualTo(summary.meterOutcomes().get(Outcome.OVERRIDDEN));
  }

  @Test
  void metersLogAndCallerAgree() {
    assertThat(summary.logOutcomes()).isEqualTo(summary.meterOutcomes());
    assertThat(summary.callerOutcomes()).isEqualTo(summary.meterOutcomes());
    assertThat(summary.logEvents()).isEqualTo(summary.log().appendedCount());
  }

  @Test
  void reviewHappensOnlyForLargeLoansOrWhileDriftIsAlarming() {
    for (DecisionEvent e : summary.log().events(EventTypes.DECISION_FINAL, DecisionEvent.class)) {
      double amount = (Double) e.features().get("amount");
      boolean drift = e.reasons().stream().anyMatch(r -> r.boundary().equals("aims.drift-review"));
      if (e.verdict() == Verdict.REVIEW) {
        assertThat(amount > Quickstart.LARGE_LOAN || drift).as("review reason of " + e.decisionId()).isTrue();
        assertThat(e.actor()).isNotNull();
        assertThat(e.rationale()).isNotBlank();
      }
      if (e.verdict() == Verdict.ALLOW) {
        assertThat(amount).isLessThanOrEqualTo(Quickstart.LARGE_LOAN);
      }
    }
  }

  @Test
  void noEmailAddressReachesTheLog() {
    Set<String> emails = Applicant.generate(Quickstart.SEED, Quickstart.APPLICANTS).stream()
        .map(Applicant::email)
        .collect(Collectors.toSet());
    Set<String> texts = new HashSet<>();
    int withInput = 0;
    for (LogEntry entry : summary.log().entries()) {
      ObjectNode body = entry.body();
      collectText(body, texts);
      if (body.has("input")) {
        withInput++;
        assertThat(body.get("input").get("email").asText()).isEqualTo("[masked]");
        assertThat(body.get("input").get("age_band").asText()).isEqualTo("[masked]");
      }
      assertThat(entry.canonicalBody()).doesNotContain("@example.com");
    }
    assertThat(withInput).isGreaterThanOrEqualTo(Quickstart.APPLICANTS);
    assertThat(texts).doesNotContainAnyElementsOf(emails);
    assertThat(texts).noneMatch(t -> t.contains("@"));
  }

  @Test
  void theSampleRecordIsARedactedApprovedDecision() {
    ObjectNode sample = summary.sampleRecord();
    assertThat(sample.get("type").asText()).isEqualTo(EventTypes.DECISION_FINAL);
    assertThat(sample.get("outcome").asText()).isEqualTo("APPROVED");
    assertThat(sample.get("actor").get("id").asText()).isEqualTo("reviewer-1");
    assertThat(sample.get("input").get("email").asText()).isEqualTo("[masked]");
    assertThat(printed).contains("\"email\":\"[masked]\"").doesNotContain("@example.com");
  }

  @Test
  void theOutputIsShortAndSaysTheCountsMatch() {
    List<String> lines = printed.lines().toList();
    assertThat(lines).hasSizeLessThanOrEqualTo(75);
    assertThat(printed)
        .contains("total                 5,000")
        .contains("decision.final by outcome matches the meters");
  }

  @Test
  void sameSeedSameDecisions() throws Exception {
    PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Quickstart.Summary a = Quickstart.run(discard, 500, 7, logDir.resolve("a"));
    Quickstart.Summary b = Quickstart.run(discard, 500, 7, logDir.resolve("b"));
    assertThat(a.meterCounts()).isEqualTo(b.meterCounts());
    assertThat(a.logEventTypes()).isEqualTo(b.logEventTypes());
    ObjectNode sa = a.sampleRecord().deepCopy();
    ObjectNode sb = b.sampleRecord().deepCopy();
    sa.remove("latency_ms");
    sb.remove("latency_ms");
    assertThat(sa).isEqualTo(sb);
  }

  @Test
  void theDecisionLogOnDiskVerifiesAndHoldsEveryEventWithoutPersonalData() throws Exception {
    assertThat(summary.verification().intact()).as(String.valueOf(summary.verification().problem())).isTrue();
    assertThat(summary.verification().records()).isEqualTo(summary.logEvents());
    assertThat(summary.verification().signaturesChecked()).isTrue();
    String onDisk;
    try (var segments = java.nio.file.Files.list(logDir.resolve("decisions"))) {
      StringBuilder all = new StringBuilder();
      for (Path p : segments.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        all.append(java.nio.file.Files.readString(p));
      }
      onDisk = all.toString();
    }
    assertThat(onDisk).doesNotContain("@example").contains("\"email\":\"[masked]\"");
    assertThat(printed).contains("Verified: intact").contains("verify ");
  }

  @Test
  void theIncomeShiftRaisesADriftAlarmThatSendsDecisionsToReview() {
    Quickstart.MonitorSummary m = summary.monitoring();
    assertThat(m.beforeShift()).allSatisfy(r -> assertThat(r.alarm()).as(r.feature()).isFalse());
    assertThat(m.atEnd()).filteredOn(r -> r.feature().equals("income")).singleElement()
        .satisfies(r -> assertThat(r.alarm()).isTrue());
    assertThat(summary.logEventTypes()).containsKey(EventTypes.DRIFT_ALARM_RAISED);
    assertThat(summary.driftReviews()).isPositive();
    assertThat(printed).contains("ALARM").contains("aims.drift-review");
  }

  @Test
  void theShiftedGroupsApprovalRateDropsAndLateLabelsGiveEqualOpportunityFigures() {
    var f = summary.monitoring().fairness();
    assertThat(f.disparateImpactRatio().getAsDouble()).isLessThan(0.8);
    assertThat(f.alarm()).isTrue();
    assertThat(f.group("18-29").selectionRate().getAsDouble())
        .isLessThan(f.group("45-64").selectionRate().getAsDouble());
    assertThat(f.labelsRecorded()).isEqualTo(Quickstart.APPLICANTS);
    assertThat(f.equalOpportunityDifference()).isPresent();
    assertThat(f.equalizedOddsDifference()).isPresent();
  }

  private static void collectText(JsonNode node, Set<String> texts) {
    if (node.isTextual()) {
      texts.add(node.textValue());
    }
    for (JsonNode child : node) {
      collectText(child, texts);
    }
  }
}
