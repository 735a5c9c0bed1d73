package dev.aims.logging.report;

import static dev.aims.logging.report.ReportLog.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.AiSystem;
import dev.aims.core.ModelValidation;
import dev.aims.core.RiskTier;
import dev.aims.core.SystemCard;
import dev.aims.core.ValidationGate;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.IncidentEvent;
import dev.aims.core.event.RegisterEvent;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register and incidents as evidence: system cards from the verified log, and the pack citing them. */
class SystemCardsTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void writeALogWithACardAValidationAndAnIncident() throws Exception {
    dir = tmp.resolve("decisions");
    ModelValidation passed = ModelValidation.of("loan-golden-v1", MODEL, DIGEST, Map.of("accuracy", 0.97),
        Map.of("accuracy", 0.95), "ml-lead", T0.minusSeconds(3600));
    AiSystem credit = AiSystem.builder("credit").owner("risk-team").purpose("score loans").riskTier(RiskTier.HIGH)
        .allowModel(MODEL, DIGEST).validation(passed).validationGate(ValidationGate.REFUSE)
        .card(new SystemCard("pre-screen consumer loans", List.of("income", "amount"), List.of("score"),
            List.of("loan applicants"), "a credit officer reviews loans above 50 000 EUR", "DPIA-2026-07",
            Instant.parse("2026-01-15T00:00:00Z")))
        .build();
    UUID incident = UUID.randomUUID();
    ReportLog log = new ReportLog(dir, T0.toString());
    log.add(new RegisterEvent(T0, "credit", RegisterEvent.Change.LOADED, credit))
        .add(decision(T0.plusSeconds(1), "credit", dev.aims.core.Verdict.ALLOW, dev.aims.core.Outcome.ALLOWED))
        .add(new IncidentEvent(EventTypes.INCIDENT_OPENED, T0.plusSeconds(2), incident, "credit", "HARMFUL_OUTPUT",
            OPS, Map.of("summary", "rude answer")))
        .add(new IncidentEvent(EventTypes.INCIDENT_CLOSED, T0.plusSeconds(3), incident, "credit", "HARMFUL_OUTPUT",
            OPS, Map.of("corrective_action", "prompt fixed")));
    log.session(T0.plusSeconds(10), true);
  }

  EvidenceReport report() throws Exception {
    return EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).build();
  }

  @Test
  void theCardShowsEveryRegisterFieldAsTheVerifiedLogRecordedIt() throws Exception {
    String md = SystemCards.of(report(), null).markdown();

    assertThat(md).contains("| owner | risk-team |").contains("| risk tier | HIGH |")
        .contains("| intended use | pre-screen consumer loans |")
        .contains("| models | acme:scorer:2.1 (" + DIGEST + ") |")
        .contains("| data inputs | income, amount |").contains("| data outputs | score |")
        .contains("| affected persons | loan applicants |")
        .contains("| oversight | a credit officer reviews loans above 50 000 EUR |")
        .contains("| review cadence | 365 days; last reviewed 2026-01-15T00:00:00.000000Z |")
        .contains("| impact assessment | DPIA-2026-07 |")
        .contains("loan-golden-v1 on scorer@2.1: passed {\"accuracy\":0.97}, approved by ml-lead")
        .contains("| validation gate | REFUSE |");
    assertThat(new ObjectMapper().readTree(SystemCards.of(report(), "credit").json())
        .at("/systems/credit/card/impact_assessment").asText()).isEqualTo("DPIA-2026-07");
  }

  @Test
  void thePackCitesTheValidationRecordsAndTheIncidentSteps() throws Exception {
    CompliancePack iso = CompliancePack.of(report(), ControlMapping.builtIn("iso42001"));
    CompliancePack act = CompliancePack.of(report(), ControlMapping.builtIn("eu-ai-act"));

    assertThat(iso.row("A.6.2.4").status()).isEqualTo(CompliancePack.Status.PARTLY);
    assertThat(iso.row("A.6.2.4").settings()).containsEntry("validation_records",
        "1 cited by verified register entries, 1 passed");
    assertThat(iso.row("A.8.4").evidence()).contains(
        new EvidenceReport.TypeEvidence(EventTypes.INCIDENT_OPENED, 1, 4, 4),
        new EvidenceReport.TypeEvidence(EventTypes.INCIDENT_CLOSED, 1, 5, 5));
    assertThat(act.row("Art. 73").status()).isEqualTo(CompliancePack.Status.PARTLY);
  }

  @Test
  void registerExportWritesTheCardsAndRefusesAnUnknownSystem() throws Exception {
    Path key = tmp.resolve("aims.pub");
    SigningKeys.writePublic(key, KEYS.getPublic());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    assertThat(AimsCommand.run(new String[] {"register", "export", dir.toString(), "--public-key", key.toString(),
        "--format", "json"}, o, e)).isZero();
    assertThat(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).at("/verification").asText())
        .isEqualTo("VERIFIED");
    assertThat(AimsCommand.run(new String[] {"register", "export", dir.toString(), "--system", "nope"}, o, e))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("aims: --system: the verified log has no register entry of system 'nope' (entries: [credit])");
    assertThat(AimsCommand.run(new String[] {"register", "import", dir.toString()}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("aims: register takes the subcommand export");
  }
}
