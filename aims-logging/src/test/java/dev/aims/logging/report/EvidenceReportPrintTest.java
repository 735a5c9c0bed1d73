package dev.aims.logging.report;

import static dev.aims.logging.report.ReportLog.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Actor;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.RegisterEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report of a three-system log in headless Chromium, to a PNG (kept at
 * {@code target/evidence-report/evidence-report.png} for a look) and to a PDF, and checks the print
 * layout: a cover page, then one page per AI system.
 */
class EvidenceReportPrintTest {
  static final Path OUT = Path.of("target", "evidence-report");
  static final List<String> SYSTEMS = List.of("chat-triage", "credit-scoring", "fraud-check");

  @TempDir Path tmp;

  @Test
  void theHtmlReportPrintsACoverAndOnePagePerSystemInChromium() throws Exception {
    String chromium = chromium();
    Path dir = tmp.resolve("decisions");
    writeLog(dir);
    EvidenceReport report = EvidenceReport.builder(dir).publicKey(KEYS.getPublic()).build();
    assertThat(report.status()).isEqualTo(EvidenceReport.Status.VERIFIED);
    assertThat(report.systems()).containsOnlyKeys(SYSTEMS);
    Files.createDirectories(OUT);
    Path html = OUT.resolve("evidence-report.html");
    Files.writeString(html, report.html(), StandardCharsets.UTF_8);
    Path png = OUT.resolve("evidence-report.png");
    Path pdf = OUT.resolve("evidence-report.pdf");
    Files.deleteIfExists(png);
    Files.deleteIfExists(pdf);

    run(chromium, "--window-size=900,2600", "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(),
        html.toUri().toString());
    run(chromium, "--no-pdf-header-footer", "--print-to-pdf-no-header", "--print-to-pdf=" + pdf.toAbsolutePath(),
        html.toUri().toString());

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG that ImageIO decodes").isNotNull();
    assertThat(image.getWidth()).isGreaterThan(500);
    Set<Integer> colours = new HashSet<>();
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          inked++;
        }
      }
    }
    long sampled = (long) ((image.getWidth() + 1) / 2) * ((image.getHeight() + 1) / 2);
    assertThat(colours.size()).as("text, table stripes and the status banner").isGreaterThan(20);
    assertThat((double) inked / sampled).as("share of non-white pixels").isBetween(0.02, 0.9);

    String pdfText = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
    Matcher pages = Pattern.compile("/Type\\s*/Page(?![s\\w])").matcher(pdfText);
    int count = 0;
    while (pages.find()) {
      count++;
    }
    assertThat(count).as("a cover page and one page per system").isEqualTo(SYSTEMS.size() + 1);
  }

  /** Three systems written by FileDecisionLog: a busy one with every kind of oversight event, two quieter ones. */
  static void writeLog(Path dir) throws IOException {
    Instant t0 = Instant.parse("2026-03-02T08:00:00Z");
    ReportLog log = new ReportLog(dir, t0.toString());
    log.add(register(t0, "credit-scoring", RegisterEvent.Change.LOADED, RiskTier.HIGH))
        .add(policy(t0, "credit-scoring", "2026-03", boundary("large-loan", "1"), boundary("very-low-score", "1")))
        .add(register(t0, "fraud-check", RegisterEvent.Change.LOADED, RiskTier.LIMITED))
        .add(register(t0, "chat-triage", RegisterEvent.Change.LOADED, RiskTier.MINIMAL));
    Actor[] reviewers = {R1, R2, R3, new Actor("reviewer-4", "AIMS_REVIEWER")};
    Instant t = t0;
    for (int i = 0; i < 240; i++) {
      t = t.plusSeconds(7);
      if (i == 120) {
        log.add(stop(t, "credit-scoring", true, OPS, "income feed under investigation"))
            .add(approval(EventTypes.APPROVAL_REJECTED, t, "credit-scoring", OPS, "CANCELLED",
                "income feed under investigation"))
            .add(decision(t, "credit-scoring", Verdict.REVIEW, Outcome.REFUSED));
        t = t.plusSeconds(30);
        log.add(stop(t, "credit-scoring", false, OPS, "income feed checked and correct"));
      }
      if (i == 150) {
        log.add(drift(t, "credit-scoring", "income", true));
      }
      if (i == 200) {
        log.add(drift(t, "credit-scoring", "income", false)).add(drift(t, "fraud-check", "merchant_category", true));
      }
      Actor reviewer = reviewers[i % reviewers.length];
      switch (i % 8) {
        case 0, 1, 2 -> log.add(decision(t, "credit-scoring", Verdict.ALLOW, Outcome.ALLOWED));
        case 3 -> log.add(decision(t, "credit-scoring", Verdict.DENY, Outcome.DENIED));
        case 4 -> log.add(approval(EventTypes.APPROVAL_REQUESTED, t, "credit-scoring", null, null, null))
            .add(approval(EventTypes.APPROVAL_GRANTED, t, "credit-scoring", reviewer, "APPROVED", "affordable"))
            .add(decision(t, "credit-scoring", Verdict.REVIEW, Outcome.APPROVED));
        case 5 -> log.add(approval(EventTypes.APPROVAL_REQUESTED, t, "credit-scoring", null, null, null))
            .add(approval(EventTypes.APPROVAL_REJECTED, t, "credit-scoring", reviewer, "REJECTED", "too risky"))
            .add(decision(t, "credit-scoring", Verdict.REVIEW, Outcome.REJECTED));
        case 6 -> log.add(decision(t, "fraud-check", i % 16 == 6 ? Verdict.DENY : Verdict.ALLOW,
            i % 16 == 6 ? Outcome.DENIED : Outcome.ALLOWED));
        default -> log.add(decision(t, "chat-triage", Verdict.ALLOW, Outcome.ALLOWED));
      }
      if (i % 10 == 9) {
        log.add(label(t, "credit-scoring", i % 30 == 29 ? "duplicate" : "recorded"));
      }
    }
    log.add(register(t, "credit-scoring", RegisterEvent.Change.UPDATED, RiskTier.LIMITED))
        .add(policy(t, "credit-scoring", "2026-04", boundary("large-loan", "2"), boundary("very-low-score", "1")));
    log.session(t.plus(Duration.ofMinutes(2)), true);
    log.session(t.plus(Duration.ofMinutes(50)), true);
    Instant later = t.plus(Duration.ofMinutes(50));
    for (int i = 0; i < 6; i++) {
      log.add(decision(later.plusSeconds(i), SYSTEMS.get(i % 3), Verdict.ALLOW, Outcome.ALLOWED));
    }
    log.session(later.plus(Duration.ofMinutes(1)), true);
  }

  /** The Chromium to use, or the test is skipped (failed when AIMS_REQUIRE_TOOLS=true). */
  static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    String missing = "chromium is not installed (apt-get install chromium): the HTML report's print layout is not"
        + " checked";
    if ("true".equals(System.getenv("AIMS_REQUIRE_TOOLS"))) {
      throw new AssertionError(missing + ", and AIMS_REQUIRE_TOOLS=true requires it");
    }
    Assumptions.abort(missing);
    throw new AssertionError("unreachable");
  }

  private void run(String chromium, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--force-device-scale-factor=1", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium")));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(log));
    }
    assertThat(p.exitValue()).as("chromium exit; its output: %s", Files.readString(log)).isZero();
  }
}
