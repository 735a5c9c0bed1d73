package dev.aims.logging.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.event.EventTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which controls (or articles) of a framework the decision log can evidence, and with which
 * event types and settings: read from a versioned data file in this package's {@code frameworks/}
 * resources. Titles are in the project's own words; a mapping cites ids, never a standard's text.
 *
 * <pre>{@code
 * ControlMapping iso = ControlMapping.builtIn("iso42001");
 * }</pre>
 *
 * A file is checked when it is read: every event type must be one of {@link EventTypes#ALL}, every
 * setting one of {@link #SETTINGS}, and a control AIMS only partly covers, or does not cover, says why.
 */
public record ControlMapping(String framework, String name, String version, List<Control> controls) {
  /** The frameworks shipped with AIMS, by the id {@code aims report --framework} takes. */
  public static final List<String> BUILT_IN = List.of("iso42001", "eu-ai-act");

  /**
   * Settings a control may cite, read from the verified log: {@code signed_checkpoints} (key id the
   * checkpoints were verified with), {@code checkpoint_spacing} (records and interval the last
   * checkpoint declares), {@code published_anchors} (checkpoints published outside the log that were compared),
   * {@code validation_records} (model-validation records the verified register entries cite, and how many passed),
   * {@code retention} (the log's own {@code log.retention} records: segments removed and up to which seq).
   */
  public static final Set<String> SETTINGS = Set.of("signed_checkpoints", "checkpoint_spacing", "published_anchors",
      "validation_records", "retention");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How much of a control AIMS provides, as the mapping claims it; the pack checks the claim against the log. */
  public enum Coverage {
    IN_EFFECT, PARTLY, NOT_COVERED
  }

  /** One control or article. */
  public record Control(String id, String title, String provides, Coverage coverage, String reason,
      List<String> eventTypes, List<String> settings) {
    public Control {
      Objects.requireNonNull(id, "id");
      eventTypes = List.copyOf(eventTypes);
      settings = List.copyOf(settings);
    }
  }

  public ControlMapping {
    controls = List.copyOf(controls);
  }

  /** A built-in mapping ({@link #BUILT_IN}); unknown ids are refused with the list of known ones. */
  public static ControlMapping builtIn(String framework) {
    if (!BUILT_IN.contains(framework)) {
      throw new IllegalArgumentException("unknown framework '" + framework + "': one of " + String.join(", ", BUILT_IN));
    }
    String file = "frameworks/" + framework + ".json";
    try (InputStream in = ControlMapping.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("mapping " + file + " is missing from the aims-logging jar");
      }
      return read(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mapping " + file, e);
    }
  }

  /** Reads and checks a mapping file; {@code source} names it in errors. */
  public static ControlMapping read(InputStream in, String source) throws IOException {
    JsonNode root = MAPPER.readTree(in);
    String framework = required(root, "framework", source);
    List<Control> controls = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    if (!root.path("controls").isArray() || root.path("controls").isEmpty()) {
      throw new IllegalArgumentException("mapping " + source + ": 'controls' must be a non-empty array");
    }
    for (JsonNode c : root.path("controls")) {
      String id = required(c, "id", source);
      String where = "mapping " + source + " control " + id;
      if (!ids.add(id)) {
        throw new IllegalArgumentException(where + ": the id appears twice");
      }
      Coverage coverage;
      try {
        coverage = Coverage.valueOf(required(c, "coverage", where).toUpperCase(Locale.ROOT).replace(' ', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": coverage must be in_effect, partly or not_covered but was '"
            + c.path("coverage").asText() + "'");
      }
      List<String> types = strings(c, "event_types");
      for (String t : types) {
        if (!EventTypes.ALL.contains(t)) {
          throw new IllegalArgumentException(where + " names unknown event type '" + t + "' (known: "
              + new TreeSet<>(EventTypes.ALL) + ")");
        }
      }
      List<String> settings = strings(c, "settings");
      for (String s : settings) {
        if (!SETTINGS.contains(s)) {
          throw new IllegalArgumentException(where + " names unknown setting '" + s + "' (known: "
              + new TreeSet<>(SETTINGS) + ")");
        }
      }
      String reason = c.path("reason").asText("");
      if (coverage != Coverage.IN_EFFECT && reason.isBlank()) {
        throw new IllegalArgumentException(where + ": a control that is " + coverage.name().toLowerCase(Locale.ROOT)
            + " needs a 'reason'");
      }
      if (coverage != Coverage.NOT_COVERED && types.isEmpty() && settings.isEmpty()) {
        throw new IllegalArgumentException(where + ": a covered control must name event_types or settings that"
            + " evidence it");
      }
      controls.add(new Control(id, required(c, "title", where), coverage == Coverage.NOT_COVERED
          ? c.path("provides").asText("") : required(c, "provides", where), coverage, reason, types, settings));
    }
    return new ControlMapping(framework, required(root, "name", source), required(root, "mapping_version", source),
        controls);
  }

  private static String required(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException((where.startsWith("mapping") ? where : "mapping " + where)
          + ": '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> list = new ArrayList<>();
    n.path(field).forEach(v -> list.add(v.asText()));
    return list;
  }
}
