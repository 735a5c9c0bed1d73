package dev.aims.logging.report;

import static dev.aims.logging.report.ReportLog.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.RegisterEvent;
import dev.aims.logging.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompliancePackTest {
  static final Path FIXTURE = Path.of("src/test/resources/v1-log");
  static final Path GOLDEN = Path.of("src/test/resources/compliance");
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-04-01T12:00:00Z"), ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path tmp;

  static CompliancePack fixturePack(String framework) throws Exception {
    EvidenceReport report = EvidenceReport.builder(FIXTURE.resolve("decisions"))
        .publicKey(SigningKeys.readPublic(FIXTURE.resolve("aims.pub")))
        .checkpoints(FIXTURE.resolve("published-checkpoints.jsonl")).clock(FIXED).build();
    return CompliancePack.of(report, ControlMapping.builtIn(framework));
  }

  /**
   * The packs of the committed fixture log match the committed golden files. After an intended change,
   * regenerate with {@code -Daims.updateGolden=true} and review the diff.
   */
  @Test
  void thePacksOfTheFixtureLogMatchTheGoldenFiles() throws Exception {
    for (String framework : ControlMapping.BUILT_IN) {
      CompliancePack pack = fixturePack(framework);
      golden(framework + ".md", pack.markdown());
      golden(framework + ".json", pack.json());
    }
  }

  @Test
  void theFixturePackCitesSeqRangesCountsAndTheSignedHead() throws Exception {
    CompliancePack pack = fixturePack("iso42001");

    assertThat(pack.report().status()).isEqualTo(EvidenceReport.Status.VERIFIED);
    CompliancePack.Row logging = pack.row("A.6.2.8");
    assertThat(logging.status()).isEqualTo(CompliancePack.Status.IN_EFFECT);
    assertThat(logging.evidence()).contains(new EvidenceReport.TypeEvidence(EventTypes.DECISION_FINAL, 10, 3, 14));
    assertThat(logging.settings().get("signed_checkpoints")).startsWith("verified with key id d6d37911d08a3cdf");
    // no approval in the fixture: the oversight control is covered by AIMS but has nothing to show
    assertThat(pack.row("A.9.2").status()).isEqualTo(CompliancePack.Status.NO_RECORDS);
    assertThat(pack.row("A.2.2").status()).isEqualTo(CompliancePack.Status.NOT_COVERED);
    JsonNode json = new ObjectMapper().readTree(pack.json());
    assertThat(json.at("/verification/last_signed_checkpoint/head").asText())
        .isEqualTo(pack.report().lastSignedCheckpoint().head());
    assertThat(pack.html()).startsWith("<!doctype html>").contains("<th scope=\"row\">A.6.2.8</th>").doesNotContain("<script");
  }

  @Test
  void aTamperedDecisionTurnsTheControlsCitingDecisionsToBrokenAndLeavesTheOthers() throws Exception {
    Path dir = tmp.resolve("decisions");
    ReportLog log = new ReportLog(dir, T0.toString());
    log.add(register(T0, "credit", RegisterEvent.Change.LOADED, RiskTier.HIGH))
        .add(decision(T0.plusSeconds(1), "credit", Verdict.REVIEW, Outcome.APPROVED))
        .add(approval(EventTypes.APPROVAL_REQUESTED, T0.plusSeconds(1), "credit", null, null, null))
        .add(approval(EventTypes.APPROVAL_GRANTED, T0.plusSeconds(2), "credit", R1, "APPROVED", "fine"))
        .add(drift(T0.plusSeconds(3), "credit", "income", true));
    log.session(T0.plusSeconds(10), true);
    log.add(decision(T0.plusSeconds(11), "credit", Verdict.ALLOW, Outcome.ALLOWED))
        .add(decision(T0.plusSeconds(12), "credit", Verdict.ALLOW, Outcome.ALLOWED));
    log.session(T0.plusSeconds(20), true);
    EvidenceReport intact = EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).clock(FIXED).build();
    assertThat(CompliancePack.of(intact, ControlMapping.builtIn("iso42001")).row("A.6.2.8").status())
        .isEqualTo(CompliancePack.Status.IN_EFFECT);

    // the last decision of the second session says DENIED, and the chain is recomputed from there
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    int forged = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"outcome\":\"ALLOWED\"")) {
        forged = i;
      }
    }
    lines.set(forged, lines.get(forged).replace("\"outcome\":\"ALLOWED\"", "\"outcome\":\"DENIED\""));
    rehash(lines, forged);
    write(segment, lines);

    EvidenceReport report = EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).clock(FIXED).build();
    CompliancePack iso = CompliancePack.of(report, ControlMapping.builtIn("iso42001"));
    CompliancePack act = CompliancePack.of(report, ControlMapping.builtIn("eu-ai-act"));

    assertThat(report.status()).isEqualTo(EvidenceReport.Status.BROKEN);
    for (String control : List.of("A.6.2.8", "A.9.4")) {
      assertThat(iso.row(control).status()).as(control).isEqualTo(CompliancePack.Status.EVIDENCE_BROKEN);
      assertThat(iso.row(control).reason()).contains("decision.final at seq ").contains("did not verify");
    }
    assertThat(act.row("Art. 12").status()).isEqualTo(CompliancePack.Status.EVIDENCE_BROKEN);
    // approvals, drift and register records all lie in the verified first session
    assertThat(iso.row("A.9.2").status()).isEqualTo(CompliancePack.Status.IN_EFFECT);
    assertThat(iso.row("A.6.2.6").status()).isEqualTo(CompliancePack.Status.IN_EFFECT);
    assertThat(iso.row("A.6.2.5").status()).isEqualTo(CompliancePack.Status.PARTLY);
    assertThat(act.row("Art. 14").status()).isEqualTo(CompliancePack.Status.IN_EFFECT);
    assertThat(iso.markdown()).contains("VERIFICATION FAILED").contains("evidence broken: decision.final at seq");
    assertThat(new ObjectMapper().readTree(iso.json()).at("/verification/status").asText()).isEqualTo("BROKEN");
  }

  @Test
  void anUnreadableLineAfterTheVerifiedPartBreaksEveryControlThatCitesRecords() throws Exception {
    Path dir = tmp.resolve("decisions");
    ReportLog log = new ReportLog(dir, T0.toString());
    log.add(approval(EventTypes.APPROVAL_GRANTED, T0.plusSeconds(2), "credit", R1, "APPROVED", "fine"));
    log.session(T0.plusSeconds(10), true);
    Path segment = onlySegment(dir);
    Files.writeString(segment, "{not json\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    CompliancePack pack = CompliancePack.of(EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).build(),
        ControlMapping.builtIn("iso42001"));

    assertThat(pack.rows()).filteredOn(r -> !r.control().eventTypes().isEmpty()
        && r.control().coverage() != ControlMapping.Coverage.NOT_COVERED)
        .isNotEmpty().allMatch(r -> r.status() == CompliancePack.Status.EVIDENCE_BROKEN);
  }

  @Test
  void recordsCutOffTheEndBreakEveryControlThatCitesRecordsSinceWhatWasLostIsUnknown() throws Exception {
    Path dir = tmp.resolve("decisions");
    ReportLog log = new ReportLog(dir, T0.toString());
    log.published = tmp.resolve("published.jsonl");
    log.add(approval(EventTypes.APPROVAL_GRANTED, T0.plusSeconds(1), "credit", R1, "APPROVED", "fine"));
    log.session(T0.plusSeconds(10), true);
    int kept = lines(onlySegment(dir)).size();
    log.add(drift(T0.plusSeconds(11), "credit", "income", true));
    log.session(T0.plusSeconds(20), true);
    Path segment = onlySegment(dir);
    write(segment, lines(segment).subList(0, kept));

    EvidenceReport report = EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).checkpoints(log.published)
        .clock(FIXED).build();
    CompliancePack pack = CompliancePack.of(report, ControlMapping.builtIn("iso42001"));

    assertThat(report.status()).isEqualTo(EvidenceReport.Status.BROKEN);
    assertThat(pack.rows()).filteredOn(r -> !r.control().eventTypes().isEmpty()
        && r.control().coverage() != ControlMapping.Coverage.NOT_COVERED)
        .isNotEmpty().allSatisfy(r -> {
          assertThat(r.status()).isEqualTo(CompliancePack.Status.EVIDENCE_BROKEN);
          assertThat(r.reason()).startsWith("an unreadable or missing record after seq ");
        });
  }

  private static void golden(String name, String actual) throws Exception {
    String normalised = actual.replace("by AIMS " + EvidenceReport.aimsVersion(), "by AIMS <version>")
        .replace("\"aims_version\" : \"" + EvidenceReport.aimsVersion() + "\"", "\"aims_version\" : \"<version>\"");
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("aims.updateGolden")) {
      Files.writeString(file, normalised, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(file)).as("golden file %s (create it with -Daims.updateGolden=true)", file).isTrue();
    assertThat(normalised).as("pack %s", name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
