package dev.aims.logging.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.Timestamps;
import dev.aims.logging.Checkpoint;
import dev.aims.logging.VerifiedRecordListener;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Counts what verified records show, in the verifier's single pass. A record is read when it passes
 * its line checks but only counted once a verified checkpoint covers it (its window), or, when
 * the whole log verified, as the allowed tail after the last checkpoint. So a record the
 * verification did not accept never reaches a table.
 */
final class Tally implements VerifiedRecordListener {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> PAYLOADS = List.of("input", "output", "overridden_output", "features", "reasons",
      "protected_attributes", "actual_outcome", "usage", "model", "response_model");
  /** The writer's default checkpoint interval, for gaps in logs whose checkpoints do not say theirs. */
  private static final long DEFAULT_INTERVAL_MS = 60_000;

  /** What one record says, kept until a checkpoint covers it. */
  private record Fact(long seq, String type, @Nullable String system, @Nullable Instant ts, JsonNode node) {}

  private final ReportPeriod period;
  private final List<Fact> window = new ArrayList<>();
  final Map<String, SystemFigures> systems = new TreeMap<>();
  final Map<String, Long> otherEvents = new TreeMap<>();
  final List<EvidenceReport.Gap> gaps = new ArrayList<>();
  final List<EvidenceReport.IdleStretch> idle = new ArrayList<>();
  /** Counted records by event type: how many, and the first and last seq. */
  final Map<String, EvidenceReport.TypeEvidence> byType = new TreeMap<>();
  final Map<String, JsonNode> definitions = new TreeMap<>();
  /** Validation records cited by verified register entries, by suite, artefact and time: passed or not. */
  final Map<String, Boolean> validations = new TreeMap<>();
  private final Map<String, JsonNode> policies = new HashMap<>();

  long counted;
  long outsidePeriod;
  long firstSeq = -1;
  long lastSeq = -1;
  @Nullable Instant minTs;
  @Nullable Instant maxTs;
  long withoutTs;
  long checkpoints;
  long signedCheckpoints;
  long unsignedCheckpoints;
  long emptyCheckpoints;
  /** The last seq covered by a verified checkpoint (the checkpoint line's own seq). */
  long coveredThrough = -1;
  long tailRecords;
  @Nullable Checkpoint lastCheckpoint;
  @Nullable Checkpoint lastSignedCheckpoint;
  long lastLineSeq = -1;
  long lastRecordSeq = -1;
  @Nullable String lastRecordHash;
  private long intervalMs = DEFAULT_INTERVAL_MS;
  private @Nullable Fact previous;
  private long emptySincePrevious;
  private @Nullable Instant previousCheckpointTs;
  private @Nullable Instant idleFrom;
  private int idleRun;
  private @Nullable Instant idleTo;

  Tally(ReportPeriod period) {
    this.period = period;
  }

  @Override
  public void record(long seq, String type, byte[] buf, int from, int to) {
    JsonNode node;
    try {
      node = MAPPER.readTree(buf, from, to - from);
    } catch (IOException e) {
      // passed the chain checks but is not JSON: counted as such, never read for figures
      node = MAPPER.createObjectNode();
      type = "unreadable record (not JSON)";
    }
    if (node instanceof ObjectNode o) {
      // held until a checkpoint covers it: only what the report reads, not the application's payloads
      o.remove(PAYLOADS);
    }
    JsonNode system = node.get("system");
    window.add(new Fact(seq, type, system == null || system.isNull() ? null : system.asText(),
        instant(node.path("ts").asText(null)), node));
    lastLineSeq = seq;
    lastRecordSeq = seq;
    lastRecordHash = node.path("hash").asText(null);
  }

  @Override
  public void checkpoint(Checkpoint cp, boolean signatureChecked) {
    if (cp.checkpointIntervalMs() > 0) {
      intervalMs = cp.checkpointIntervalMs();
    }
    commitWindow();
    checkpoints++;
    if (cp.signature() == null) {
      unsignedCheckpoints++;
    } else {
      signedCheckpoints++;
    }
    lastCheckpoint = cp;
    if (signatureChecked) {
      lastSignedCheckpoint = cp;
    }
    coveredThrough = cp.seq();
    lastLineSeq = cp.seq();
    Instant ts = instant(cp.ts());
    if (cp.count() == 0 && ts != null && period.contains(ts)) {
      emptyCheckpoints++;
      emptySincePrevious++;
      // the checkpoint a new log opens with (no checkpoint before it) is not idle time
      if (previousCheckpointTs != null) {
        if (idleRun == 0) {
          idleFrom = previousCheckpointTs;
        }
        idleRun++;
        idleTo = ts;
      }
    } else if (cp.count() > 0) {
      endIdleRun();
    }
    if (ts != null) {
      previousCheckpointTs = ts;
    }
  }

