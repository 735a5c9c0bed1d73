package dev.aims.logging.report;

import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.OutcomeEvent;
import dev.aims.core.event.PolicyEvent;
import dev.aims.core.event.RegisterEvent;
import dev.aims.core.event.SystemEvent;
import dev.aims.core.policy.BoundaryRef;
import dev.aims.core.policy.Stage;
import dev.aims.core.testing.TestClock;
import dev.aims.logging.FileCheckpointPublisher;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes decision logs with known contents for report tests: events are appended as they are,
 * with the ts they carry, through a real {@link FileDecisionLog} whose clock (checkpoint ts) the
 * test moves; each {@link #session} opens and closes the log, so each ends with a checkpoint.
 */
final class ReportLog {
  static final KeyPair KEYS = SigningKeys.generate();
  static final ModelRef MODEL = ModelRef.of("acme", "scorer", "2.1");
  static final Actor R1 = new Actor("reviewer-1", "AIMS_REVIEWER");
  static final Actor R2 = new Actor("reviewer-2", "AIMS_REVIEWER");
  static final Actor R3 = new Actor("reviewer-3", "AIMS_REVIEWER");
  static final Actor OPS = new Actor("ops-admin", "AIMS_ADMIN");

  final Path dir;
  final TestClock clock;
  private final EventEncoder encoder = EventEncoder.plain();
  private final List<AimsEvent> pending = new ArrayList<>();
  /** Where every checkpoint is also published, or null. */
  Path published;
  /** Events written so far (checkpoints not included). */
  long written;

  ReportLog(Path dir, String start) {
    this.dir = dir;
    this.clock = TestClock.at(start);
  }

  /** Events stamped at {@code clock + offset}; written by the next {@link #session}. */
  Instant at(Duration offset) {
    return clock.instant().plus(offset);
  }

  ReportLog add(AimsEvent e) {
    pending.add(e);
    written++;
    return this;
  }

  /** Opens the log, writes the pending events, moves the clock to {@code closeAt}, closes (a checkpoint). */
  void session(Instant closeAt, boolean signed) throws IOException {
    FileDecisionLog.Builder b = FileDecisionLog.builder(dir).stream("report-test").checkpointEvery(5)
        .checkpointInterval(Duration.ofMinutes(10)).clock(clock);
    if (signed) {
      b.signingKey(KEYS);
    }
    if (published != null) {
      b.publishCheckpointsTo(new FileCheckpointPublisher(published));
    }
    try (FileDecisionLog log = b.open()) {
      for (AimsEvent e : pending) {
        log.append(new LogEntry(e, encoder));
      }
      clock.set(closeAt);
    }
    pending.clear();
  }

  // ---- events ----------------------------------------------------------------------------------

  static DecisionEvent decision(Instant ts, String system, Verdict verdict, Outcome outcome) {
    return decision(EventTypes.DECISION_FINAL, ts, UUID.randomUUID(), system, verdict, outcome, null);
  }

  static DecisionEvent decision(String type, Instant ts, UUID id, String system, Verdict verdict, Outcome outcome,
      Actor actor) {
    return new DecisionEvent(type, ts, id, system, "score", MODEL, null, Map.of("amount", 1), Map.of("p", 0.5), null,
        Map.of(), null, verdict, outcome, List.of(), "p-1", 1.0, null, null, null, actor, null, null);
  }

  static ApprovalEvent approval(String type, Instant ts, String system, Actor actor, String resolution, String why) {
    return new ApprovalEvent(type, ts, UUID.randomUUID(), system, "score", actor, why,
        resolution == null ? Map.of() : Map.of("resolution", resolution));
  }

  static SystemEvent stop(Instant ts, String system, boolean stopped, Actor actor, String reason) {
    return new SystemEvent(stopped ? EventTypes.SYSTEM_STOPPED : EventTypes.SYSTEM_RESUMED, ts, system, actor, reason);
  }

  static DriftEvent drift(Instant ts, String system, String feature, boolean raised) {
    return new DriftEvent(raised ? EventTypes.DRIFT_ALARM_RAISED : EventTypes.DRIFT_ALARM_CLEARED, ts, system, feature,
        "psi", raised ? 0.31 : 0.05, 0.2, 1000, 500, true);
  }

  static RegisterEvent register(Instant ts, String system, RegisterEvent.Change change, RiskTier tier) {
    return new RegisterEvent(ts, system, change, AiSystem.builder(system).owner("risk").purpose("score loans")
        .riskTier(tier).allowModel(MODEL).build());
  }

  static PolicyEvent policy(Instant ts, String system, String version, BoundaryRef... boundaries) {
    return new PolicyEvent(ts, system, version, List.of(boundaries));
  }

  static BoundaryRef boundary(String id, String version) {
    return new BoundaryRef(id, version, Stage.INPUT);
  }

  static OutcomeEvent label(Instant ts, String system, String status) {
    return new OutcomeEvent(ts, UUID.randomUUID(), system, status, system == null ? null : Boolean.TRUE);
  }

  // ---- tampering -------------------------------------------------------------------------------

  private static final Pattern PREV = Pattern.compile("\"prev\":\"[0-9a-f]{64}\"");

  /**
   * Rewrites {@code lines} from index {@code from} on so that every line's {@code prev} and
   * {@code hash} are correct again: a forger's rehash. Only the checkpoints' Merkle roots and
   * signatures can then tell.
   */
  static void rehash(List<String> lines, int from) throws Exception {
    String prev = from == 0 ? "0".repeat(64) : hashOf(lines.get(from - 1));
    for (int i = from; i < lines.size(); i++) {
      String line = lines.get(i);
      String body = line.substring(0, line.lastIndexOf(",\"hash\":\""));
      body = PREV.matcher(body).replaceFirst(Matcher.quoteReplacement("\"prev\":\"" + prev + "\""));
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest((body + "}").getBytes(StandardCharsets.UTF_8)));
      lines.set(i, body + ",\"hash\":\"" + hash + "\"}");
      prev = hash;
    }
  }

  private static String hashOf(String line) {
    int at = line.lastIndexOf(",\"hash\":\"") + 9;
    return line.substring(at, at + 64);
  }

  static Path onlySegment(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      List<Path> segments = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList();
      if (segments.size() != 1) {
        throw new IllegalStateException("expected one segment: " + segments);
      }
      return segments.get(0);
    }
  }

  static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }
}
