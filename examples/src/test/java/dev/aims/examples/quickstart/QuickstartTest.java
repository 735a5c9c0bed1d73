package dev.aims.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Outcome;
import dev.aims.core.Verdict;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import dev.aims.logging.cli.AimsCommand;
import dev.aims.oversight.ApprovalStatus;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            Outcome.DENIED, Outcome.EXPIRED, Outcome.REFUSED);
    assertThat(outcomes.values()).allSatisfy(n -> assertThat(n).isPositive());
    // most decisions need no human, even with drift sending some to review
    assertThat(outcomes.get(Outcome.ALLOWED)).isGreaterThan(Quickstart.APPLICANTS / 3L);
  }

  @Test
  void verdictsAndOutcomesFitTogether() {
    Map<Verdict, Map<Outcome, Long>> counts = summary.meterCounts();
    assertThat(counts.get(Verdict.ALLOW)).containsOnlyKeys(Outcome.ALLOWED);
    // a REVIEW ends approved, overridden, rejected, expired, or refused (cancelled by the stop switch)
    assertThat(counts.get(Verdict.REVIEW)).containsOnlyKeys(Outcome.APPROVED, Outcome.OVERRIDDEN, Outcome.REJECTED,
        Outcome.EXPIRED, Outcome.REFUSED);
    // calls refused while the system is stopped count as DENY
    assertThat(counts.get(Verdict.DENY)).containsOnlyKeys(Outcome.DENIED, Outcome.REFUSED);

    long reviewed = counts.get(Verdict.REVIEW).values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> types = summary.logEventTypes();
    assertThat(types.get(EventTypes.APPROVAL_REQUESTED)).isEqualTo(reviewed);
    assertThat(types.get(EventTypes.DECISION_PROPOSED)).isEqualTo(reviewed);
    assertThat(types.get(EventTypes.APPROVAL_GRANTED))
        .isEqualTo(summary.meterOutcomes().get(Outcome.APPROVED) + summary.meterOutcomes().get(Outcome.OVERRIDDEN));
    assertThat(types.getOrDefault(EventTypes.APPROVAL_REJECTED, 0L))
        .isEqualTo(summary.meterOutcomes().get(Outcome.REJECTED));
    assertThat(types.getOrDefault(EventTypes.APPROVAL_CANCELLED, 0L))
        .as("stop-switch withdrawals").isEqualTo(counts.get(Verdict.REVIEW).get(Outcome.REFUSED));
    assertThat(types.get(EventTypes.APPROVAL_EXPIRED)).isEqualTo(summary.meterOutcomes().get(Outcome.EXPIRED));
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
        if (e.outcome() == Outcome.EXPIRED) {
          assertThat(e.actor()).isNull();      // nobody decided: the deadline did
        } else {
          assertThat(e.actor()).isNotNull();
          assertThat(e.rationale()).isNotBlank();
        }
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
    assertThat(sample.get("actor").get("id").asText()).isIn("reviewer-1", "reviewer-2", "reviewer-3");
    assertThat(sample.get("actor").get("role").asText()).isEqualTo("AIMS_REVIEWER");
    assertThat(sample.get("rationale").asText()).startsWith("score ");
    assertThat(sample.get("input").get("email").asText()).isEqualTo("[masked]");
    assertThat(printed).contains("\"email\":\"[masked]\"").doesNotContain("@example.com");
  }

  @Test
  void theOutputIsShortAndSaysTheCountsMatch() {
    List<String> lines = printed.lines().toList();
    assertThat(lines).hasSizeLessThanOrEqualTo(100);    // the agent section adds 8 lines
    assertThat(printed)
        .contains("total                 5,000")
        .contains("decision.final by outcome matches the meters");
  }

  @Test
  void sameSeedSameDecisions() throws Exception {
    PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    // each in its own directory: the published checkpoints go beside the log directory
    Quickstart.Summary a = Quickstart.run(discard, 500, 7, logDir.resolve("a").resolve("decisions"));
    Quickstart.Summary b = Quickstart.run(discard, 500, 7, logDir.resolve("b").resolve("decisions"));
    assertThat(a.meterCounts()).isEqualTo(b.meterCounts());
    assertThat(a.logEventTypes()).isEqualTo(b.logEventTypes());
    ObjectNode sa = a.sampleRecord().deepCopy();
    ObjectNode sb = b.sampleRecord().deepCopy();
    sa.remove("latency_ms");
    sb.remove("latency_ms");
    assertThat(sa).isEqualTo(sb);
    // reviews run on the simulated clock: who decided what, and how fast, repeats exactly
    assertThat(a.oversight()).isEqualTo(b.oversight());
    assertThat(a.oversight().count(ApprovalStatus.EXPIRED)).isEqualTo(1);
    assertThat(a.oversight().refusedWhileStopped()).isEqualTo(Quickstart.STOPPED_FOR);
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
    assertThat(printed).contains(": VERIFIED").contains("verify ").contains("--checkpoints ");
  }

  @Test
  void theCheckpointsArePublishedOutsideTheLogSoThatCuttingItsTailIsDetected() throws Exception {
    Path published = logDir.resolve("published-checkpoints.jsonl");
    assertThat(published).exists();
    assertThat(Files.readAllLines(published)).hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(l -> assertThat(l).contains("\"type\":\"log.checkpoint\"").contains("\"signature\":"));
    String key = logDir.resolve("quickstart-public-key.pem").toString();
    assertThat(aims("verify", logDir.resolve("decisions").toString(), "--public-key", key, "--checkpoints",
        published.toString())).isZero();

    // a copy of the log cut right after its last-but-one checkpoint: a valid chain, only shorter
    Path cut = Files.createDirectories(logDir.resolve("cut").resolve("decisions"));
    List<Path> segments;
    try (var files = Files.list(logDir.resolve("decisions"))) {
      segments = files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    for (Path s : segments) {
      Files.copy(s, cut.resolve(s.getFileName()));
    }
    Path last = cut.resolve(segments.get(segments.size() - 1).getFileName());
    List<String> lines = Files.readAllLines(last, StandardCharsets.UTF_8);
    int keep = lines.size() - 1;
    while (!lines.get(keep - 1).contains("\"type\":\"log.checkpoint\"")) {
      keep--;
    }
    Files.writeString(last, String.join("\n", lines.subList(0, keep)) + "\n", StandardCharsets.UTF_8);
    assertThat(aims("verify", cut.toString(), "--public-key", key, "--checkpoints", published.toString()))
        .as("a log whose tail was cut, verified against the published checkpoints").isEqualTo(1);
  }

  /**
   * The independent verifier written only from docs/decision-log.md (Python standard library and
   * openssl) agrees with {@code aims verify} on the whole quickstart log: every event type it writes.
   * Skipped without python3 or openssl, unless AIMS_REQUIRE_TOOLS=true (CI), where it fails.
   */
  @Test
  void theIndependentVerifierAgreesOnTheWholeQuickstartLog() throws Exception {
    Path script = Path.of("..", "aims-logging", "src", "test", "python", "verify_log.py");
    boolean tools = runs("/usr/bin/python3", "--version") && runs("openssl", "version");
    if (!tools && "true".equals(System.getenv("AIMS_REQUIRE_TOOLS"))) {
      throw new AssertionError("/usr/bin/python3 and openssl are required (AIMS_REQUIRE_TOOLS=true)");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(tools, "python3 or openssl is not installed: skipped");
    String key = logDir.resolve("quickstart-public-key.pem").toString();
    String published = logDir.resolve("published-checkpoints.jsonl").toString();
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), logDir.resolve("decisions").toString(),
        "--public-key", key, "--checkpoints", published).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output).startsWith("VERIFIED: " + summary.verification().records() + " records");
    assertThat(aims("verify", logDir.resolve("decisions").toString(), "--public-key", key, "--checkpoints", published))
        .isZero();
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int aims(String... args) {
    PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return AimsCommand.run(args, discard, discard);
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
    // every decision whose model ran gets its late label; calls refused while stopped had no model call
    assertThat(f.labelsRecorded()).isEqualTo(Quickstart.APPLICANTS - summary.oversight().refusedWhileStopped());
    assertThat(f.equalOpportunityDifference()).isPresent();
    assertThat(f.equalizedOddsDifference()).isPresent();
  }

  @Test
  void theRequestLeftUnansweredExpiresAtItsDeadlineAndIsDenied() {
    Quickstart.Oversight o = summary.oversight();
    assertThat(o.expired()).isNotNull();
    assertThat(o.count(ApprovalStatus.EXPIRED)).isEqualTo(1);
    assertThat(summary.callerOutcomes()).containsEntry(Outcome.EXPIRED, 1L);
    ApprovalEvent requested = summary.log().events(EventTypes.APPROVAL_REQUESTED, ApprovalEvent.class).stream()
        .filter(e -> e.decisionId().equals(o.expired())).findFirst().orElseThrow();
    ApprovalEvent expired = summary.log().events(EventTypes.APPROVAL_EXPIRED, ApprovalEvent.class).stream()
        .filter(e -> e.decisionId().equals(o.expired())).findFirst().orElseThrow();
    assertThat(expired.actor()).isNull();
    // never before the deadline, and found by the pool's next sweep (once a simulated minute)
    assertThat(expired.ts()).isBetween(requested.ts().plus(Quickstart.REVIEW_DEADLINE),
        requested.ts().plus(Quickstart.REVIEW_DEADLINE).plus(ReviewerPool.SWEEP_EVERY));
    DecisionEvent fin = summary.log().events(EventTypes.DECISION_FINAL, DecisionEvent.class).stream()
        .filter(e -> e.decisionId().equals(o.expired())).findFirst().orElseThrow();
    assertThat(fin.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(fin.outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(printed).contains("1 expired").contains("expired: " + o.expired());
  }

  @Test
  void theStopSwitchIsPressedOnceRefusesNewCallsCancelsPendingReviewsAndIsReleased() {
    List<SystemEvent> stopped = summary.log().events(EventTypes.SYSTEM_STOPPED, SystemEvent.class);
    List<SystemEvent> resumed = summary.log().events(EventTypes.SYSTEM_RESUMED, SystemEvent.class);
    assertThat(stopped).singleElement().satisfies(e -> {
      assertThat(e.actor().id()).isEqualTo(Quickstart.OPERATOR.id());
      assertThat(e.actor().role()).isEqualTo("AIMS_ADMIN");
    });
    assertThat(resumed).singleElement().satisfies(e -> assertThat(e.actor().id()).isEqualTo(Quickstart.OPERATOR.id()));
    // one application every 3 seconds arrives while it is pressed
    assertThat(Duration.between(stopped.get(0).ts(), resumed.get(0).ts()))
        .isEqualTo(Duration.ofSeconds(3L * Quickstart.STOPPED_FOR));

    Quickstart.Oversight o = summary.oversight();
    assertThat(o.refusedWhileStopped()).isEqualTo(Quickstart.STOPPED_FOR);
    assertThat(summary.meterCounts().get(Verdict.DENY)).containsEntry(Outcome.REFUSED, (long) Quickstart.STOPPED_FOR);
    // the refused calls are exactly the applications that arrived while stopped, each with the stop-switch reason
    List<DecisionEvent> refusedNew = summary.log().events(EventTypes.DECISION_FINAL, DecisionEvent.class).stream()
        .filter(e -> e.outcome() == Outcome.REFUSED && e.verdict() == Verdict.DENY).toList();
    assertThat(refusedNew).hasSize(Quickstart.STOPPED_FOR).allSatisfy(e -> {
      assertThat(e.reasons()).anyMatch(r -> r.boundary().equals("aims.stop-switch"));
      assertThat(e.ts()).isBetween(stopped.get(0).ts(), resumed.get(0).ts());
    });

    // the requests pending when it was pressed were cancelled; their callers saw REFUSED
    assertThat(o.cancelledByStop()).isPositive();
    assertThat(o.count(ApprovalStatus.CANCELLED)).isEqualTo(o.cancelledByStop());
    assertThat(o.cancelledSeenByCaller()).isEqualTo(o.cancelledByStop());
    assertThat(summary.meterCounts().get(Verdict.REVIEW)).containsEntry(Outcome.REFUSED, (long) o.cancelledByStop());
    assertThat(printed).contains("stop switch: pressed by ops-admin")
        .contains(Quickstart.STOPPED_FOR + " new calls refused while stopped");
  }

  @Test
  void reviewerAdherenceShowsTheRubberStamperAndTheSlowReviewer() {
    Quickstart.Oversight o = summary.oversight();
    assertThat(o.reviewers()).extracting(Quickstart.ReviewerLine::id)
        .containsExactly("reviewer-1", "reviewer-2", "reviewer-3", "reviewer-4");
    assertThat(o.reviewers()).allSatisfy(r -> assertThat(r.decided()).as(r.id()).isPositive());
    Quickstart.ReviewerLine careful = o.reviewers().get(0);
    Quickstart.ReviewerLine slow = o.reviewers().get(2);
    Quickstart.ReviewerLine stamper = o.reviewers().get(3);

    assertThat(stamper.style()).isEqualTo("rubber-stamps");
    assertThat(stamper.stats().approvalRatio()).isEqualTo(1.0);
    assertThat(stamper.stats().rubberStamps()).isEqualTo(stamper.decided());
    assertThat(stamper.medianTimeToDecision()).isLessThan(Duration.ofSeconds(10));
    for (Quickstart.ReviewerLine r : o.reviewers().subList(0, 3)) {
      assertThat(r.stats().rubberStamps()).as(r.id()).isZero();
      assertThat(r.stats().rejections()).as(r.id()).isPositive();
      assertThat(r.stats().overrides()).as(r.id()).isPositive();
      assertThat(r.stats().approvalRatio()).as(r.id()).isLessThan(0.9);
      assertThat(r.medianTimeToDecision()).as(r.id()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
      assertThat(r.stats().maxTimeToDecision()).as(r.id()).isLessThan(Quickstart.REVIEW_DEADLINE);
    }
    assertThat(slow.medianTimeToDecision()).isGreaterThan(careful.medianTimeToDecision().multipliedBy(3));

    // the counter, the per-reviewer figures and the requests' ends agree
    assertThat(o.rubberStampMeter()).isEqualTo(stamper.stats().rubberStamps());
    long decided = o.reviewers().stream().mapToLong(Quickstart.ReviewerLine::decided).sum();
    assertThat(decided).isEqualTo(o.count(ApprovalStatus.APPROVED) + o.count(ApprovalStatus.REJECTED));
    assertThat(o.reviewers().stream().mapToLong(r -> r.stats().overrides()).sum())
        .isEqualTo(o.overrides()).isEqualTo(summary.meterOutcomes().get(Outcome.OVERRIDDEN));
    assertThat(o.count(ApprovalStatus.APPROVED) - o.overrides()).isEqualTo(summary.meterOutcomes().get(Outcome.APPROVED));
    assertThat(o.count(ApprovalStatus.REJECTED)).isEqualTo(summary.meterOutcomes().get(Outcome.REJECTED));
    assertThat(o.requests()).isEqualTo(summary.logEventTypes().get(EventTypes.APPROVAL_REQUESTED));
    assertThat(o.count(ApprovalStatus.PENDING)).isZero();
    assertThat(printed).contains("reviewer-4  rubber-stamps").contains("100.0%")
        .contains("aims.approval.rubber.stamp: " + o.rubberStampMeter());
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
