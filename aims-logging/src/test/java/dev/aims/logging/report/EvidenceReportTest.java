package dev.aims.logging.report;

import static dev.aims.logging.report.ReportLog.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.RegisterEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceReportTest {
  static final String CREDIT = "credit-scoring";
  static final String FRAUD = "fraud-check";
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path tmp;
  Path dir;
  ReportLog log;

  static Instant min(double m) {
    return T0.plusMillis((long) (m * 60_000));
  }

  /**
   * Three sessions: the first with every kind of event (known counts below), an idle one (no
   * records, 40 minutes), and a short third one.
   */
  @BeforeEach
  void writeAKnownLog() throws Exception {
    dir = tmp.resolve("decisions");
    log = new ReportLog(dir, T0.toString());
    log.add(register(min(0), CREDIT, RegisterEvent.Change.LOADED, RiskTier.HIGH))
        .add(policy(min(0), CREDIT, "p-1", boundary("large-loan", "1")))
        .add(decision(min(1), CREDIT, Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(min(1), CREDIT, Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(min(2), CREDIT, Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(min(2), FRAUD, Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(min(2), FRAUD, Verdict.ALLOW, Outcome.ALLOWED))
        .add(register(min(3), FRAUD, RegisterEvent.Change.LOADED, RiskTier.LIMITED));
    for (int i = 0; i < 4; i++) {
      log.add(approval(EventTypes.APPROVAL_REQUESTED, min(3), CREDIT, null, null, null));
    }
    log.add(approval(EventTypes.APPROVAL_GRANTED, min(4), CREDIT, R1, "APPROVED", "fine"))
        .add(approval(EventTypes.APPROVAL_GRANTED, min(4), CREDIT, R2, "APPROVED", "fine"))
        .add(decision(min(4), CREDIT, Verdict.REVIEW, Outcome.APPROVED))
        .add(decision(min(4), CREDIT, Verdict.REVIEW, Outcome.APPROVED))
        .add(approval(EventTypes.APPROVAL_REJECTED, min(5), CREDIT, R3, "REJECTED", "too risky"))
        .add(decision(min(5), CREDIT, Verdict.REVIEW, Outcome.REJECTED))
        .add(approval(EventTypes.APPROVAL_GRANTED, min(6), CREDIT, R1, "OVERRIDDEN", "smaller loan"))
        .add(decision(EventTypes.DECISION_OVERRIDDEN, min(6), UUID.randomUUID(), CREDIT, Verdict.REVIEW,
            Outcome.OVERRIDDEN, R1))
        .add(decision(min(6), CREDIT, Verdict.REVIEW, Outcome.OVERRIDDEN))
        .add(approval(EventTypes.APPROVAL_ESCALATED, min(7), CREDIT, null, null, null))
        .add(stop(min(8), CREDIT, true, OPS, "income feed <under> investigation & 'checks'"))
        // how ApprovalService withdraws a pending request when the stop switch is pressed
        .add(approval(EventTypes.APPROVAL_REJECTED, min(8), CREDIT, OPS, "CANCELLED",
            "income feed <under> investigation & 'checks'"))
        .add(decision(min(8), CREDIT, Verdict.REVIEW, Outcome.REFUSED))
        .add(stop(min(9), CREDIT, false, OPS, "feed checked"))
        .add(drift(min(10), CREDIT, "income", true))
        .add(drift(min(11), CREDIT, "income", false))
        .add(drift(min(12), CREDIT, "score", true))
        .add(register(min(13), CREDIT, RegisterEvent.Change.UPDATED, RiskTier.LIMITED))
        .add(policy(min(13), CREDIT, "p-2", boundary("large-loan", "2"), boundary("night-hours", "1")))
        .add(decision(min(14), CREDIT, Verdict.DENY, Outcome.DENIED))
        .add(approval(EventTypes.APPROVAL_EXPIRED, min(15), CREDIT, null, "EXPIRED", null))
        .add(decision(min(15), CREDIT, Verdict.REVIEW, Outcome.EXPIRED))
        .add(label(min(16), CREDIT, "recorded"))
        .add(label(min(16), CREDIT, "recorded"))
        .add(label(min(16), CREDIT, "duplicate"))
        .add(label(min(16), null, "unknown"));
    log.session(min(20), true);
    log.session(min(60), true); // idle: opened at +20, closed at +60 with nothing written
    log.add(decision(min(61), FRAUD, Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(min(62), CREDIT, Verdict.DENY, Outcome.DENIED));
    log.session(min(63), true);
  }

  EvidenceReport report() throws Exception {
    return EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).build();
  }

  @Test
  void everyFigureOfAHandMadeLogIsCounted() throws Exception {
    EvidenceReport r = report();

    assertThat(r.status()).isEqualTo(EvidenceReport.Status.VERIFIED);
    assertThat(r.records()).isEqualTo(log.written);
    assertThat(r.firstTs()).isEqualTo(min(0));
    assertThat(r.lastTs()).isEqualTo(min(62));
    assertThat(r.systems()).containsOnlyKeys(CREDIT, FRAUD);

    SystemFigures credit = r.system(CREDIT);
    assertThat(credit.decisions()).isEqualTo(11);
    assertThat(credit.byVerdict()).isEqualTo(Map.of("ALLOW", 3L, "REVIEW", 6L, "DENY", 2L));
    assertThat(credit.byOutcome()).isEqualTo(Map.of("ALLOWED", 3L, "APPROVED", 2L, "REJECTED", 1L, "OVERRIDDEN", 1L,
        "REFUSED", 1L, "DENIED", 2L, "EXPIRED", 1L));
    assertThat(credit.decisions("REVIEW", "APPROVED")).isEqualTo(2);
    assertThat(credit.interventions(SystemFigures.REVIEW_REQUESTED)).isEqualTo(4);
    assertThat(credit.interventions(SystemFigures.GRANTED)).isEqualTo(3);
    assertThat(credit.people(SystemFigures.GRANTED)).isEqualTo(2);
    assertThat(credit.interventions(SystemFigures.REJECTED)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.OVERRIDDEN)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.ESCALATED)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.EXPIRED)).isEqualTo(1);
    assertThat(credit.reviewers()).isEqualTo(3);
    assertThat(credit.stopsAndResumes()).extracting(SystemFigures.Press::stopped, SystemFigures.Press::actor,
        SystemFigures.Press::reason).containsExactly(
            org.assertj.core.groups.Tuple.tuple(true, "ops-admin", "income feed <under> investigation & 'checks'"),
            org.assertj.core.groups.Tuple.tuple(false, "ops-admin", "feed checked"));
    assertThat(credit.alarms()).containsOnlyKeys("income", "score");
    assertThat(credit.alarms().get("income")).extracting(SystemFigures.Alarm::raised, SystemFigures.Alarm::cleared,
        SystemFigures.Alarm::onAtEnd).containsExactly(1L, 1L, false);
    assertThat(credit.alarms().get("score").onAtEnd()).isTrue();
    assertThat(credit.changes()).extracting(SystemFigures.Change::summary).containsExactly(
        "LOADED: risk_tier HIGH; owner risk; purpose score loans; allowed_models [acme:scorer:2.1]; on_log_failure REFUSE",
        "version p-1: boundaries large-loan v1 (INPUT)",
        "UPDATED: on_log_failure REFUSE \u2192 CONTINUE; risk_tier HIGH \u2192 LIMITED",
        "version p-1 \u2192 p-2: large-loan v1 (INPUT) \u2192 v2 (INPUT); added night-hours v1 (INPUT)");
    assertThat(credit.outcomeLabels()).isEqualTo(Map.of("recorded", 2L, "duplicate", 1L));
    assertThat(r.otherEvents()).isEqualTo(Map.of("outcome.recorded (unknown, no system)", 1L));

    SystemFigures fraud = r.system(FRAUD);
    assertThat(fraud.decisions("ALLOW", "ALLOWED")).isEqualTo(3);
    assertThat(fraud.changes()).hasSize(1);
    assertThat(fraud.reviewers()).isZero();
  }

  @Test
  void aStopSwitchCancellationIsNotCountedAsARejection() throws Exception {
    SystemFigures credit = report().system(CREDIT);

    assertThat(credit.interventions(SystemFigures.REJECTED)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.CANCELLED_BY_STOP_SWITCH)).isEqualTo(1);
    assertThat(credit.people(SystemFigures.REJECTED)).isEqualTo(1);
    assertThat(credit.reviewers()).as("the admin who pressed stop is no reviewer").isEqualTo(3);
    assertThat(report().markdown()).contains("| rejected (approval.rejected) | 1 | 1 |")
        .contains("| withdrawn by the stop switch (not a rejection) | 1 | 1 |");
  }

  @Test
  void anApprovalCancelledEventIsAStopSwitchWithdrawalAndItsPresserIsNoReviewer() throws Exception {
    Path other = tmp.resolve("cancelled");
    ReportLog l = new ReportLog(other, T0.toString());
    l.add(approval(EventTypes.APPROVAL_REQUESTED, min(1), CREDIT, null, null, null))
        .add(approval(EventTypes.APPROVAL_COUNTED, min(2), CREDIT, R1, null, "fine by me"))
        .add(stop(min(3), CREDIT, true, OPS, "feed down"))
        .add(approval(EventTypes.APPROVAL_CANCELLED, min(3), CREDIT, OPS, "CANCELLED", "feed down"))
        .add(decision(min(3), CREDIT, Verdict.REVIEW, Outcome.REFUSED))
        .add(approval(EventTypes.APPROVAL_CANCELLED, min(4), CREDIT, null, "CANCELLED", "settled elsewhere"));
    l.session(min(5), true);

    EvidenceReport report = EvidenceReport.builder(other).publicKey(KEYS.getPublic()).build();
    SystemFigures credit = report.system(CREDIT);

    assertThat(credit.interventions(SystemFigures.CANCELLED_BY_STOP_SWITCH)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.CANCELLED_OTHER)).isEqualTo(1);
    assertThat(credit.interventions(SystemFigures.REJECTED)).isZero();
    assertThat(credit.interventions(EventTypes.APPROVAL_COUNTED)).isEqualTo(1);
    assertThat(credit.reviewers()).as("the reviewer whose vote counted, not the presser").isEqualTo(1);
    assertThat(report.markdown()).contains("| approval counted towards k (approval.counted) | 1 | 1 |")
        .contains("| withdrawn by the stop switch (not a rejection) | 1 | 1 |")
        .contains("(approval.cancelled; in older logs approval.rejected with resolution CANCELLED)");
  }

  @Test
  void idlePeriodsAndGapsAreFoundFromCheckpointsAndRecordTimes() throws Exception {
    EvidenceReport r = report();
    long emptyInTheLog = lines(onlySegment(dir)).stream()
        .filter(l -> l.contains("\"type\":\"log.checkpoint\"") && l.contains("\"count\":0,")).count();

    assertThat(emptyInTheLog).isPositive();
    assertThat(r.emptyCheckpoints()).isEqualTo(emptyInTheLog);
    EvidenceReport.IdleStretch longest = r.idleStretches().stream()
        .max(java.util.Comparator.comparing(EvidenceReport.IdleStretch::duration)).orElseThrow();
    assertThat(longest.from()).isEqualTo(min(20));
    assertThat(longest.to()).isEqualTo(min(60));
    assertThat(r.gaps()).singleElement().satisfies(g -> {
      assertThat(g.from()).isEqualTo(min(16));
      assertThat(g.to()).isEqualTo(min(61));
      assertThat(g.emptyCheckpoints()).isPositive();
    });
    assertThat(r.markdown()).contains("| idle periods | " + emptyInTheLog + " empty checkpoint(s) in 1 stretch(es);"
        + " longest 40 min, 2026-03-02T09:20:00.000000Z .. 2026-03-02T10:00:00.000000Z |")
        .contains("| gaps | 1 longer than the checkpoint interval; longest 45 min");
  }

  @Test
  void aForgedRecordNeverReachesTheTablesAndTheFailureComesFirst() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    int forged = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"outcome\":\"REJECTED\"")) {
        forged = i;
        break;
      }
    }
    // the one rejection becomes an approval by a system nobody registered, and the chain is recomputed from there
    lines.set(forged, lines.get(forged).replace("\"outcome\":\"REJECTED\"", "\"outcome\":\"APPROVED\"")
        .replace("\"system\":\"credit-scoring\"", "\"system\":\"forged-system\""));
    rehash(lines, forged);
    write(segment, lines);
    long lastGoodCheckpoint = -1;
    for (int i = 0; i < forged; i++) {
      if (lines.get(i).contains("\"type\":\"log.checkpoint\"")) {
        lastGoodCheckpoint = Long.parseLong(lines.get(i).replaceAll(".*\"seq\":(\\d+),.*", "$1"));
      }
    }

    EvidenceReport r = report();

    assertThat(r.status()).isEqualTo(EvidenceReport.Status.BROKEN);
    assertThat(r.verifiedThroughSeq()).isEqualTo(lastGoodCheckpoint).isPositive();
    assertThat(r.systems()).doesNotContainKey("forged-system");
    assertThat(r.system(CREDIT).byOutcome()).doesNotContainKey("REJECTED");
    assertThat(r.records()).isLessThan(log.written);
    assertThat(r.markdown()).startsWith("# Decision log evidence report\n\n> VERIFICATION FAILED at seq ")
        .contains("counts only the records up to seq " + lastGoodCheckpoint)
        .contains("(seq " + (lastGoodCheckpoint - 1) + ", the last record a verified checkpoint covers)")
        .doesNotContain("forged-system");
    assertThat(r.html()).doesNotContain("forged-system").contains("class=\"alert bad\">VERIFICATION FAILED");
  }

  @Test
  void withoutAKeyItSaysNotAuthenticatedAndNeverVerified() throws Exception {
    EvidenceReport r = EvidenceReport.of(dir, null);

    assertThat(r.status()).isEqualTo(EvidenceReport.Status.NOT_AUTHENTICATED);
    assertThat(r.passed()).isTrue();
    assertThat(r.markdown()).startsWith("# Decision log evidence report\n\n> NOT AUTHENTICATED: no public key")
        .contains("| key checked | not authenticated: no public key |")
        .contains("; signatures not checked")
        .doesNotContain("VERIFIED").doesNotContain("signatures checked: yes").doesNotContain("intact");
  }

  @Test
  void aKeyWithNoSignedCheckpointIsBrokenNotVerified() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    lines.removeIf(l -> l.contains("\"type\":\"log.checkpoint\""));
    for (int i = 0; i < lines.size(); i++) {
      lines.set(i, lines.get(i).replaceFirst("\"seq\":\\d+,", "\"seq\":" + (i + 1) + ","));
    }
    rehash(lines, 0);
    write(segment, lines);

    EvidenceReport r = report();

    assertThat(r.status()).isEqualTo(EvidenceReport.Status.BROKEN);
    assertThat(r.records()).isZero();
    assertThat(r.systems()).isEmpty();
    assertThat(r.markdown()).contains("VERIFICATION FAILED").contains("no signed checkpoint").doesNotContain("VERIFIED:");
    assertThat(EvidenceReport.of(dir, null).markdown()).contains("0 checkpoint(s) carry a signature that was not"
        + " checked, 0 are unsigned");
  }

  @Test
  void thePeriodFilterCountsOnlyRecordsInsideIt() throws Exception {
    EvidenceReport late = EvidenceReport.builder(dir).publicKey(KEYS.getPublic())
        .period(ReportPeriod.parse("2026-03-02T10:00:00Z", null)).build();

    assertThat(late.records()).isEqualTo(2);
    assertThat(late.outsidePeriod()).isEqualTo(log.written - 2);
    assertThat(late.firstTs()).isEqualTo(min(61));
    assertThat(late.system(CREDIT).decisions()).isEqualTo(1);
    assertThat(late.markdown()).contains("| period | 2026-03-02T10:00:00.000000Z to the end |");

    EvidenceReport early = EvidenceReport.builder(dir).publicKey(KEYS.getPublic())
        .period(ReportPeriod.parse("2026-03-02", "2026-03-02T09:02:00+00:00")).build();
    assertThat(early.records()).isEqualTo(4); // register, policy and two decisions at +0 and +1
    assertThat(early.lastTs()).isEqualTo(min(1));

    EvidenceReport day = EvidenceReport.builder(dir).publicKey(KEYS.getPublic())
        .period(ReportPeriod.parse("2026-03-02", "2026-03-02")).build();
    assertThat(day.records()).as("a date as --to includes that day").isEqualTo(log.written);
  }

  @Test
  void badPeriodsAreRefusedWithTheOptionNamed() {
    assertThatThrownBy(() -> ReportPeriod.parse("yesterday", null)).hasMessageContaining("--from must be an RFC 3339"
        + " instant (2026-03-02T09:00:00Z) or a date (2026-03-02), but was 'yesterday'");
    assertThatThrownBy(() -> ReportPeriod.parse(null, "2026-13-01")).hasMessageContaining("--to must be");
    assertThatThrownBy(() -> ReportPeriod.parse("2026-03-03", "2026-03-02T00:00:00Z"))
        .hasMessageContaining("must end after it begins");
  }

  @Test
  void itSaysWhenAndByWhichVersionItWasMadeAndWhichAnchorsWereChecked() throws Exception {
    Clock fixed = Clock.fixed(Instant.parse("2026-04-01T08:00:00Z"), ZoneOffset.UTC);
    EvidenceReport r = EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).clock(fixed).build();

    assertThat(EvidenceReport.aimsVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(r.markdown()).contains("| generated | 2026-04-01T08:00:00.000000Z by AIMS " + EvidenceReport.aimsVersion())
        .contains("| anchors checked | none: cutting records off the end after the last checkpoint cannot be detected")
        .contains("| key checked | key id " + dev.aims.logging.SigningKeys.keyId(KEYS.getPublic()) + " |")
        .contains("| last signed checkpoint | seq " + r.lastSignedCheckpoint().seq() + " at 2026-03-02T10:03:00.000000Z");
  }

  @Test
  void htmlEscapesWhatTheLogSaysAndStandsAlone() throws Exception {
    String html = report().html();

    assertThat(html).startsWith("<!doctype html>")
        .contains("income feed &lt;under&gt; investigation &amp; &#39;checks&#39;")
        .doesNotContain("<under>")
        .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script").doesNotContain("<link")
        .contains("<section class=\"system\" id=\"system-credit-scoring\">")
        .contains("<section class=\"system\" id=\"system-fraud-check\">");
    assertThat(report().markdown()).contains("income feed \\<under\\> investigation & 'checks'");
    assertThat(Files.exists(dir)).isTrue();
  }

  @Test
  void theTailAfterTheLastCheckpointIsCountedOnlyWithinTheSpacingItDeclares() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    String last = lines.remove(lines.size() - 1); // the closing checkpoint: the two records of session 3 are a tail
    assertThat(last).contains("log.checkpoint");
    write(segment, lines);

    EvidenceReport r = report();
    assertThat(r.status()).isEqualTo(EvidenceReport.Status.VERIFIED);
    assertThat(r.records()).isEqualTo(log.written);
    assertThat(r.markdown()).contains("except 2 record(s) after the last checkpoint")
        .contains("those are not signed yet, and anyone could have written them");
  }

  @Test
  void aTailLaterThanTheLastSignedCheckpointAllowsIsNotCounted() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    lines.remove(lines.size() - 1);
    // the tail's last record claims a time 2 hours after the last checkpoint (interval 10 min + 60 s margin)
    int i = lines.size() - 1;
    lines.set(i, lines.get(i).replace("2026-03-02T10:02:00.000000Z", "2026-03-02T12:02:00.000000Z"));
    rehash(lines, i);
    write(segment, lines);

    EvidenceReport r = report();
    assertThat(r.status()).isEqualTo(EvidenceReport.Status.BROKEN);
    assertThat(r.problem()).contains("seq 51 is the first not covered").contains("later than its checkpoint_interval_ms");
    assertThat(r.lastTs()).isBefore(min(61));
    assertThat(Duration.between(r.firstTs(), r.lastTs())).isEqualTo(Duration.ofMinutes(16));
  }
}
