package dev.aims.logging.report;

import static dev.aims.logging.report.ReportLog.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Outcome;
import dev.aims.core.Verdict;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aims report} through the command line: exit codes, formats, options. */
class ReportCommandTest {
  @TempDir Path tmp;
  Path dir;
  Path publicKey;
  Path published;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeALog() throws Exception {
    dir = tmp.resolve("decisions");
    publicKey = tmp.resolve("aims.pub");
    published = tmp.resolve("published.jsonl");
    SigningKeys.writePublic(publicKey, KEYS.getPublic());
    ReportLog log = new ReportLog(dir, "2026-03-02T09:00:00Z");
    log.published = published;
    Instant t = Instant.parse("2026-03-02T09:00:00Z");
    for (int i = 0; i < 12; i++) {
      log.add(decision(t.plusSeconds(i), i % 3 == 0 ? "fraud-check" : "credit-scoring", Verdict.ALLOW,
          Outcome.ALLOWED));
    }
    log.session(t.plus(Duration.ofMinutes(1)), true);
  }

  int aims(String... args) {
    out.reset();
    err.reset();
    return AimsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aVerifiedLogExitsZeroWithMarkdownByDefault() {
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--checkpoints",
        published.toString())).isZero();
    assertThat(out()).startsWith("# Decision log evidence report\n\n> VERIFIED: every record counted here")
        .contains("| anchors checked | " + published + ": ").contains("found identically in the log")
        .contains("| credit-scoring | 8 | 8 |")
        .contains("| fraud-check | 4 | 4 |");
  }

  @Test
  void htmlIsAStandaloneDocument() {
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--format", "html")).as(err()).isZero();
    assertThat(out()).startsWith("<!doctype html>").contains("<style>").contains("@page")
        .contains("<h2>AI system: credit-scoring</h2>").endsWith("</html>\n");
  }

  @Test
  void aTamperedLogExitsOneAndTheReportSaysSoFirst() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    lines.set(3, lines.get(3).replace("\"verdict\":\"ALLOW\"", "\"verdict\":\"DENY\""));
    write(segment, lines);

    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString())).isEqualTo(1);
    assertThat(out()).startsWith("# Decision log evidence report\n\n> VERIFICATION FAILED at seq 4:")
        .doesNotContain("DENY");
  }

  @Test
  void cuttingTheTailIsFoundThroughThePublishedCheckpoints() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    // seq 1 is the checkpoint the log opened with, seq 7 the next (every 5 records): the log now ends right
    // after seq 7, and one record of the next window
    assertThat(lines.get(6)).contains("log.checkpoint");
    write(segment, lines.subList(0, 8));

    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--checkpoints",
        published.toString())).isEqualTo(1);
    assertThat(out()).contains("VERIFICATION FAILED").contains("records were cut off")
        .contains("counts only the records up to seq 7");
  }

  @Test
  void usageAndInputErrorsExitTwoWithAClearMessage() {
    assertThat(aims("report", dir.toString(), "--from", "last tuesday")).isEqualTo(2);
    assertThat(err()).contains("--from must be an RFC 3339 instant (2026-03-02T09:00:00Z) or a date (2026-03-02),"
        + " but was 'last tuesday'");
    assertThat(aims("report", dir.toString(), "--to", "2026-02-30")).isEqualTo(2);
    assertThat(err()).contains("--to must be");
    assertThat(aims("report", dir.toString(), "--from", "2026-03-03", "--to", "2026-03-02T00:00:00Z")).isEqualTo(2);
    assertThat(err()).contains("must end after it begins");
    assertThat(aims("report", dir.toString(), "--format", "pdf")).isEqualTo(2);
    assertThat(aims("report", tmp.resolve("missing").toString())).isEqualTo(2);
    assertThat(err()).contains("no such file");
    assertThat(aims("report", dir.toString(), "--colour", "red")).isEqualTo(2);
    assertThat(aims("report")).isEqualTo(2);
    assertThat(out()).isEmpty();
  }

  @Test
  void helpExitsZeroWithTheUsage() {
    assertThat(aims("report", "--help")).isZero();
    assertThat(out()).contains("aims report <log-dir> [--public-key <file>] [--checkpoints <file>]... [--format"
        + " markdown|html|json]").contains("[--from <instant-or-date>] [--to <instant-or-date>]");
  }

  @Test
  void thePeriodOptionsFilterTheCounts() {
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--from",
        "2026-03-02T09:00:20Z", "--to", "2026-03-02T10:30:00+01:00")).isZero();
    assertThat(out()).contains("| records counted | 0").contains("12 verified record(s) outside the period");
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--from",
        "2026-03-02T09:00:06Z")).isZero();
    assertThat(out()).contains("| records counted | 6 (seq ");
  }

  @Test
  void withAFrameworkItWritesTheStatementOfApplicabilityAsJsonMarkdownOrHtml() throws Exception {
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--framework", "eu-ai-act",
        "--format", "json")).isZero();
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out());
    assertThat(json.path("framework").asText()).isEqualTo("eu-ai-act");
    assertThat(json.at("/controls/3/id").asText()).isEqualTo("Art. 12");
    assertThat(json.at("/controls/3/status").asText()).isEqualTo("in effect");
    assertThat(json.at("/controls/3/evidence/1/records").asInt()).isEqualTo(12);

    assertThat(aims("report", dir.toString(), "--framework", "iso42001")).isZero();
    assertThat(out()).startsWith("# Statement of applicability: ISO/IEC 42001").contains("| A.6.2.8 |");
    assertThat(aims("report", dir.toString(), "--framework", "iso42001", "--format", "html")).isZero();
    assertThat(out()).startsWith("<!doctype html>").contains("<th scope=\"row\">A.6.2.8</th>");
  }

  @Test
  void anUnknownFrameworkOrJsonWithoutAFrameworkIsAUsageError() {
    assertThat(aims("report", dir.toString(), "--framework", "sox")).isEqualTo(2);
    assertThat(err()).contains("aims: --framework: unknown framework 'sox': one of iso42001, eu-ai-act");
    assertThat(aims("report", dir.toString(), "--format", "json")).isEqualTo(2);
    assertThat(err()).contains("aims: --format json goes with --framework");
  }
}
