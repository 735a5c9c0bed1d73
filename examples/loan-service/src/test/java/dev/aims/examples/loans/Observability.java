package dev.aims.examples.loans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The files in {@code examples/observability} and what tests need from them: the PromQL
 * expressions of the dashboard and the alert rules, the metric names those expressions use, and
 * whether the external tools are expected to be there ({@code -Dloans.test.e2e=true}).
 */
final class Observability {
  private Observability() {}

  static Path dir() {
    Path p = Path.of(System.getProperty("loans.test.observability.dir", "../observability"));
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("examples/observability not found at " + p.toAbsolutePath()
          + " (set -Dloans.test.observability.dir)");
    }
    return p;
  }

  static Path dashboard() {
    return dir().resolve("aims-dashboard.json");
  }

  static Path alerts() {
    return dir().resolve("aims-alerts.yml");
  }

  static Path alertTests() {
    return dir().resolve("aims-alerts.test.yml");
  }

  /** Whether this is the e2e run, where a missing tool is a failure rather than a skip. */
  static boolean e2e() {
    return Boolean.getBoolean("loans.test.e2e");
  }

  /** The executable {@code name} on the PATH, or null. */
  static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Every {@code expr} of every panel target and templating query, keyed by panel title. */
  static List<Map.Entry<String, String>> dashboardExpressions() {
    JsonNode root = readJson(dashboard());
    List<Map.Entry<String, String>> out = new ArrayList<>();
    collectPanels(root.path("panels"), out);
    return out;
  }

  private static void collectPanels(JsonNode panels, List<Map.Entry<String, String>> out) {
    for (JsonNode panel : panels) {
      for (JsonNode t : panel.path("targets")) {
        out.add(Map.entry(panel.path("title").asText(), t.path("expr").asText()));
      }
      collectPanels(panel.path("panels"), out);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Each alerting rule of {@code aims-alerts.yml} as alert name to expression. */
  @SuppressWarnings("unchecked")
  static List<Map.Entry<String, String>> alertExpressions() {
    Map<String, Object> doc;
    try {
      doc = new Yaml().load(Files.readString(alerts()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        out.add(Map.entry(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr"))));
      }
    }
    return out;
  }

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern TOKEN = Pattern.compile(
      "(?<duration>\\d+(?:ms|[smhdwy]))\\b|(?<number>\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)"
          + "|(?<ident>[A-Za-z_:][A-Za-z0-9_:]*)");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan", "atan2");

  /**
   * The metric names a PromQL expression selects: identifiers that are not functions, aggregation
   * operators, keywords, label names or values, durations or numbers. Grafana variables are dropped.
   */
  static Set<String> metricNames(String promql) {
    String s = STRING.matcher(promql).replaceAll("\"\"");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      String ident = m.group("ident");
      if (ident == null || KEYWORDS.contains(ident.toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      boolean call = next < s.length() && s.charAt(next) == '(';
      if (!call) {
        names.add(ident);
      }
    }
    return names;
  }

  /** The sample names of a Prometheus text or OpenMetrics exposition. */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }
}
