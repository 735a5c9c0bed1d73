package dev.aims.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A short evidence summary an auditor can read: per AI system, decisions by verdict and outcome,
 * human approvals, rejections and overrides with how many reviewers made them, plus the log's
 * checkpoints, verification result and the time it covers. As Markdown or HTML.
 */
public final class EvidenceReport {
  /** Figures for one AI system. */
  public static final class SystemFigures {
    public final Map<String, Long> byVerdict = new TreeMap<>();
    public final Map<String, Long> byOutcome = new TreeMap<>();
    public long approvals;
    public long rejections;
    public long overrides;
    public long expiries;
    final Set<String> reviewers = new HashSet<>();

    public int reviewerCount() {
      return reviewers.size();
    }
  }

  private final Path dir;
  private final VerificationReport verification;
  private final Map<String, SystemFigures> systems;

  private EvidenceReport(Path dir, VerificationReport verification, Map<String, SystemFigures> systems) {
    this.dir = dir;
    this.verification = verification;
    this.systems = systems;
  }

  public static EvidenceReport of(Path dir, @Nullable PublicKey key) throws IOException {
    VerificationReport verification = LogVerifier.verify(dir, key);
    Map<String, SystemFigures> systems = new TreeMap<>();
    try (Stream<ObjectNode> events = LogReader.of(dir).stream()) {
      events.forEach(e -> {
        String system = e.path("system").asText(null);
        if (system == null) {
          return;
        }
        SystemFigures f = systems.computeIfAbsent(system, s -> new SystemFigures());
        switch (e.path("type").asText()) {
          case "decision.final" -> {
            f.byVerdict.merge(e.path("verdict").asText(), 1L, Long::sum);
            f.byOutcome.merge(e.path("outcome").asText(), 1L, Long::sum);
          }
          case "approval.granted" -> {
            f.approvals++;
            f.reviewers.add(e.path("actor").path("id").asText());
          }
          case "approval.rejected" -> {
            f.rejections++;
            f.reviewers.add(e.path("actor").path("id").asText());
          }
          case "approval.expired" -> f.expiries++;
          case "decision.overridden" -> f.overrides++;
          default -> { }
        }
      });
    }
    return new EvidenceReport(dir, verification, systems);
  }

  public VerificationReport verification() {
    return verification;
  }

  public Map<String, SystemFigures> systems() {
    return systems;
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Decision log evidence: ").append(dir).append("\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "verification", verification.intact() ? "intact" : "FAILED: " + verification.problem());
    row(md, "signatures checked", verification.signaturesChecked() ? "yes" : "no (no public key given)");
    row(md, "records", String.valueOf(verification.records()));
    row(md, "checkpoints", String.valueOf(verification.checkpoints()));
    row(md, "seq", verification.firstSeq() + " .. " + verification.lastSeq());
    row(md, "time covered", verification.firstTs() + " .. " + verification.lastTs());
    for (String note : verification.notes()) {
      row(md, "note", note);
    }
    md.append("\n## Decisions by AI system\n\n");
    md.append("| system | by verdict | by outcome | approvals | rejections | overrides | expiries | reviewers |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, SystemFigures> e : systems.entrySet()) {
      SystemFigures f = e.getValue();
      md.append("| ").append(e.getKey()).append(" | ").append(counts(f.byVerdict)).append(" | ")
          .append(counts(f.byOutcome)).append(" | ").append(f.approvals).append(" | ").append(f.rejections)
          .append(" | ").append(f.overrides).append(" | ").append(f.expiries).append(" | ")
          .append(f.reviewerCount()).append(" |\n");
    }
    return md.toString();
  }

  public String html() {
    StringBuilder h = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Decision log evidence</title></head><body>\n");
    h.append("<h1>Decision log evidence: ").append(esc(dir.toString())).append("</h1>\n<table>\n");
    hrow(h, "verification", verification.intact() ? "intact" : "FAILED: " + verification.problem());
    hrow(h, "signatures checked", verification.signaturesChecked() ? "yes" : "no (no public key given)");
    hrow(h, "records", String.valueOf(verification.records()));
    hrow(h, "checkpoints", String.valueOf(verification.checkpoints()));
    hrow(h, "time covered", verification.firstTs() + " .. " + verification.lastTs());
    for (String note : verification.notes()) {
      hrow(h, "note", note);
    }
    h.append("</table>\n<h2>Decisions by AI system</h2>\n<table>\n<tr><th scope=\"col\">system</th>"
        + "<th scope=\"col\">by verdict</th><th scope=\"col\">by outcome</th><th scope=\"col\">approvals</th>"
        + "<th scope=\"col\">rejections</th><th scope=\"col\">overrides</th><th scope=\"col\">expiries</th>"
        + "<th scope=\"col\">reviewers</th></tr>\n");
    for (Map.Entry<String, SystemFigures> e : systems.entrySet()) {
      SystemFigures f = e.getValue();
      h.append("<tr><th scope=\"row\">").append(esc(e.getKey())).append("</th><td>").append(esc(counts(f.byVerdict)))
          .append("</td><td>").append(esc(counts(f.byOutcome))).append("</td><td>").append(f.approvals)
          .append("</td><td>").append(f.rejections).append("</td><td>").append(f.overrides).append("</td><td>")
          .append(f.expiries).append("</td><td>").append(f.reviewerCount()).append("</td></tr>\n");
    }
    return h.append("</table>\n</body></html>\n").toString();
  }

  private static String counts(Map<String, Long> m) {
    StringBuilder s = new StringBuilder();
    m.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return s.toString();
  }

  private static void row(StringBuilder md, String k, String v) {
    md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
  }

  private static void hrow(StringBuilder h, String k, String v) {
    h.append("<tr><th scope=\"row\">").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
