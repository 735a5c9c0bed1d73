package dev.aims.logging.report;

import dev.aims.core.event.Timestamps;
import dev.aims.logging.Checkpoint;
import dev.aims.logging.LogVerifier;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * An evidence report an auditor can hand in, built only from verified records: it runs
 * {@link LogVerifier} and counts, in that same pass, what the records a verified checkpoint covers
 * show (plus the allowed tail after the last checkpoint when the whole log verified). When the
 * verification fails the report says so first and counts only up to the last verified seq, so a
 * forged record never reaches a table.
 *
 * <pre>{@code
 * EvidenceReport r = EvidenceReport.builder(Path.of("aims-data/decisions"))
 *     .publicKey(SigningKeys.readPublic(Path.of("aims.pub")))
 *     .checkpoints(Path.of("published-checkpoints.jsonl"))
 *     .period(ReportPeriod.parse("2026-03-01", "2026-03-31"))
 *     .build();
 * Files.writeString(Path.of("evidence.html"), r.html());
 * }</pre>
 */
public final class EvidenceReport {
  /** What the verification found, in the words the report uses. */
  public enum Status {
    /** Checked with the public key: every counted record is covered by a signed checkpoint. */
    VERIFIED,
    /** The chain is consistent but no key was given, so nothing was authenticated. */
    NOT_AUTHENTICATED,
    /** Verification failed: only records up to {@link #verifiedThroughSeq()} are counted. */
    BROKEN
  }

  /** A jump in {@code ts} between two consecutive counted records longer than the checkpoint interval. */
  public record Gap(Instant from, Instant to, long seqBefore, long seqAfter, long emptyCheckpoints) {
    public Duration duration() {
      return Duration.between(from, to);
    }
  }

  /** Consecutive empty checkpoints (the writer ran, nothing was recorded), from the checkpoint before them. */
  public record IdleStretch(Instant from, Instant to, int checkpoints) {
    public Duration duration() {
      return Duration.between(from, to);
    }
  }

  /** The counted records of one event type: how many, and the first and last seq among them. */
  public record TypeEvidence(String type, long count, long firstSeq, long lastSeq) {
    TypeEvidence plus(TypeEvidence o) {
      return new TypeEvidence(type, count + o.count, Math.min(firstSeq, o.firstSeq), Math.max(lastSeq, o.lastSeq));
    }
  }

  /** A report's settings. Build with {@link EvidenceReport#builder(Path)}. */
  public static final class Builder {
    private final Path log;
    private @Nullable PublicKey key;
    private List<Path> checkpoints = List.of();
    private ReportPeriod period = ReportPeriod.ALL;
    private Clock clock = Clock.systemUTC();

    private Builder(Path log) {
      this.log = Objects.requireNonNull(log, "log");
    }

    /** The writer's public key: without it the report says "not authenticated". */
    public Builder publicKey(@Nullable PublicKey key) {
      this.key = key;
      return this;
    }

    /** Checkpoints published outside the log ({@code FileCheckpointPublisher}), checked as anchors. */
    public Builder checkpoints(@Nullable Path published) {
      return checkpoints(published == null ? List.of() : List.of(published));
    }

    /** Files of checkpoints published outside the log, each checked as anchors. */
    public Builder checkpoints(List<Path> published) {
      this.checkpoints = List.copyOf(published);
      return this;
    }

    public Builder period(ReportPeriod period) {
      this.period = Objects.requireNonNull(period, "period");
      return this;
    }