  /** Counts the records after the last checkpoint: only when the whole log verified. */
  void countTail() {
    tailRecords = window.size();
    commitWindow();
  }

  /** Ends the pass: records still waiting for a checkpoint are dropped unless {@link #countTail} ran. */
  void finish() {
    endIdleRun();
    window.clear();
  }

  private void endIdleRun() {
    if (idleRun > 0 && idleFrom != null && idleTo != null) {
      idle.add(new EvidenceReport.IdleStretch(idleFrom, idleTo, idleRun));
    }
    idleRun = 0;
  }

  private void commitWindow() {
    for (Iterator<Fact> it = window.iterator(); it.hasNext(); ) {
      Fact f = it.next();
      if (f.ts() != null && !period.contains(f.ts())) {
        outsidePeriod++;
      } else if (f.ts() != null || period.whole()) {
        count(f);
      } else {
        outsidePeriod++;
      }
    }
    window.clear();
  }

  private void count(Fact f) {
    counted++;
    if (firstSeq < 0) {
      firstSeq = f.seq();
    }
    lastSeq = f.seq();
    byType.merge(f.type(), new EvidenceReport.TypeEvidence(f.type(), 1, f.seq(), f.seq()),
        EvidenceReport.TypeEvidence::plus);
    Instant ts = f.ts();
    if (ts == null) {
      withoutTs++;
    } else {
      minTs = minTs == null || ts.isBefore(minTs) ? ts : minTs;
      maxTs = maxTs == null || ts.isAfter(maxTs) ? ts : maxTs;
      Fact p = previous;
      if (p != null && p.ts() != null && Duration.between(p.ts(), ts).toMillis() > intervalMs) {
        gaps.add(new EvidenceReport.Gap(p.ts(), ts, p.seq(), f.seq(), emptySincePrevious));
      }
      previous = f;
      emptySincePrevious = 0;
    }
    String system = f.system();
    if (system == null) {
      if ("outcome.recorded".equals(f.type())) {
        otherEvents.merge("outcome.recorded (" + f.node().path("status").asText("?") + ", no system)", 1L,
            Long::sum);
      } else {
        otherEvents.merge(f.type(), 1L, Long::sum);
      }
      return;
    }
    SystemFigures s = systems.computeIfAbsent(system, SystemFigures::new);
    s.records++;
    JsonNode n = f.node();
    String actor = text(n.path("actor").path("id"));
    switch (f.type()) {
      case "decision.final" -> s.verdictOutcome.computeIfAbsent(n.path("verdict").asText("?"), v -> new TreeMap<>())
          .merge(n.path("outcome").asText("?"), 1L, Long::sum);
      case "approval.requested" -> s.intervention(SystemFigures.REVIEW_REQUESTED, null, false);
      case "approval.granted" -> s.intervention(SystemFigures.GRANTED, actor, true);
      // a withdrawal (the stop switch, with the presser as actor; or settled elsewhere, no actor) is not a
      // rejection: logs from before approval.cancelled wrote it as approval.rejected, resolution CANCELLED
      case "approval.cancelled" -> s.intervention(
          actor == null ? SystemFigures.CANCELLED_OTHER : SystemFigures.CANCELLED_BY_STOP_SWITCH, actor, false);
      case "approval.rejected" -> {
        if ("CANCELLED".equals(n.path("details").path("resolution").asText())) {
          s.intervention(actor == null ? SystemFigures.CANCELLED_OTHER : SystemFigures.CANCELLED_BY_STOP_SWITCH,
              actor, false);
        } else {
          s.intervention(SystemFigures.REJECTED, actor, true);
        }
      }
      case "decision.overridden" -> s.intervention(SystemFigures.OVERRIDDEN, actor, true);
      case "approval.escalated" -> s.intervention(SystemFigures.ESCALATED, actor, actor != null);
      case "approval.expired" -> s.intervention(SystemFigures.EXPIRED, null, false);
      case "system.stopped", "system.resumed" -> s.presses.add(new SystemFigures.Press(ts, f.seq(),
          f.type().equals("system.stopped"), actor == null ? "?" : actor, n.path("actor").path("role").asText(""),
          n.path("reason").asText("")));
      case "outcome.recorded" -> s.outcomeLabels.merge(n.path("status").asText("?"), 1L, Long::sum);
      case "register.changed" -> s.changes.add(new SystemFigures.Change(ts, f.seq(), f.type(), registerChange(system, n)));
      case "policy.changed" -> s.changes.add(new SystemFigures.Change(ts, f.seq(), f.type(), policyChange(system, n)));
      case "decision.proposed" -> { }
      default -> {
        if (f.type().startsWith("drift.alarm.") || f.type().startsWith("fairness.alarm.")) {
          alarm(s, f, n);
        } else if (f.type().startsWith("approval.") || f.type().contains("vote")) {
          // a kind of review step this report does not know by name (e.g. a vote event): listed under its type
          s.intervention(f.type(), actor, actor != null);
        } else {
          otherEvents.merge(f.type() + " (" + system + ")", 1L, Long::sum);
        }
      }
    }
  }

