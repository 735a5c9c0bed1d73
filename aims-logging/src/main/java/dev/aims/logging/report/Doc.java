package dev.aims.logging.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The report as a few kinds of block, so that Markdown and HTML say exactly the same: the content
 * is decided once, in {@link EvidenceReport}, and each format only renders it.
 */
final class Doc {
  private static final java.util.regex.Pattern TIMESTAMP =
      java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

  sealed interface Block permits Heading, Text, Facts, Table, NewSystem {}

  /** A heading; {@code level} 1 is the title. */
  record Heading(int level, String text) implements Block {}

  /** A paragraph; {@code alert} is its tone: "ok", "warn", "bad", "foot" (HTML only) or "" for plain text. */
  record Text(String text, String alert) implements Block {}

  /** Name and value pairs. */
  record Facts(List<String[]> rows) implements Block {}

  /** A table; columns whose header is in {@code numeric} are right-aligned. */
  record Table(List<String> header, List<List<String>> rows, List<String> numeric) implements Block {}

  /** One AI system's part begins: a new page in print. */
  record NewSystem(String system) implements Block {}

  final List<Block> blocks = new ArrayList<>();

  Doc heading(int level, String text) {
    blocks.add(new Heading(level, text));
    return this;
  }

  Doc text(String text) {
    blocks.add(new Text(text, ""));
    return this;
  }

  /** A line under a system's part in print (date, log, status), so a single page still says where it is from. */
  Doc footer(String text) {
    blocks.add(new Text(text, "foot"));
    return this;
  }

  Doc alert(String tone, String text) {
    blocks.add(new Text(text, tone));
    return this;
  }

  Doc add(Block b) {
    blocks.add(b);
    return this;
  }

  // ---- Markdown --------------------------------------------------------------------------------

  String markdown() {
    StringBuilder md = new StringBuilder();
    for (Block b : blocks) {
      if (b instanceof Heading h) {
        md.append("#".repeat(h.level())).append(' ').append(mdText(h.text())).append("\n\n");
      } else if (b instanceof Text t) {
        if (!t.alert().equals("foot")) {
          md.append(t.alert().isEmpty() ? "" : "> ").append(mdText(t.text())).append("\n\n");
        }
      } else if (b instanceof Facts f) {
        md.append("| | |\n|---|---|\n");
        for (String[] r : f.rows()) {
          md.append("| ").append(cell(r[0])).append(" | ").append(cell(r[1])).append(" |\n");
        }
        md.append('\n');
      } else if (b instanceof Table t) {
        md.append('|');
        t.header().forEach(h -> md.append(' ').append(cell(h)).append(" |"));
        md.append("\n|");
        t.header().forEach(h -> md.append(t.numeric().contains(h) ? "---:|" : "---|"));
        md.append('\n');
        for (List<String> r : t.rows()) {
          md.append('|');
          r.forEach(c -> md.append(' ').append(cell(c)).append(" |"));
          md.append('\n');
        }
        md.append('\n');
      } else if (b instanceof NewSystem) {
        md.append("---\n\n");
      }
    }
    return md.toString();
  }