    /** The clock for "generated at"; tests set a fixed one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Verifies the log and counts what it shows. */
    public EvidenceReport build() throws IOException {
      Tally tally = new Tally(period);
      VerificationReport v = LogVerifier.verify(LogVerifier.Options.of(log).withPublicKey(key)
          .withCheckpoints(checkpoints).withClock(clock), tally);
      VerificationReport.Problem p = v.problem();
      String problem = p == null ? null : (p.seq() > 0 ? "seq " + p.seq() + ": " : "") + p.file() + " line " + p.line()
          + ": " + p.reason();
      if (problem == null && v.status() == VerificationReport.Status.NOT_A_LOG) {
        problem = v.headline();
      }
      if (problem == null) {
        tally.countTail();
      }
      tally.finish();
      Status status = problem != null ? Status.BROKEN : key == null ? Status.NOT_AUTHENTICATED : Status.VERIFIED;
      return new EvidenceReport(this, v, tally, status, problem, clock.instant());
    }
  }

  private final Path log;
  private final @Nullable String keyId;
  private final List<Path> checkpoints;
  private final ReportPeriod period;
  private final VerificationReport verification;
  private final Tally tally;
  private final Status status;
  private final @Nullable String problem;
  private final Instant generatedAt;

  private EvidenceReport(Builder b, VerificationReport verification, Tally tally, Status status,
      @Nullable String problem, Instant generatedAt) {
    this.log = b.log;
    this.keyId = b.key == null ? null : SigningKeys.keyId(b.key);
    this.checkpoints = b.checkpoints;
    this.period = b.period;
    this.verification = verification;
    this.tally = tally;
    this.status = status;
    this.problem = problem;
    this.generatedAt = generatedAt;
  }

  public static Builder builder(Path log) {
    return new Builder(log);
  }

  /** The whole log, verified with {@code key} (or not authenticated without one). */
  public static EvidenceReport of(Path log, @Nullable PublicKey key) throws IOException {
    return builder(log).publicKey(key).build();
  }

  public Status status() {
    return status;
  }

  /** True unless verification failed. */
  public boolean passed() {
    return status != Status.BROKEN;
  }

  /** Why verification failed, with the seq; null if it did not. */
  public @Nullable String problem() {
    return problem;
  }

  public VerificationReport verification() {
    return verification;
  }

  /** The last seq the counts may include: the end of the log, or when broken the last verified checkpoint. */
  public long verifiedThroughSeq() {
    return status == Status.BROKEN ? tally.coveredThrough : tally.lastLineSeq;
  }

  /** Per AI system, by id. */
  public Map<String, SystemFigures> systems() {
    return Collections.unmodifiableMap(tally.systems);
  }

  public @Nullable SystemFigures system(String id) {
    return tally.systems.get(id);
  }

  /** Records counted (in the period, verified), of every type but checkpoints. */
  public long records() {
    return tally.counted;
  }

  /** Verified records left out because their ts is outside the period. */
  public long outsidePeriod() {
    return tally.outsidePeriod;
  }

  /** The earliest ts of the counted records; null if none. */
  public @Nullable Instant firstTs() {
    return tally.minTs;
  }

  public @Nullable Instant lastTs() {
    return tally.maxTs;
  }

  public long checkpoints() {
    return tally.checkpoints;
  }

  public long emptyCheckpoints() {
    return tally.emptyCheckpoints;
  }

  public List<IdleStretch> idleStretches() {
    return Collections.unmodifiableList(tally.idle);
  }

  public List<Gap> gaps() {
    return Collections.unmodifiableList(tally.gaps);
  }

  public @Nullable Checkpoint lastSignedCheckpoint() {
    return tally.lastSignedCheckpoint;
  }

  /** Counted records (in the period, verified) by event type, checkpoints not included. */
  public Map<String, TypeEvidence> byType() {
    return Collections.unmodifiableMap(tally.byType);
  }

  /** Distinct validation records the verified register entries cite, and how many of them passed. */
  public long[] validationRecords() {
    return new long[] {tally.validations.size(), tally.validations.values().stream().filter(b -> b).count()};
  }

  /** The last verified register definition of each system still registered, as the log has it (snake_case JSON). */
  public Map<String, com.fasterxml.jackson.databind.JsonNode> registerEntries() {
    return Collections.unmodifiableMap(tally.definitions);
  }

  /** The log this report read. */
  public Path log() {
    return log;
  }

