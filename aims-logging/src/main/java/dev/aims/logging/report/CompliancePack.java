package dev.aims.logging.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.Timestamps;
import dev.aims.logging.Checkpoint;
import dev.aims.logging.report.ControlMapping.Control;
import dev.aims.logging.report.ControlMapping.Coverage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A Statement-of-Applicability style table for one framework, built from an {@link EvidenceReport}
 * (so only from verified records): per control, what AIMS provides, its status, and the evidence
 * the log holds (counts and seq ranges per event type, the signed checkpoint head, settings).
 *
 * <pre>{@code
 * EvidenceReport report = EvidenceReport.builder(dir).publicKey(key).build();
 * CompliancePack pack = CompliancePack.of(report, ControlMapping.builtIn("iso42001"));
 * Files.writeString(Path.of("soa.json"), pack.json());
 * }</pre>
 *
 * When the log did not verify, records after the last verified checkpoint are not evidence; the
 * pack reads their (unverified) types and turns every control citing one of them to
 * {@link Status#EVIDENCE_BROKEN}. An unreadable line there, or a failure with no record after the
 * verified part (records cut off the end), breaks every control that cites records.
 */
public final class CompliancePack {
  /** A control's status in the pack. */
  public enum Status {
    IN_EFFECT("in effect"),
    PARTLY("partly"),
    NOT_COVERED("not covered by AIMS"),
    /**
     * The mapping says AIMS covers it, but the verified log holds no record of the types that evidence it
     * (a control that also cites settings is judged on those).
     */
    NO_RECORDS("no records in the log"),
    /** The log did not verify past a point, and records of a type this control cites lie beyond it. */
    EVIDENCE_BROKEN("evidence broken");

    private final String words;

    Status(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** One control's line. */
  public record Row(Control control, Status status, String reason, List<EvidenceReport.TypeEvidence> evidence,
      Map<String, String> settings) {}

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final EvidenceReport report;
  private final ControlMapping mapping;
  private final List<Row> rows;

  private CompliancePack(EvidenceReport report, ControlMapping mapping, List<Row> rows) {
    this.report = report;
    this.mapping = mapping;
    this.rows = List.copyOf(rows);
  }

  /** The pack of {@code mapping} over what {@code report} verified. */
  public static CompliancePack of(EvidenceReport report, ControlMapping mapping) throws IOException {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(mapping, "mapping");
    Unverified beyond = report.passed() ? Unverified.NONE : Unverified.after(report.log(), report.verifiedThroughSeq());
    Map<String, String> settings = settings(report);
    List<Row> rows = new ArrayList<>();
    for (Control c : mapping.controls()) {
      List<EvidenceReport.TypeEvidence> evidence = new ArrayList<>();
      for (String t : c.eventTypes()) {
        EvidenceReport.TypeEvidence e = report.byType().get(t);
        evidence.add(e == null ? new EvidenceReport.TypeEvidence(t, 0, -1, -1) : e);
      }
      Map<String, String> cited = new TreeMap<>();
      c.settings().forEach(s -> cited.put(s, settings.get(s)));
      List<String> touched = c.eventTypes().stream().filter(t -> beyond.unreadable || beyond.types.containsKey(t))
          .toList();
      Status status;
      String reason = c.reason();
      if (c.coverage() == Coverage.NOT_COVERED) {
        status = Status.NOT_COVERED;
      } else if (!touched.isEmpty()) {
        status = Status.EVIDENCE_BROKEN;
        reason = (beyond.unreadable ? "an unreadable or missing record after seq " + report.verifiedThroughSeq()
            : touched.stream().map(t -> t + " at seq " + beyond.types.get(t)).reduce((a, b) -> a + ", " + b).orElse(""))
            + " did not verify (" + report.problem() + ")";
      } else if (!c.eventTypes().isEmpty() && c.settings().isEmpty()
          && evidence.stream().allMatch(e -> e.count() == 0)) {
        status = Status.NO_RECORDS;
        reason = "no verified record of " + String.join(", ", c.eventTypes());
      } else {
        status = c.coverage() == Coverage.IN_EFFECT ? Status.IN_EFFECT : Status.PARTLY;
      }
      rows.add(new Row(c, status, reason, evidence, cited));
    }
    return new CompliancePack(report, mapping, rows);
  }

  public List<Row> rows() {
    return rows;
  }

  public @Nullable Row row(String controlId) {
    return rows.stream().filter(r -> r.control().id().equals(controlId)).findFirst().orElse(null);
  }

  public ControlMapping mapping() {
    return mapping;
  }

  public EvidenceReport report() {
    return report;
  }

  /** For a GRC tool: the mapping, the verification, and one object per control. */
  public String json() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("framework", mapping.framework()).put("framework_name", mapping.name())
        .put("mapping_version", mapping.version()).put("aims_version", EvidenceReport.aimsVersion())
        .put("generated", Timestamps.format(report.generatedAt()));
    ObjectNode v = root.putObject("verification");
    v.put("status", report.status().name()).put("verified_through_seq", report.verifiedThroughSeq())
        .put("records_counted", report.records());
    if (report.keyId() != null) {
      v.put("key_id", report.keyId());
    }
    if (report.problem() != null) {
      v.put("problem", report.problem());
    }
    Checkpoint cp = report.lastSignedCheckpoint();
    if (cp != null) {
      v.putObject("last_signed_checkpoint").put("seq", cp.seq()).put("ts", cp.ts()).put("from_seq", cp.fromSeq())
          .put("to_seq", cp.toSeq()).put("head", cp.head());
    }
    ArrayNode controls = root.putArray("controls");
    for (Row r : rows) {
      ObjectNode c = controls.addObject();
      c.put("id", r.control().id()).put("title", r.control().title()).put("provides", r.control().provides())
          .put("status", r.status().words());
      if (!r.reason().isEmpty()) {
        c.put("reason", r.reason());
      }
      ArrayNode ev = c.putArray("evidence");
      for (EvidenceReport.TypeEvidence e : r.evidence()) {
        ObjectNode o = ev.addObject().put("event_type", e.type()).put("records", e.count());
        if (e.count() > 0) {
          o.put("first_seq", e.firstSeq()).put("last_seq", e.lastSeq());
        }
      }
      ObjectNode s = c.putObject("settings");
      r.settings().forEach(s::put);
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the pack as JSON", e);
    }
  }

  public String markdown() {
    return document().markdown();
  }

  /** A standalone printable HTML page. */
  public String html() {
    return document().html(mapping.name() + ": evidence from " + report.log().getFileName());
  }

  private Doc document() {
    Doc d = new Doc();
    d.heading(1, "Statement of applicability: " + mapping.name());
    switch (report.status()) {
      case BROKEN -> d.alert("bad", "VERIFICATION FAILED at " + report.problem() + ". Evidence counts stop at seq "
          + report.verifiedThroughSeq() + "; controls citing records beyond it are marked evidence broken.");
      case NOT_AUTHENTICATED -> d.alert("warn", "NOT AUTHENTICATED: no public key was given, so no record here is"
          + " authenticated.");
      case VERIFIED -> d.alert("ok", "VERIFIED with key id " + report.keyId() + ": every record cited here is"
          + " covered by a signed checkpoint or lies in the unsigned tail the last one allows.");
    }
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"log", report.log().toString()});
    facts.add(new String[] {"mapping", mapping.framework() + " version " + mapping.version()});
    Checkpoint cp = report.lastSignedCheckpoint();
    facts.add(new String[] {"last signed checkpoint", cp == null ? "none" : "seq " + cp.seq() + " (" + (cp.count() == 0
        ? "no new record" : "covers seq " + cp.fromSeq() + ".." + cp.toSeq()) + ", head " + cp.head() + ")"});
    facts.add(new String[] {"records counted", report.records() + (report.records() == 0 ? ""
        : " (verified through seq " + report.verifiedThroughSeq() + ")")});
    facts.add(new String[] {"generated", Timestamps.format(report.generatedAt()) + " by AIMS "
        + EvidenceReport.aimsVersion()});
    d.add(new Doc.Facts(facts));
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      List<String> ev = new ArrayList<>();
      for (EvidenceReport.TypeEvidence e : r.evidence()) {
        ev.add(e.type() + ": " + e.count() + (e.count() > 0 ? " (seq " + e.firstSeq() + ".." + e.lastSeq() + ")" : ""));
      }
      r.settings().forEach((k, v) -> ev.add(k + ": " + v));
      table.add(List.of(r.control().id(), r.control().title(), r.control().provides().isEmpty() ? "\u2014"
          : r.control().provides(), r.status().words() + (r.reason().isEmpty() ? "" : ": " + r.reason()),
          ev.isEmpty() ? "\u2014" : String.join("; ", ev)));
    }
    d.add(new Doc.Table(List.of("control", "in this project's words", "what AIMS provides", "status",
        "evidence in the verified log"), table, List.of()));
    return d;
  }

  private static Map<String, String> settings(EvidenceReport report) {
    Map<String, String> m = new TreeMap<>();
    Checkpoint signed = report.lastSignedCheckpoint();
    m.put("signed_checkpoints", report.keyId() == null ? "not checked (no public key)"
        : signed == null ? "none verified" : "verified with key id " + report.keyId() + ", last head " + signed.head());
    Checkpoint any = signed;
    m.put("checkpoint_spacing", any == null ? "no signed checkpoint" : any.declaresSpacing()
        ? "every " + any.checkpointEvery() + " records or " + any.checkpointIntervalMs() + " ms"
        : "not declared (older checkpoint)");
    List<String> anchors = report.verification().anchors();
    EvidenceReport.TypeEvidence retention = report.byType().get("log.retention");
    m.put("retention", retention == null ? "no segment removed (no verified log.retention record)"
        : retention.count() + " verified log.retention record(s), the last at seq " + retention.lastSeq());
    long[] v = report.validationRecords();
    m.put("validation_records", v[0] == 0 ? "none cited by a verified register entry"
        : v[0] + " cited by verified register entries, " + v[1] + " passed");
    m.put("published_anchors", anchors.isEmpty() ? "none compared" : String.join("; ", anchors));
    return m;
  }

  /** What the records after the verified part claim to be: types with their first seq there, unverified. */
  private record Unverified(Map<String, Long> types, boolean unreadable) {
    static final Unverified NONE = new Unverified(Map.of(), false);

    static Unverified after(Path log, long verifiedThrough) throws IOException {
      Map<String, Long> types = new TreeMap<>();
      boolean unreadable = false;
      List<Path> files;
      if (Files.isDirectory(log)) {
        try (Stream<Path> s = Files.list(log)) {
          files = s.filter(p -> p.getFileName().toString().matches("decisions-\\d+\\.jsonl")).sorted().toList();
        }
      } else {
        files = List.of(log);
      }
      for (Path f : files) {
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode n;
            try {
              n = MAPPER.readTree(line);
            } catch (IOException e) {
              unreadable = true;
              continue;
            }
            long seq = n.path("seq").asLong(-1);
            String type = n.path("type").asText(null);
            if (seq < 0 || type == null) {
              unreadable = true;
            } else if (seq > verifiedThrough) {
              types.putIfAbsent(type, seq);
            }
          }
        } catch (java.nio.charset.MalformedInputException e) {
          unreadable = true;
        }
      }
      // broken, yet no record after the verified part: what is missing (cut off, or rewritten away) cannot be
      // told, so it may be evidence of any control
      return new Unverified(types, unreadable || types.isEmpty());
    }
  }
}