  private static void alarm(SystemFigures s, Fact f, JsonNode n) {
    String kind = f.type().startsWith("fairness.") ? "fairness: " : "";
    String feature = kind + n.path("feature").asText(n.path("metric").asText("?"));
    boolean raised = f.type().endsWith(".raised");
    SystemFigures.Alarm a = s.alarms.get(feature);
    long r = (a == null ? 0 : a.raised()) + (raised ? 1 : 0);
    long c = (a == null ? 0 : a.cleared()) + (raised ? 0 : 1);
    Instant first = a != null && a.firstRaised() != null ? a.firstRaised() : raised ? f.ts() : null;
    s.alarms.put(feature, new SystemFigures.Alarm(feature, n.path("statistic").asText(""), r, c, raised, first,
        n.path("value").asDouble(Double.NaN), n.path("threshold").asDouble(Double.NaN)));
  }

  private String registerChange(String system, JsonNode n) {
    String change = n.path("change").asText("?");
    JsonNode def = n.get("definition");
    JsonNode before = definitions.get(system);
    if (def == null || def.isNull()) {
      definitions.remove(system);
      return change + ": removed from the register";
    }
    definitions.put(system, def);
    for (JsonNode v : def.path("validations")) {
      validations.put(v.path("suite").asText() + " " + v.path("artefact_digest").asText() + " "
          + v.path("validated_at").asText(), v.path("passed").asBoolean());
    }
    StringBuilder s = new StringBuilder(change).append(": ");
    if (before == null) {
      for (String field : List.of("risk_tier", "owner", "purpose", "allowed_models", "on_log_failure")) {
        if (def.has(field)) {
          s.append(s.charAt(s.length() - 2) == ':' ? "" : "; ").append(field).append(' ').append(show(def.get(field)));
        }
      }
      return s.toString();
    }
    List<String> changed = new ArrayList<>();
    Iterator<String> names = def.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!def.get(field).equals(before.get(field))) {
        changed.add(field + " " + show(before.get(field)) + " \u2192 " + show(def.get(field)));
      }
    }
    before.fieldNames().forEachRemaining(field -> {
      if (!def.has(field)) {
        changed.add(field + " removed");
      }
    });
    return s.append(changed.isEmpty() ? "no field changed" : String.join("; ", changed)).toString();
  }

  private String policyChange(String system, JsonNode n) {
    String version = n.path("policy_version").asText("?");
    Map<String, String> now = boundaries(n);
    JsonNode beforeNode = policies.put(system, n);
    if (beforeNode == null) {
      List<String> list = new ArrayList<>();
      now.forEach((id, v) -> list.add(id + " " + v));
      return "version " + version + ": boundaries " + (list.isEmpty() ? "none" : String.join(", ", list));
    }
    Map<String, String> before = boundaries(beforeNode);
    List<String> changed = new ArrayList<>();
    now.forEach((id, v) -> {
      if (!before.containsKey(id)) {
        changed.add("added " + id + " " + v);
      } else if (!before.get(id).equals(v)) {
        changed.add(id + " " + before.get(id) + " \u2192 " + v);
      }
    });
    before.keySet().stream().filter(id -> !now.containsKey(id)).forEach(id -> changed.add("removed " + id));
    return "version " + beforeNode.path("policy_version").asText("?") + " \u2192 " + version + ": "
        + (changed.isEmpty() ? "same boundaries" : String.join("; ", changed));
  }

  private static Map<String, String> boundaries(JsonNode policy) {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode b : policy.path("boundaries")) {
      m.put(b.path("id").asText("?"), "v" + b.path("version").asText("?") + " (" + b.path("stage").asText("?") + ")");
    }
    return m;
  }

  private static String show(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return "(none)";
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : v) {
        items.add(item.isObject() && item.has("provider")
            ? item.path("provider").asText() + ":" + item.path("name").asText() + ":" + item.path("version").asText()
            : show(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static @Nullable String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static @Nullable Instant instant(@Nullable String ts) {
    if (ts == null) {
      return null;
    }
    try {
      return Timestamps.parse(ts);
    } catch (DateTimeException e) {
      return null;
    }
  }
}