  /** The key id the signatures were checked with; null without a key. */
  public @Nullable String keyId() {
    return keyId;
  }

  /** Counted records without a system ({@code log.recovered}, labels of unknown decisions, ...), by type. */
  public Map<String, Long> otherEvents() {
    return Collections.unmodifiableMap(tally.otherEvents);
  }

  public Instant generatedAt() {
    return generatedAt;
  }

  /** The AIMS version that made the report, as Maven built it. */
  public static String aimsVersion() {
    return Version.VALUE;
  }

  public String markdown() {
    return document().markdown();
  }

  /** A standalone HTML page (embedded CSS, nothing fetched) that prints one page per AI system. */
  public String html() {
    return document().html("Decision log evidence: " + log.getFileName());
  }

  // ---- content ---------------------------------------------------------------------------------

  private Doc document() {
    Doc d = new Doc();
    d.heading(1, "Decision log evidence report");
    switch (status) {
      case BROKEN -> d.alert("bad", "VERIFICATION FAILED at " + problem + ". This report counts only the records"
          + (verifiedThroughSeq() > 0 ? " up to seq " + verifiedThroughSeq() + ", the last one a verified checkpoint"
              + " covers" : ": none, since no checkpoint verified") + ". Nothing after it is evidence.");
      case NOT_AUTHENTICATED -> d.alert("warn", "NOT AUTHENTICATED: no public key was given. The chain is"
          + " consistent, but nothing was authenticated: anyone could have rewritten the log and recomputed it. "
          + (tally.signedCheckpoints) + " checkpoint(s) carry a signature that was not checked, "
          + tally.unsignedCheckpoints + " are unsigned.");
      case VERIFIED -> d.alert("ok", "VERIFIED: every record counted here is covered by a checkpoint signed with"
          + " key id " + keyId + (tally.tailRecords > 0 ? ", except " + tally.tailRecords + " record(s) after the"
              + " last checkpoint, within the spacing that checkpoint declares: those are not signed yet, and anyone"
              + " could have written them" : "") + ".");
    }
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"log", log.toString()});
    if (tally.lastCheckpoint != null) {
      facts.add(new String[] {"stream", tally.lastCheckpoint.stream()});
    }
    facts.add(new String[] {"key checked", keyId == null ? "not authenticated: no public key" : "key id " + keyId});
    Checkpoint signed = tally.lastSignedCheckpoint;
    facts.add(new String[] {"last signed checkpoint", signed == null ? "none"
        : "seq " + signed.seq() + " at " + signed.ts() + " (covers seq " + signed.fromSeq() + ".." + signed.toSeq()
            + ", head " + signed.head() + ")"});
    if (signed == null && tally.lastCheckpoint != null) {
      Checkpoint c = tally.lastCheckpoint;
      facts.add(new String[] {"last checkpoint (not authenticated)", "seq " + c.seq() + " at " + c.ts()});
    }
    Checkpoint lastGood = signed != null ? signed : tally.lastCheckpoint;
    if (status == Status.BROKEN) {
      facts.add(new String[] {"head of the verified part", lastGood == null ? "(nothing verified)"
          : lastGood.head() + " (seq " + lastGood.toSeq() + ", the last record a verified checkpoint covers)"});
    } else {
      facts.add(new String[] {"head", tally.lastRecordHash == null ? "(no record)"
          : tally.lastRecordHash + " (seq " + tally.lastRecordSeq + ", the last record)"});
    }
    facts.add(new String[] {"anchors checked", verification.anchors().isEmpty()
        ? "none: cutting records off the end after the last checkpoint cannot be detected"
        : String.join("; ", verification.anchors())});
    facts.add(new String[] {"period", period.whole() ? "the whole log"
        : (period.from() == null ? "the beginning" : Timestamps.format(period.from())) + " to "
            + (period.to() == null ? "the end" : Timestamps.format(period.to()) + " (exclusive)")});
    facts.add(new String[] {"records counted", n(tally.counted) + (tally.counted == 0 ? ""
        : " (seq " + tally.firstSeq + ".." + tally.lastSeq + ")")
        + (tally.outsidePeriod > 0 ? "; " + tally.outsidePeriod + " verified record(s) outside the period left out" : "")});
    facts.add(new String[] {"time covered", tally.minTs == null ? "(no record)"
        : Timestamps.format(tally.minTs) + " .. " + Timestamps.format(tally.maxTs) + " ("
            + duration(Duration.between(tally.minTs, tally.maxTs)) + ")"});
    facts.add(new String[] {"checkpoints", tally.checkpoints + " (" + tally.signedCheckpoints + " signed, "
        + tally.unsignedCheckpoints + " unsigned)" + (keyId == null ? (tally.signedCheckpoints > 0
            ? "; signatures not checked" : "") : "; signatures checked with key id " + keyId)});
    IdleStretch longestIdle = tally.idle.stream().max(Comparator.comparing(IdleStretch::duration)).orElse(null);
    facts.add(new String[] {"idle periods", tally.emptyCheckpoints == 0 ? "none (no empty checkpoint)"
        : longestIdle == null ? tally.emptyCheckpoints + " empty checkpoint(s), none after another checkpoint"
            + " (the one a new log opens with is not idle time)"
        : tally.emptyCheckpoints + " empty checkpoint(s) in " + tally.idle.size() + " stretch(es); longest "
            + duration(longestIdle.duration()) + ", " + Timestamps.format(longestIdle.from()) + " .. "
            + Timestamps.format(longestIdle.to())});
    Gap longestGap = tally.gaps.stream().max(Comparator.comparing(Gap::duration)).orElse(null);
    facts.add(new String[] {"gaps", longestGap == null ? "none longer than the checkpoint interval"
        : tally.gaps.size() + " longer than the checkpoint interval; longest " + duration(longestGap.duration())
            + ", seq " + longestGap.seqBefore() + " to " + longestGap.seqAfter() + " ("
            + Timestamps.format(longestGap.from()) + " .. " + Timestamps.format(longestGap.to()) + ")"});
    facts.add(new String[] {"generated", Timestamps.format(generatedAt) + " by AIMS " + Version.VALUE});
    for (String note : verification.notes()) {
      facts.add(new String[] {"note", note});
    }
    d.add(new Doc.Facts(facts));
    if (!tally.gaps.isEmpty()) {
      d.heading(3, "Longest gaps between records");
      List<List<String>> rows = new ArrayList<>();
      tally.gaps.stream().sorted(Comparator.comparing(Gap::duration).reversed()).limit(5).forEach(g -> rows.add(List.of(
          duration(g.duration()), Timestamps.format(g.from()), Timestamps.format(g.to()),
          g.seqBefore() + " \u2192 " + g.seqAfter(), g.emptyCheckpoints() > 0
              ? "writer running, " + g.emptyCheckpoints() + " empty checkpoint(s)" : "no checkpoint in between")));
      d.add(new Doc.Table(List.of("length", "from", "to", "seq", "checkpoints in the gap"), rows, List.of("length")));
    }
    d.heading(2, "AI systems");
    if (tally.systems.isEmpty()) {
      d.text("No record of any AI system was counted.");
    } else {
      List<List<String>> rows = new ArrayList<>();
      tally.systems.values().forEach(s -> rows.add(List.of(s.system(), n(s.records()), n(s.decisions()),
          n(s.interventions(SystemFigures.REVIEW_REQUESTED)), n(s.interventions(SystemFigures.GRANTED)),
          n(s.interventions(SystemFigures.REJECTED)), n(s.interventions(SystemFigures.OVERRIDDEN)),
          n(s.stopsAndResumes().size()), n(s.reviewers()))));
      d.add(new Doc.Table(List.of("system", "records", "decisions", "reviews", "approved", "rejected", "overridden",
          "stops", "reviewers"), rows, List.of("records", "decisions", "reviews", "approved", "rejected",
          "overridden", "stops", "reviewers")));
      d.text("Each system follows on its own page.");
    }
    if (!tally.otherEvents.isEmpty()) {
      d.heading(3, "Other records");
      List<List<String>> rows = new ArrayList<>();
      tally.otherEvents.forEach((k, v) -> rows.add(List.of(k, n(v))));
      d.add(new Doc.Table(List.of("type", "records"), rows, List.of("records")));
    }
    tally.systems.values().forEach(s -> system(d, s));
    return d;
  }

  private void system(Doc d, SystemFigures s) {
    d.add(new Doc.NewSystem(s.system()));
    d.heading(2, "AI system: " + s.system());
    d.text(n(s.records()) + " counted record(s), " + n(s.decisions()) + " final decision(s)"
        + (status == Status.BROKEN ? ", up to seq " + verifiedThroughSeq() : "") + ".");
    d.heading(3, "Decisions by verdict and outcome");
    if (s.decisions() == 0) {
      d.text("No decision.final record.");
    } else {
      List<String> outcomes = new ArrayList<>(s.byOutcome().keySet());
      List<String> header = new ArrayList<>();
      header.add("verdict / outcome");
      header.addAll(outcomes);
      header.add("total");
      List<List<String>> rows = new ArrayList<>();
      s.byVerdict().forEach((verdict, total) -> {
        List<String> row = new ArrayList<>();
        row.add(verdict);
        outcomes.forEach(o -> row.add(n(s.decisions(verdict, o))));
        row.add(n(total));
        rows.add(row);
      });
      List<String> sum = new ArrayList<>();
      sum.add("total");
      outcomes.forEach(o -> sum.add(n(s.byOutcome().get(o))));
      sum.add(n(s.decisions()));
      rows.add(sum);
      List<String> numeric = new ArrayList<>(outcomes);
      numeric.add("total");
      d.add(new Doc.Table(header, rows, numeric));
    }
    d.heading(3, "Human oversight");
    List<List<String>> rows = new ArrayList<>();
    for (SystemFigures.Intervention i : s.interventions()) {
      if (i.kind().equals(SystemFigures.CANCELLED_OTHER) && i.count() == 0) {
        continue;
      }
      rows.add(List.of(label(i.kind()), n(i.count()), i.kind().equals(SystemFigures.REVIEW_REQUESTED)
          || i.kind().equals(SystemFigures.EXPIRED) ? "" : n(i.people())));
    }
    d.add(new Doc.Table(List.of("intervention", "count", "people"), rows, List.of("count", "people")));
    d.text(n(s.reviewers()) + " distinct reviewer(s) granted, rejected, overrode or escalated. Requests withdrawn by"
        + " the stop switch (approval.cancelled; in older logs approval.rejected with resolution CANCELLED) are not"
        + " counted as rejections.");
    d.heading(3, "Stop switch");
    if (s.stopsAndResumes().isEmpty()) {
      d.text("Not pressed.");
    } else {
      List<List<String>> presses = new ArrayList<>();
      s.stopsAndResumes().forEach(p -> presses.add(List.of(p.ts() == null ? "?" : Timestamps.format(p.ts()),
          p.stopped() ? "stopped" : "resumed", p.actor() + (p.role().isEmpty() ? "" : " (" + p.role() + ")"),
          p.reason(), n(p.seq()))));
      d.add(new Doc.Table(List.of("ts", "action", "by", "reason", "seq"), presses, List.of("seq")));
    }
    d.heading(3, "Drift and fairness alarms");
    if (s.alarms().isEmpty()) {
      d.text("No alarm raised or cleared.");
    } else {
      List<List<String>> alarms = new ArrayList<>();
      s.alarms().values().forEach(a -> alarms.add(List.of(a.feature(), a.statistic(), n(a.raised()), n(a.cleared()),
          a.onAtEnd() ? "on" : "off", a.firstRaised() == null ? "" : Timestamps.format(a.firstRaised()),
          number(a.lastValue()) + " / " + number(a.threshold()))));
      d.add(new Doc.Table(List.of("feature", "statistic", "raised", "cleared", "at the end", "first raised",
          "last value / threshold"), alarms, List.of("raised", "cleared")));
    }
    if (s.alarms().keySet().stream().noneMatch(f -> f.startsWith("fairness: "))) {
      d.text("No fairness alarm in the log: fairness alarms appear here only as fairness.alarm.* records, which this"
          + " AIMS version does not write.");
    }
    d.heading(3, "Register and policy changes");
    if (s.changes().isEmpty()) {
      d.text("None.");
    } else {
      List<List<String>> changes = new ArrayList<>();
      s.changes().forEach(c -> changes.add(List.of(c.ts() == null ? "?" : Timestamps.format(c.ts()), c.type(),
          c.summary(), n(c.seq()))));
      d.add(new Doc.Table(List.of("ts", "event", "what changed", "seq"), changes, List.of("seq")));
    }
    d.heading(3, "Outcome labels");
    if (s.outcomeLabels().isEmpty()) {
      d.text("No outcome.recorded record.");
    } else {
      List<List<String>> labels = new ArrayList<>();
      s.outcomeLabels().forEach((k, v) -> labels.add(List.of(k, n(v))));
      d.add(new Doc.Table(List.of("status", "labels"), labels, List.of("labels")));
    }
    d.footer("Decision log evidence report of " + log + " \u00b7 " + statusWord() + " \u00b7 generated "
        + Timestamps.format(generatedAt) + " by AIMS " + Version.VALUE);
  }

  private String statusWord() {
    return switch (status) {
      case VERIFIED -> "VERIFIED with key id " + keyId;
      case NOT_AUTHENTICATED -> "NOT AUTHENTICATED (no public key)";
      case BROKEN -> "VERIFICATION FAILED, counted up to seq " + verifiedThroughSeq();
    };
  }

  private static String label(String kind) {
    return switch (kind) {
      case SystemFigures.REVIEW_REQUESTED -> "review requested (approval.requested)";
      case SystemFigures.GRANTED -> "approved (approval.granted)";
      case SystemFigures.REJECTED -> "rejected (approval.rejected)";
      case SystemFigures.OVERRIDDEN -> "overridden (decision.overridden)";
      case SystemFigures.ESCALATED -> "escalated (approval.escalated)";
      case "approval.counted" -> "approval counted towards k (approval.counted)";
      case SystemFigures.EXPIRED -> "expired (approval.expired)";
      case SystemFigures.CANCELLED_BY_STOP_SWITCH -> "withdrawn by the stop switch (not a rejection)";
      case SystemFigures.CANCELLED_OTHER -> "withdrawn, no actor (not a rejection)";
      default -> kind;
    };
  }

  private static String n(@Nullable Number v) {
    return v == null ? "0" : String.format("%,d", v.longValue());
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "?" : String.format("%.4g", v);
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillis() % 1000 == 0 || s >= 10 ? s + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
    long days = s / 86_400;
    long h = s % 86_400 / 3600;
    long m = s % 3600 / 60;
    long sec = s % 60;
    return days > 0 ? days + " d " + h + " h" : h > 0 ? h + " h " + m + " min" : m + " min" + (sec > 0 ? " " + sec + " s" : "");
  }

  /** The version Maven wrote into the jar's resources at build time. */
  private static final class Version {
    static final String VALUE = read();

    private static String read() {
      try (InputStream in = EvidenceReport.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty("version", "");
          if (!v.isEmpty() && !v.startsWith("${")) {
            return v;
          }
        }
      } catch (IOException e) {
        // falls through: the report says the version is unknown rather than failing
      }
      String fromManifest = EvidenceReport.class.getPackage().getImplementationVersion();
      return fromManifest == null ? "(version unknown: not built by Maven)" : fromManifest;
    }
  }
}
