package dev.aims.logging;

import dev.aims.core.event.Timestamps;
import java.security.PublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One verification of one stream, whatever the storage: lines go through a strict
 * {@link ChainChecker} in order, then {@link #finish} applies the rules that need the whole log —
 * no empty log, the head at seq 1 or proven cut by retention, every record covered by a signed
 * checkpoint but an allowed tail, and the external anchors.
 */
final class VerificationRun {
  private final @Nullable PublicKey key;
  private final ChainChecker checker;
  private final Map<Long, Checkpoint> checkpoints = new HashMap<>();
  private final List<String> anchors = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private VerificationReport.@Nullable Problem problem;
  private boolean notALog;
  private String noAnchors = "none: cutting records off the end after the last checkpoint cannot be detected (give the"
      + " published checkpoints with --checkpoints)";
  private long lines;
  private long bytes;
  private @Nullable Checkpoint seen;
  private @Nullable Checkpoint lastSigned;
  private @Nullable String firstSource;
  private long firstLine;
  private @Nullable String pendingSource;
  private long pendingLine;

  VerificationRun(@Nullable PublicKey key, Clock clock, @Nullable VerifiedRecordListener listener) {
    this.key = key;
    this.checker = ChainChecker.strict(key, clock, listener);
  }

  /** The log's first seq is 1; its first prev must be all zeros. */
  void fromStart() {
    checker.fromStart();
  }

  /** The log's first seq is not known in advance (a single segment, a stream whose head may be cut). */
  void fromAnywhere() {
    checker.fromAnywhere();
  }

  boolean failed() {
    return problem != null;
  }

  long nextSeq() {
    return checker.nextSeq();
  }

  void addBytes(long n) {
    bytes += n;
  }

  void fail(long seq, String source, long line, String reason) {
    if (problem == null) {
      problem = new VerificationReport.Problem(seq, source, line, reason);
    }
  }

  void notALog(String reason, String source) {
    fail(-1, source, 0, reason);
    notALog = true;
  }

  /** What the output says when no anchor was given. */
  void noAnchorsMeans(String text) {
    noAnchors = text;
  }

  void note(String note) {
    notes.add(note);
  }

  /** Checks {@code buf[from, to)}, one line without its newline; false (and {@link #failed}) if it is bad. */
  boolean line(byte[] buf, int from, int to, String source, long lineNo) {
    boolean noPending = checker.pendingLeaves().isEmpty();
    String why = checker.check(buf, from, to);
    if (why != null) {
      fail(checker.nextSeq() > 0 ? checker.nextSeq() : -1, source, lineNo, why);
      return false;
    }
    lines++;
    if (lines == 1) {
      firstSource = source;
      firstLine = lineNo;
    }
    if (noPending && !checker.pendingLeaves().isEmpty()) {
      pendingSource = source;
      pendingLine = lineNo;
    }
    Checkpoint cp = checker.lastCheckpoint();
    if (cp != null && cp != seen) {
      seen = cp;
      checkpoints.put(cp.seq(), cp);
      if (key != null) {
        lastSigned = cp;
      }
    }
    return true;
  }

  /** The log's stream: the first line's, or null if no line was good. */
  @Nullable String stream() {
    return checker.stream();
  }

  /** The whole-log rules, then the anchors; {@code source} names the log when it has no line at all. */
  VerificationReport finish(String source, long expectedFirstSeq, List<Anchor> published) {
    if (problem == null && lines == 0) {
      fail(expectedFirstSeq, source, 0, "the log has no records (an empty log or segment is never intact)");
    }
    if (problem == null) {
      checkHead();
    }
    if (problem == null && key != null) {
      checkCoverage();
    }
    if (problem == null) {
      checkAnchors(published);
    } else {
      published.stream().map(Anchor::source).distinct()
          .forEach(s -> anchors.add(s + ": not compared (verification stopped at the problem above)"));
    }
    if (anchors.isEmpty() && !notALog) {
      anchors.add(noAnchors);
    }
    long recovered = checker.typeCounts().getOrDefault("log.recovered", 0L);
    if (recovered > 0) {
      notes.add(recovered + " log.recovered event(s): a torn tail was quarantined at open");
    }
    long unanchored = checker.pendingLeaves().size();
    if (problem == null && unanchored > 0) {
      notes.add(unanchored + " record(s) after the last checkpoint (seq " + checker.pendingFrom() + "..) are not"
          + " anchored by a checkpoint yet" + (key != null ? " (within the spacing the last signed checkpoint allows)"
          : ""));
    }
    long lastGood = checker.nextSeq() - 1;
    long lastVerifiedSeq;
    if (key == null) {
      lastVerifiedSeq = Math.max(lastGood, 0);
    } else if (problem == null) {
      lastVerifiedSeq = lastGood;
    } else {
      lastVerifiedSeq = lastSigned == null ? 0 : lastSigned.seq();
    }
    VerificationReport.Status status = notALog ? VerificationReport.Status.NOT_A_LOG
        : problem != null ? VerificationReport.Status.BROKEN
        : key != null ? VerificationReport.Status.VERIFIED : VerificationReport.Status.UNAUTHENTICATED;
    return new VerificationReport(status, checker.records(), checker.signedCheckpoints()
        + checker.unsignedCheckpoints(), checker.signedCheckpoints(), checker.unsignedCheckpoints(),
        checker.firstSeq(), lastGood, checker.firstTs(), checker.lastTs(), bytes, unanchored,
        key == null ? null : SigningKeys.keyId(key), lines == 0 ? null : checker.prevHash(), lastSigned,
        lastVerifiedSeq, problem, anchors, notes);
  }

  private void checkHead() {
    long first = checker.firstSeq();
    if (first == 1) {
      if (!Hex.ZERO_HASH.equals(checker.firstPrev())) {
        fail(1, firstSource, firstLine, "seq 1 has a prev that is not all zeros: it is not the start of a chain");
      }
      return;
    }
    for (ChainChecker.Retention r : checker.retentions()) {
      if (r.keptFromSeq() == first && r.removedThroughHash().equals(checker.firstPrev())) {
        if (key != null && (lastSigned == null || r.seq() > lastSigned.seq())) {
          continue; // in the unsigned tail: anyone could have appended it
        }
        notes.add("the log begins at seq " + first + ": records 1.." + (first - 1) + " were removed by retention, as"
            + " the log.retention record at seq " + r.seq() + (key != null ? " (signed)" : "") + " says");
        return;
      }
    }
    fail(first, firstSource, firstLine, "the log begins at seq " + first + " but no " + (key != null ? "signed " : "")
        + "retention record says records before it were removed (the head was cut)");
  }

  private void checkCoverage() {
    Checkpoint cp = lastSigned;
    if (cp == null) {
      fail(checker.firstSeq(), firstSource, firstLine, "no signed checkpoint: seq " + checker.firstSeq() + " and every"
          + " record after it are not covered by a signature");
      return;
    }
    int tail = checker.pendingLeaves().size();
    if (tail == 0) {
      return;
    }
    long from = checker.pendingFrom();
    if (!cp.declaresSpacing()) {
      fail(from, pendingSource, pendingLine, tail + " records after the last signed checkpoint (seq " + cp.seq()
          + ") are not covered, and that checkpoint (schema version 1) declares no spacing that would allow a tail:"
          + " seq " + from + " is the first not covered");
      return;
    }
    if (tail > cp.checkpointEvery()) {
      fail(from, pendingSource, pendingLine, tail + " records after the last signed checkpoint (seq " + cp.seq()
          + ") are not covered, more than the checkpoint_every " + cp.checkpointEvery() + " it declares: seq " + from
          + " is the first not covered");
      return;
    }
    Instant limit;
    Instant last;
    try {
      limit = Timestamps.parse(cp.ts()).plusMillis(cp.checkpointIntervalMs() + ChainChecker.CLOCK_MARGIN_MS);
      last = Timestamps.parse(checker.lastTs());
    } catch (DateTimeException e) {
      fail(cp.seq(), pendingSource, pendingLine, "the last signed checkpoint's ts '" + cp.ts() + "' is not a time");
      return;
    }
    if (last.isAfter(limit)) {
      fail(from, pendingSource, pendingLine, "records after the last signed checkpoint (seq " + cp.seq() + ", ts "
          + cp.ts() + ") run until ts " + checker.lastTs() + ", later than its checkpoint_interval_ms "
          + cp.checkpointIntervalMs() + " + " + ChainChecker.CLOCK_MARGIN_MS / 1000 + " s allow: seq " + from
          + " is the first not covered");
    }
  }

  /** One published checkpoint, or the reason its line is not one. */
  record Anchor(String source, long line, @Nullable Checkpoint checkpoint, @Nullable String garbage) {}

  /** An anchors source with the checkpoints it holds, for the {@code anchors:} lines. */
  private void checkAnchors(List<Anchor> published) {
    Map<String, long[]> bySource = new java.util.LinkedHashMap<>(); // checked, last seq, before the head
    for (Anchor a : published) {
      long[] figures = bySource.computeIfAbsent(a.source(), s -> new long[3]);
      if (a.garbage() != null) {
        fail(-1, a.source(), a.line(), "not a published checkpoint: " + a.garbage());
        anchors.add(a.source() + ": disagrees with the log (see the problem above)");
        return;
      }
      Checkpoint p = a.checkpoint();
      String at = "the checkpoint published at seq " + p.seq();
      if (!p.stream().equals(checker.stream())) {
        fail(p.seq(), a.source(), a.line(), at + " is for stream '" + p.stream() + "', but the log's stream is '"
            + checker.stream() + "'");
        anchors.add(a.source() + ": disagrees with the log (see the problem above)");
        return;
      }
      if (key != null) {
        String keyId = SigningKeys.keyId(key);
        if (p.signature() == null) {
          fail(p.seq(), a.source(), a.line(), at + " is not signed, but a public key was given");
          anchors.add(a.source() + ": disagrees with the log (see the problem above)");
          return;
        }
        if (!keyId.equals(p.keyId()) || !SigningKeys.verify(key, p.signedBytes(), p.signature())) {
          fail(p.seq(), a.source(), a.line(), at + " is signed with key id " + p.keyId() + ", and its signature does"
              + " not verify with the given public key (key id " + keyId + ")");
          anchors.add(a.source() + ": disagrees with the log (see the problem above)");
          return;
        }
      }
      long lastSeq = checker.nextSeq() - 1;
      if (p.seq() > lastSeq) {
        fail(p.seq(), a.source(), a.line(), at + " is beyond the log's end at seq " + lastSeq
            + ": records were cut off the end");
        anchors.add(a.source() + ": disagrees with the log (see the problem above)");
        return;
      }
      if (p.seq() < checker.firstSeq()) {
        figures[2]++;
        continue;
      }
      Checkpoint mine = checkpoints.get(p.seq());
      if (mine == null || !mine.equals(p)) {
        fail(p.seq(), a.source(), a.line(), at + (mine == null ? " is not in the log, where seq " + p.seq()
            + " is not a checkpoint" : " differs from the log's checkpoint at that seq") + ": the log was rewritten");
        anchors.add(a.source() + ": disagrees with the log (see the problem above)");
        return;
      }
      figures[0]++;
      figures[1] = Math.max(figures[1], p.seq());
    }
    bySource.forEach((source, f) -> anchors.add(source + ": " + f[0] + " published checkpoint(s) found identically"
        + " in the log" + (f[0] > 0 ? ", the last at seq " + f[1] : "")
        + (f[2] > 0 ? ", " + f[2] + " before the log's head (removed by retention)" : "")
        + (key != null ? ", signatures checked" : ", signatures not checked (no public key)")));
  }

  /** Records an anchors source with no checkpoint in it, so that the output names it. */
  void emptyAnchors(String source) {
    anchors.add(source + ": holds no published checkpoint, so nothing could be compared");
  }
}