  /** Markdown table cell: no line breaks, pipes and markup escaped. */
  private static String cell(String s) {
    return mdText(s).replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  private static String mdText(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\`*[]<>".indexOf(c) >= 0 || c == '#' && i == 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  // ---- HTML ------------------------------------------------------------------------------------

  String html(String title) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
        .append("</title>\n<style>\n").append(CSS).append("</style>\n</head><body>\n<section class=\"cover\">\n");
    for (Block b : blocks) {
      if (b instanceof Heading x) {
        h.append("<h").append(x.level()).append('>').append(esc(x.text())).append("</h")
            .append(x.level()).append(">\n");
      } else if (b instanceof Text t) {
        if (t.alert().equals("foot")) {
          h.append("<footer>").append(inline(t.text())).append("</footer>\n");
        } else {
          h.append(t.alert().isEmpty() ? "<p>" : "<p class=\"alert " + t.alert() + "\">")
              .append(inline(t.text())).append("</p>\n");
        }
      } else if (b instanceof Facts f) {
        h.append("<table class=\"facts\">\n");
        for (String[] r : f.rows()) {
          h.append("<tr><th scope=\"row\">").append(esc(r[0])).append("</th><td>").append(inline(r[1]))
              .append("</td></tr>\n");
        }
        h.append("</table>\n");
      } else if (b instanceof Table t) {
        h.append("<table class=\"grid\">\n<thead><tr>");
        for (String c : t.header()) {
          h.append("<th scope=\"col\"").append(t.numeric().contains(c) ? " class=\"n\"" : "").append('>')
              .append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows()) {
          h.append(r.get(0).equals("total") ? "<tr class=\"total\">" : "<tr>");
          for (int i = 0; i < r.size(); i++) {
            boolean num = i < t.header().size() && t.numeric().contains(t.header().get(i));
            String cls = num ? " class=\"n\"" : TIMESTAMP.matcher(r.get(i)).matches() ? " class=\"t\"" : "";
            h.append(i == 0 ? "<th scope=\"row\"" : "<td").append(cls).append('>')
                .append(esc(r.get(i))).append(i == 0 ? "</th>" : "</td>");
          }
          h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
      } else if (b instanceof NewSystem s) {
        h.append("</section>\n<section class=\"system\" id=\"system-")
            .append(esc(s.system().replaceAll("[^A-Za-z0-9_-]", "_"))).append("\">\n");
      }
    }
    return h.append("</section>\n</body></html>\n").toString();
  }

  /** Escaped, with timestamps kept on one line. */
  private static String inline(String s) {
    return TIMESTAMP.matcher(esc(s)).replaceAll("<span class=\"t\">$0</span>");
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Embedded, so the file stands alone: no fonts, scripts or images from anywhere else. */
  private static final String CSS = """
      @page { size: A4; margin: 14mm 14mm 16mm 14mm; }
      * { box-sizing: border-box; }
      html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9pt;
             color: #1a1a1a; background: #fff; }
      body { margin: 0; }
      section.system { break-before: page; page-break-before: always; }
      h1 { font-size: 17pt; margin: 0 0 3mm 0; padding-bottom: 2mm; border-bottom: 2px solid #1f3a5f; color: #1f3a5f; }
      h2 { font-size: 13pt; margin: 4mm 0 1.5mm 0; color: #1f3a5f; border-bottom: 1px solid #c8d1dc; padding-bottom: 1mm; }
      h3 { font-size: 10pt; margin: 3mm 0 1mm 0; color: #1f3a5f; }
      section > h2:first-child { margin-top: 0; }
      p { margin: 1mm 0; line-height: 1.3; }
      p.alert { padding: 2.5mm 3.5mm; border-left: 5px solid; font-weight: bold; margin: 2mm 0 3mm 0; font-size: 10pt; }
      p.alert.ok { background: #e9f5ec; border-color: #2e7d32; color: #1b4d1f; }
      p.alert.warn { background: #fff6e0; border-color: #b26a00; color: #5c3700; }
      p.alert.bad { background: #fdeaea; border-color: #b71c1c; color: #6d1010; }
      table { border-collapse: collapse; width: 100%; margin: 0.8mm 0 1.8mm 0; }
      th, td { text-align: left; vertical-align: top; padding: 0.6mm 1.6mm; line-height: 1.25; overflow-wrap: break-word; }
      table.facts th { width: 27%; font-weight: 600; color: #333; background: #f3f5f8; border-bottom: 1px solid #dde3ea; }
      table.facts td { border-bottom: 1px solid #dde3ea; }
      table.grid thead th { background: #1f3a5f; color: #fff; font-weight: 600; border: 1px solid #1f3a5f; }
      table.grid tbody th, table.grid td { border: 1px solid #c8d1dc; font-weight: normal; }
      table.grid tbody th { white-space: nowrap; }
      table.grid tbody tr:nth-child(even) { background: #f6f8fa; }
      table.grid tbody tr.total { font-weight: 600; background: #eef1f5; }
      .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      .t { white-space: nowrap; font-variant-numeric: tabular-nums; }
      tr, p.alert { break-inside: avoid; page-break-inside: avoid; }
      thead { display: table-header-group; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      footer { margin-top: 4mm; color: #666; font-size: 8pt; }
      @media screen {
        html { background: #dfe3e8; }
        body { padding: 6mm 0; }
        section { background: #fff; width: 210mm; min-height: 297mm; margin: 0 auto 6mm auto; padding: 14mm;
                  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
      }
      @media print {
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      }
      """;
}
