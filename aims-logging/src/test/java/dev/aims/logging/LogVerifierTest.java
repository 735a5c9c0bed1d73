package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.Timestamps;
import dev.aims.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogVerifier} through its API: the report's fields, the listener, the clock, retention. */
class LogVerifierTest {
  @TempDir Path tmp;

  private Path writeLog(Path dir) throws Exception {
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("api").checkpointEvery(5).signingKey(KEYS).open()) {
      decide(LogFixtures.aims(log), 12, "ok");
    }
    return dir;
  }

  @Test
  void aVerifiedReportCarriesTheKeyTheHeadAndTheLastSignedCheckpoint() throws Exception {
    Path dir = writeLog(tmp.resolve("log"));
    List<String> lines = lines(onlySegment(dir));
    VerificationReport r = LogVerifier.verify(LogVerifier.Options.of(dir).withPublicKey(KEYS.getPublic()));
    assertThat(r.status()).isEqualTo(VerificationReport.Status.VERIFIED);
    assertThat(r.keyId()).isEqualTo(SigningKeys.keyId(KEYS.getPublic()));
    assertThat(r.headHash()).isEqualTo(Forger.hashOf(lines.get(17)));
    assertThat(r.lastSignedCheckpoint().seq()).isEqualTo(18); // the log opened with a checkpoint at seq 1
    assertThat(r.signedCheckpoints()).isEqualTo(4);
    assertThat(r.unsignedCheckpoints()).isZero();
    assertThat(r.lastVerifiedSeq()).isEqualTo(18);
    assertThat(r.anchors()).singleElement().asString().startsWith("none: ");

    VerificationReport without = LogVerifier.verify(LogVerifier.Options.of(dir));
    assertThat(without.status()).isEqualTo(VerificationReport.Status.UNAUTHENTICATED);
    assertThat(without.keyId()).isNull();
    assertThat(without.lastSignedCheckpoint()).isNull();
    assertThat(without.signedCheckpoints()).isEqualTo(4);
    assertThat(without.headline()).doesNotContain("VERIFIED").doesNotContain("intact");
  }

  @Test
  void theListenerSeesEveryVerifiedRecordInOrderAndEachCheckpointAfterTheRecordsItCovers() throws Exception {
    Path dir = writeLog(tmp.resolve("log"));
    List<String> seen = new ArrayList<>();
    VerifiedRecordListener listener = new VerifiedRecordListener() {
      @Override
      public void record(long seq, String type, byte[] buf, int from, int to) {
        String line = new String(buf, from, to - from, StandardCharsets.UTF_8);
        assertThat(Forger.parse(line).path("seq").asLong()).isEqualTo(seq);
        seen.add(seq + " " + type);
      }

      @Override
      public void checkpoint(Checkpoint checkpoint, boolean signatureChecked) {
        seen.add("cp " + checkpoint.fromSeq() + ".." + checkpoint.toSeq() + " " + signatureChecked);
      }
    };
    LogVerifier.verify(LogVerifier.Options.of(dir).withPublicKey(KEYS.getPublic()), listener);
    assertThat(seen).hasSize(18);
    assertThat(seen.get(0)).isEqualTo("cp 1..0 true"); // the checkpoint the log opened with
    assertThat(seen.get(6)).isEqualTo("cp 2..6 true");
    assertThat(seen.get(7)).startsWith("8 ");
    assertThat(seen.get(17)).isEqualTo("cp 14..17 true");

    // a broken line is never handed on, nor anything after it
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    lines.set(8, lines.get(8).replace("\"use_case\":\"score\"", "\"use_case\":\"scare\""));
    writeLines(segment, lines);
    seen.clear();
    VerificationReport r = LogVerifier.verify(LogVerifier.Options.of(dir).withPublicKey(KEYS.getPublic()), listener);
    assertThat(r.problem().seq()).isEqualTo(9);
    assertThat(seen).hasSize(8).last().asString().startsWith("8 ");
    assertThat(r.lastVerifiedSeq()).isEqualTo(7); // the last signed checkpoint before the problem
  }

  @Test
  void aTsLaterThanTheVerifiersClockPlusAMinuteIsInTheFuture() throws Exception {
    Path dir = writeLog(tmp.resolve("log"));
    String firstTs = LogVerifier.verify(dir, null).firstTs();
    Instant first = Timestamps.parse(firstTs);
    Clock justBefore = Clock.fixed(first.minusSeconds(59), ZoneOffset.UTC);
    Clock tooEarly = Clock.fixed(first.minusSeconds(61), ZoneOffset.UTC);
    LogVerifier.Options options = LogVerifier.Options.of(dir).withPublicKey(KEYS.getPublic());
    // every record is within 2 s of the first (the log was written in well under a second)
    assertThat(LogVerifier.verify(options.withClock(Clock.offset(justBefore, Duration.ofSeconds(2)))).intact())
        .isTrue();
    VerificationReport r = LogVerifier.verify(options.withClock(tooEarly));
    assertThat(r.problem().seq()).isEqualTo(1);
    assertThat(r.problem().reason()).contains("is in the future");
  }

  @Test
  void aTailWhoseTsRunsPastTheLastCheckpointsIntervalIsNotCovered() throws Exception {
    Path dir = writeLog(tmp.resolve("log"));
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    Checkpoint cp13 = Checkpoint.fromLine(Forger.parse(lines.get(12)));
    String late = Timestamps.format(Timestamps.parse(cp13.ts()).plusMillis(cp13.checkpointIntervalMs() + 61_000));
    String inTime = Timestamps.format(Timestamps.parse(cp13.ts()).plusMillis(cp13.checkpointIntervalMs() + 59_000));
    LogVerifier.Options options = LogVerifier.Options.of(dir).withPublicKey(KEYS.getPublic())
        .withClock(Clock.fixed(Instant.parse("2999-01-01T00:00:00Z"), ZoneOffset.UTC));
    for (String ts : List.of(inTime, late)) {
      // the final checkpoint cut off; the last of the 4 records of the tail at ts
      writeLines(segment, Forger.rechain(lines.subList(0, 17), Forger.Checkpoints.AS_THEY_ARE, null,
          n -> n.path("seq").asLong() == 17 ? n.put("ts", ts) : n));
      VerificationReport r = LogVerifier.verify(options);
      if (ts.equals(inTime)) {
        assertThat(r.status()).as(String.valueOf(r.problem())).isEqualTo(VerificationReport.Status.VERIFIED);
        assertThat(r.unanchored()).isEqualTo(4);
        assertThat(r.lastVerifiedSeq()).isEqualTo(17);
      } else {
        assertThat(r.problem().seq()).isEqualTo(14);
        assertThat(r.problem().reason()).contains("run until ts " + late).contains("seq 14 is the first not covered");
        assertThat(r.lastVerifiedSeq()).isEqualTo(13);
      }
    }
  }

  // ---- retention: a log whose head was cut, written line by line with ChainState ---------------

  /**
   * Writes {@code items} records with the writer's ChainState, a signed checkpoint after every 5
   * and (if {@code checkpointAtEnd}) at the end; item {@code retentionItem} is a {@code log.retention}
   * record saying the records through {@code cutAfterSeq} were removed.
   */
  private static List<String> chain(int items, int retentionItem, long cutAfterSeq, @Nullable String hashOverride,
      boolean checkpointAtEnd) {
    TestClock clock = TestClock.at(Instant.now().minusSeconds(3600));
    ChainState chain = new ChainState("ret", Durability.GROUP, KEYS.getPrivate(), SigningKeys.keyId(KEYS.getPublic()),
        clock, 5, 60_000, 1, Hex.ZERO_HASH);
    List<String> lines = new ArrayList<>();
    LineBuffer out = new LineBuffer(1 << 16);
    for (int i = 1; i <= items; i++) {
      clock.advance(Duration.ofMillis(10));
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (i == retentionItem) {
        String removedHash = hashOverride != null ? hashOverride : Forger.hashOf(lines.get((int) cutAfterSeq - 1));
        body.put("type", "log.retention").put("ts", Timestamps.format(clock.instant())).put("removed_segments", 1)
            .put("removed_through_seq", cutAfterSeq).put("removed_through_hash", removedHash)
            .put("kept_from_seq", cutAfterSeq + 1);
      } else {
        body.put("type", "test.event").put("ts", Timestamps.format(clock.instant())).put("n", i);
      }
      chain.link(RecordLayout.prepare(body, "ret"), out, false);
      if (i % 5 == 0 || i == items && checkpointAtEnd) {
        chain.checkpoint(out);
      }
      takeAll(out, lines);
    }
    return lines;
  }

  private static void takeAll(LineBuffer out, List<String> lines) {
    String text = new String(out.bytes, 0, out.length, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    out.clear();
  }

  /** Keeps the lines from {@code firstKept} (0-based) on, as the segment of their first seq. */
  private Path cutHead(String name, List<String> lines, int firstKept) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    long seq = Forger.parse(lines.get(firstKept)).path("seq").asLong();
    writeLines(dir.resolve(Segments.name(seq)), lines.subList(firstKept, lines.size()));
    return dir;
  }

  @Test
  void aHeadCutByRetentionIsAcceptedWhenASignedRetentionRecordProvesIt() throws Exception {
    // seq 1..5 records, 6 checkpoint, 7..10 records, 11 retention "through seq 6", 12 checkpoint, 13..16, 17 checkpoint
    List<String> lines = chain(14, 10, 6, null, true);
    assertThat(lines).hasSize(17);
    assertThat(Forger.parse(lines.get(10)).path("type").asText()).isEqualTo("log.retention");
    Path dir = cutHead("kept", lines, 6);

    VerificationReport r = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(r.status()).as(String.valueOf(r.problem())).isEqualTo(VerificationReport.Status.VERIFIED);
    assertThat(r.firstSeq()).isEqualTo(7);
    assertThat(r.notes()).anyMatch(n -> n.contains("records 1..6 were removed by retention, as the log.retention"
        + " record at seq 11 (signed) says"));

    // cut more than retention did: nothing proves that cut
    Path more = cutHead("more", lines, 12);
    VerificationReport cut = LogVerifier.verify(more, KEYS.getPublic());
    assertThat(cut.problem().seq()).isEqualTo(13);
    assertThat(cut.problem().reason()).isEqualTo("the log begins at seq 13 but no signed retention record says records"
        + " before it were removed (the head was cut)");
  }

  @Test
  void aRetentionRecordNamingAnotherHashOrNotYetSignedProvesNothing() throws Exception {
    List<String> wrongHash = chain(14, 10, 6, "ab".repeat(32), true);
    Path dir = cutHead("wrong", wrongHash, 6);
    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).problem().reason())
        .contains("the log begins at seq 7 but no signed retention record");

    // seq 1..5, 6 checkpoint, 7..11, 12 checkpoint, 13, 14 retention: in the tail no signed checkpoint covers
    List<String> unsigned = chain(12, 12, 6, null, false);
    assertThat(unsigned).hasSize(14);
    Path tail = cutHead("tail", unsigned, 6);
    VerificationReport r = LogVerifier.verify(tail, KEYS.getPublic());
    assertThat(r.intact()).isFalse();
    assertThat(r.problem().reason()).contains("no signed retention record");
    // without a key it is consistent, though nothing is authenticated
    VerificationReport withoutKey = LogVerifier.verify(tail, null);
    assertThat(withoutKey.status()).as(String.valueOf(withoutKey.problem()))
        .isEqualTo(VerificationReport.Status.UNAUTHENTICATED);
  }

  @Test
  void theFastTsFormCheckAgreesWithTimestamps() {
    Random r = new Random(3);
    String base = "2024-02-29T23:59:59.999999Z";
    String chars = "0123456789-:.TZ x";
    int fixed = 0;
    for (int i = 0; i < 30_000; i++) {
      char[] c = base.toCharArray();
      for (int k = r.nextInt(3); k >= 0; k--) {
        c[r.nextInt(c.length)] = chars.charAt(r.nextInt(chars.length()));
      }
      String s = r.nextInt(50) == 0 ? new String(c, 0, r.nextInt(c.length)) : new String(c);
      boolean expected = Timestamps.isFixedForm(s);
      assertThat(FixedTs.isFixedForm(s)).as(s).isEqualTo(expected);
      fixed += expected ? 1 : 0;
    }
    for (String s : List.of("2023-02-29T00:00:00.000000Z", "2000-02-29T00:00:00.000000Z", "1900-02-29T00:00:00.000000Z",
        "2026-04-31T00:00:00.000000Z", "2026-12-31T23:59:60.000000Z", "0000-01-01T00:00:00.000000Z")) {
      assertThat(FixedTs.isFixedForm(s)).as(s).isEqualTo(Timestamps.isFixedForm(s));
    }
    assertThat(fixed).isGreaterThan(1_500);
  }
}
