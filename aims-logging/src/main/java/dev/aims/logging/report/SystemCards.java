package dev.aims.logging.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The register as the verified log has it: the last {@code register.changed} definition of each
 * system, written as a system card (Markdown, or JSON with the verification status). Only records
 * the {@link EvidenceReport} counted are read, so a card shows what the signed log says, not what a
 * register file claims now.
 */
public final class SystemCards {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final EvidenceReport report;
  private final Map<String, JsonNode> entries;

  private SystemCards(EvidenceReport report, Map<String, JsonNode> entries) {
    this.report = report;
    this.entries = entries;
  }

  /** Every system's card; {@code system} null for all, else only that one (refused if the log has no entry of it). */
  public static SystemCards of(EvidenceReport report, @org.jspecify.annotations.Nullable String system) {
    Objects.requireNonNull(report, "report");
    Map<String, JsonNode> all = report.registerEntries();
    if (system == null) {
      return new SystemCards(report, all);
    }
    JsonNode e = all.get(system);
    if (e == null) {
      throw new IllegalArgumentException("the verified log has no register entry of system '" + system
          + "' (entries: " + all.keySet() + ")");
    }
    return new SystemCards(report, Map.of(system, e));
  }

  public String json() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("verification", report.status().name()).put("verified_through_seq", report.verifiedThroughSeq());
    ObjectNode systems = root.putObject("systems");
    entries.forEach(systems::set);
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the system cards as JSON", e);
    }
  }

  public String markdown() {
    Doc d = new Doc();
    d.heading(1, "AI system register (from the verified log)");
    if (!report.passed()) {
      d.alert("bad", "VERIFICATION FAILED at " + report.problem() + ": entries are as of seq "
          + report.verifiedThroughSeq() + ".");
    } else if (report.status() == EvidenceReport.Status.NOT_AUTHENTICATED) {
      d.alert("warn", "NOT AUTHENTICATED: no public key was given.");
    }
    if (entries.isEmpty()) {
      d.text("The verified log holds no register entry.");
    }
    entries.forEach((id, def) -> {
      d.heading(2, def.path("name").asText(id) + " (" + id + ")");
      JsonNode card = def.path("card");
      List<String[]> f = new ArrayList<>();
      f.add(new String[] {"owner", def.path("owner").asText()});
      f.add(new String[] {"purpose", def.path("purpose").asText()});
      f.add(new String[] {"risk tier", def.path("risk_tier").asText()});
      f.add(new String[] {"intended use", text(card, "intended_use")});
      List<String> models = new ArrayList<>();
      for (JsonNode m : def.path("allowed_models")) {
        String digest = "";
        for (JsonNode a : def.path("artefacts")) {
          if (a.path("model").equals(m)) {
            digest = " (" + a.path("digest").asText() + ")";
          }
        }
        models.add(m.path("provider").asText() + ":" + m.path("name").asText() + ":" + m.path("version").asText()
            + digest);
      }
      f.add(new String[] {"models", def.path("any_model").asBoolean() ? "any (model change control off)"
          : String.join(", ", models)});
      f.add(new String[] {"data inputs", list(card.path("data_inputs"))});
      f.add(new String[] {"data outputs", list(card.path("data_outputs"))});
      f.add(new String[] {"affected persons", list(card.path("affected_persons"))});
      f.add(new String[] {"oversight", text(card, "oversight")});
      long days = def.path("review_cadence").asLong() / 86_400;
      f.add(new String[] {"review cadence", days + " days" + (card.has("last_reviewed")
          ? "; last reviewed " + card.path("last_reviewed").asText() : "; last review not given")});
      f.add(new String[] {"impact assessment", text(card, "impact_assessment")});
      List<String> validations = new ArrayList<>();
      for (JsonNode v : def.path("validations")) {
        validations.add(v.path("suite").asText() + " on " + v.path("model").path("name").asText() + "@"
            + v.path("model").path("version").asText() + ": " + (v.path("passed").asBoolean() ? "passed" : "failed")
            + " " + v.path("metrics") + ", approved by " + v.path("approver").asText() + " at "
            + v.path("validated_at").asText());
      }
      f.add(new String[] {"validation records", validations.isEmpty() ? "none" : String.join("; ", validations)});
      f.add(new String[] {"validation gate", def.path("validation_gate").asText("OFF")});
      d.add(new Doc.Facts(f));
    });
    return d.markdown();
  }

  private static String text(JsonNode card, String field) {
    return card.path(field).isMissingNode() ? "(not given)" : card.path(field).asText();
  }

  private static String list(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(v -> items.add(v.asText()));
    return items.isEmpty() ? "(not given)" : String.join(", ", items);
  }
}
