package dev.aims.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.event.EventTypes;
import dev.aims.logging.report.ControlMapping;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart validates its model, opens and closes one incident and writes the evidence packs;
 * docs/compliance.md shows those packs as this build made them. After an intended change, run with
 * {@code -Daims.updateDocs=true} to rewrite the doc's generated sections, and review the diff.
 */
class QuickstartComplianceTest {
  static final Path DOC = Path.of("../docs/compliance.md");
  private static Quickstart.Summary summary;
  private static Path logDir;

  @TempDir static Path tmp;

  @BeforeAll
  static void runDemo() throws Exception {
    logDir = tmp.resolve("decisions");
    try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      summary = Quickstart.run(out, Quickstart.APPLICANTS, Quickstart.SEED, logDir);
    }
  }

  @Test
  void theQuickstartOpensAndClosesOneIncidentAndItsRegisterEntryCitesAPassingValidation() throws Exception {
    Map<String, Long> types = summary.logEventTypes();
    assertThat(types).containsEntry(EventTypes.INCIDENT_OPENED, 1L).containsEntry(EventTypes.INCIDENT_CLASSIFIED, 1L)
        .containsEntry(EventTypes.INCIDENT_CLOSED, 1L);
    String pack = Files.readString(Quickstart.evidencePack(logDir, "iso42001"));
    assertThat(pack).contains("validation_records: 1 cited by verified register entries, 1 passed")
        .contains("| A.8.4 |").contains("incident.opened: 1 (seq ");
    assertThat(Quickstart.goldenSuite().run(Quickstart.SCORER, Quickstart.artefactDigest(), "ml-lead",
        java.time.Clock.systemUTC(), a -> new CreditModel().score(a).recommendation()).passed()).isTrue();
  }

  @Test
  void docsComplianceShowsThePacksThisBuildGenerates() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String updated = doc;
    for (String framework : ControlMapping.BUILT_IN) {
      String pack = normalise(Files.readString(Quickstart.evidencePack(logDir, framework), StandardCharsets.UTF_8));
      String start = "<!-- generated: evidence pack " + framework + " -->\n";
      String end = "<!-- end of generated pack -->";
      int from = updated.indexOf(start);
      int to = updated.indexOf(end, from);
      assertThat(from).as("marker %s in %s", start.trim(), DOC).isNotNegative();
      updated = updated.substring(0, from + start.length()) + "\n" + shiftHeadings(pack) + "\n" + updated.substring(to);
    }
    if (Boolean.getBoolean("aims.updateDocs")) {
      Files.writeString(DOC, updated, StandardCharsets.UTF_8);
    }
    assertThat(doc).as("docs/compliance.md is not what the build generates; rerun with -Daims.updateDocs=true")
        .isEqualTo(updated);
  }

  /** What differs run to run: the fresh signing key (its id, and so the checkpoint heads), the temp path, the version. */
  private static String normalise(String pack) {
    return pack.replace(logDir.toString(), "aims-data/decisions")
        .replaceAll("key id [0-9a-f]{16}", "key id <fresh key>")
        .replaceAll("[0-9a-f]{64}", "<head>")
        .replace(tmp.toString(), "aims-data")
        .replaceAll("by AIMS \\S+", "by AIMS <version>");
  }

  private static String shiftHeadings(String md) {
    return String.join("\n", md.lines().map(l -> l.startsWith("# ") ? "##" + l.substring(1) : l).toList());
  }
}
