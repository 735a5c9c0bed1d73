package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLogException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDecisionLogTest {
  @TempDir Path dir;
  final ObjectMapper mapper = new ObjectMapper();

  FileDecisionLog.Builder builder() {
    return FileDecisionLog.builder(dir).stream("test-1").checkpointEvery(10).signingKey(KEYS);
  }

  @Test
  void governedDecisionsFormAChainWithSignedCheckpointsThatVerifies() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 25, "ok");
      assertThat(log.lastCheckpoint()).isPresent();
    }

    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());

    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(27); // register + policy + 25 decisions
    assertThat(report.checkpoints()).isEqualTo(4); // at open, at 10, 20 records, and at close
    assertThat(report.firstSeq()).isEqualTo(1);
    assertThat(report.unanchored()).isZero();
    assertThat(report.signaturesChecked()).isTrue();
  }

  @Test
  void eachLineIsTheCanonicalRecordWithItsHashAppended() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 3, "line\nbreak \"quoted\" \u2028 é");
    }
    String prev = "0".repeat(64);
    long seq = 1;
    for (String line : lines(onlySegment(dir))) {
      ObjectNode record = (ObjectNode) mapper.readTree(line);
      String hash = record.remove("hash").asText();
      String canonical = CanonicalJson.write(record);
      assertThat(line).isEqualTo(canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + hash + "\"}");
      assertThat(hash).isEqualTo(EventEncoder.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)));
      assertThat(record.get("v").asInt()).isEqualTo(2);
      assertThat(record.get("stream").asText()).isEqualTo("test-1");
      assertThat(record.get("seq").asLong()).isEqualTo(seq++);
      assertThat(record.get("prev").asText()).isEqualTo(prev);
      prev = hash;
    }
  }

  @Test
  void aLogTruncatedMidRecordIsRecoveredAndStillVerifies() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 5, "ok");
    }
    Path segment = onlySegment(dir);
    long size = Files.size(segment);
    try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 40);
    }
    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isFalse();

    try (FileDecisionLog log = builder().open()) {
      assertThat(log.failure()).isEmpty();
      assertThat(log.recoveredBytes()).isPositive();
      decide(aims(log), 2, "after");
    }

    assertThat(Files.list(dir.resolve("quarantine")).count()).isEqualTo(1);
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.notes()).anyMatch(n -> n.contains("log.recovered"));
    assertThat(lines(segment)).anyMatch(l -> l.contains("\"type\":\"log.recovered\""));
  }

  @Test
  void zeroBytesOrGarbageAfterTheLastRecordAreATornTail() throws Exception {
    for (byte[] junk : List.of(new byte[4096], "{\"seq\":99,\"garbage\n\u0001\u0002".getBytes(StandardCharsets.UTF_8))) {
      try (FileDecisionLog log = builder().open()) {
        decide(aims(log), 2, "ok");
      }
      Files.write(onlySegment(dir), junk, StandardOpenOption.APPEND);
      try (FileDecisionLog log = builder().open()) {
        assertThat(log.failure()).isEmpty();
        assertThat(log.recoveredBytes()).isEqualTo(junk.length);
      }
      assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isTrue();
    }
  }

  @Test
  void oneFlippedByteInAMiddleRecordFailsVerificationAtThatSeqAndTheWriterRefuses() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 8, "ok");
    }
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    int victim = 4; // seq 5: after the opening checkpoint, register and policy, the second decision
    lines.set(victim, lines.get(victim).replace("\"amount\":1001", "\"amount\":9001"));
    writeLines(segment, lines);

    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).isFalse();
    assertThat(report.problem().seq()).isEqualTo(5);
    assertThat(report.problem().reason()).contains("hash does not match");

    try (FileDecisionLog log = builder().open()) {
      assertThat(log.failure()).hasValueSatisfying(f -> assertThat(f).contains("read-only").contains("line 5"));
      Aims aims = aims(log); // register events are refused too
    } catch (DecisionLogException expected) {
      assertThat(expected).hasMessageContaining("read-only");
    }
    try (FileDecisionLog log = builder().open()) {
      assertThatThrownBy(() -> log.append(new dev.aims.core.event.LogEntry(
          new dev.aims.core.event.SystemEvent("system.stopped", java.time.Instant.EPOCH, "s",
              dev.aims.core.Actor.of("a", "b"), "r"), EventEncoder.plain())))
          .isInstanceOf(DecisionLogException.class).hasMessageContaining("accepts no more events");
    }
  }

  @Test
  void deletedSwappedOrDuplicatedLinesAreFoundWithTheirSeq() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 8, "ok");
    }
    Path segment = onlySegment(dir);
    List<String> original = lines(segment);

    List<String> deleted = new java.util.ArrayList<>(original);
    deleted.remove(4);
    assertProblemAt(segment, deleted, 5, "seq 6 where 5 was expected");

    List<String> swapped = new java.util.ArrayList<>(original);
    java.util.Collections.swap(swapped, 4, 5);
    assertProblemAt(segment, swapped, 5, "seq 6 where 5 was expected");

    List<String> duplicated = new java.util.ArrayList<>(original);
    duplicated.add(5, original.get(4));
    assertProblemAt(segment, duplicated, 6, "seq 5 where 6 was expected");
  }

  private void assertProblemAt(Path segment, List<String> lines, long seq, String reason) throws Exception {
    writeLines(segment, lines);
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.problem()).isNotNull();
    assertThat(report.problem().seq()).isEqualTo(seq);
    assertThat(report.problem().reason()).contains(reason);
  }

  @Test
  void cuttingOffTheTailIsFoundThroughThePublishedCheckpointsOrReportedAsUnanchored() throws Exception {
    Path published = Files.createTempFile("published", ".jsonl");
    try (FileDecisionLog log = builder().publishCheckpointsTo(new FileCheckpointPublisher(published)).open()) {
      decide(aims(log), 15, "ok");
    }
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    writeLines(segment, lines.subList(0, lines.size() - 4)); // cut off the final checkpoint and 3 records

    VerificationReport alone = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(alone.intact()).isTrue();
    assertThat(alone.unanchored()).isEqualTo(4); // seq 12..15, after the checkpoint at seq 11
    assertThat(alone.notes()).anyMatch(n -> n.contains("not anchored"));

    VerificationReport withPublished = LogVerifier.verify(dir, KEYS.getPublic(), published);
    assertThat(withPublished.intact()).isFalse();
    assertThat(withPublished.problem().reason()).contains("records were cut off");
  }

  @Test
  void aWholeLogRewrittenWithoutTheKeyOrSignedWithAnotherKeyIsRejected() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 12, "genuine");
    }
    // the forger rewrites every record, recomputing the chain and checkpoints, with a key of their own
    Path forged = dir.resolveSibling(dir.getFileName() + "-forged");
    try (FileDecisionLog log = FileDecisionLog.builder(forged).stream("test-1").checkpointEvery(10)
        .signingKey(OTHER_KEYS).open()) {
      decide(aims(log), 12, "forged");
    }
    VerificationReport report = LogVerifier.verify(forged, KEYS.getPublic());
    assertThat(report.intact()).isFalse();
    assertThat(report.problem().reason()).contains("signed with key id " + SigningKeys.keyId(OTHER_KEYS.getPublic()))
        .contains("the given public key has key id " + SigningKeys.keyId(KEYS.getPublic()));

    Path unsigned = dir.resolveSibling(dir.getFileName() + "-unsigned");
    try (FileDecisionLog log = FileDecisionLog.builder(unsigned).stream("test-1").checkpointEvery(10).open()) {
      decide(aims(log), 12, "forged");
    }
    assertThat(LogVerifier.verify(unsigned, KEYS.getPublic()).problem().reason()).contains("not signed");
  }

  @Test
  void aSecondWriterOnTheSameDirectoryIsRefused() throws Exception {
    try (FileDecisionLog first = builder().open()) {
      assertThatThrownBy(() -> builder().open())
          .isInstanceOf(DecisionLogException.class)
          .hasMessageContaining("already open for writing");
    }
    builder().open().close(); // released after close
  }

  @Test
  void aFailedForcePutsTheLogInAFailedStateAndHighRiskCallsAreRefused() throws Exception {
    AtomicReference<FaultyChannel> channel = new AtomicReference<>();
    FileDecisionLog log = builder().channelOpener(faulty(channel)).open();
    Aims aims = aims(log);
    decide(aims, 2, "ok");

    channel.get().failForce = true;
    assertThatThrownBy(() -> decide(aims, 1, "lost?"))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("fsync failed");
    assertThat(log.failure()).hasValueSatisfying(f -> assertThat(f).contains("acknowledges nothing more"));
    channel.get().failForce = false; // even if the disk comes back, nothing more is acknowledged
    assertThatThrownBy(() -> decide(aims, 1, "after"))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("cannot be written");
    log.close();
  }

  @Test
  void eightConcurrentProducersGetStrictlyIncreasingSeqsAndWholeLines() throws Exception {
    try (FileDecisionLog log = builder().checkpointEvery(500).open()) {
      Aims aims = aims(log);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          decide(aims, 250, "x".repeat(300));
        });
        th.start();
        threads.add(th);
      }
      start.countDown();
      for (Thread th : threads) {
        th.join();
      }
    }
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(2 + 8 * 250);
  }

  @Test
  void aFullQueueMakesProducersWaitThenFailsLoudlyAndLosesNothingAccepted() throws Exception {
    AtomicReference<FaultyChannel> channel = new AtomicReference<>();
    FileDecisionLog log = builder().queueCapacity(1).enqueueTimeout(java.time.Duration.ofMillis(200))
        .durability(Durability.ASYNC)
        .channelOpener(faulty(channel)).open();
    Aims aims = aims(log);
    CountDownLatch gate = new CountDownLatch(1);
    channel.get().writeGate = gate; // the disk stalls

    int accepted = 0;
    DecisionLogBackpressureException full = null;
    for (int i = 0; i < 10 && full == null; i++) {
      try {
        log.append(new dev.aims.core.event.LogEntry(new dev.aims.core.event.SystemEvent("system.stopped",
            java.time.Instant.EPOCH, "s", dev.aims.core.Actor.of("a", "b"), "r" + i), EventEncoder.plain()));
        accepted++;
      } catch (DecisionLogBackpressureException e) {
        full = e;
      }
    }
    assertThat(full).isNotNull().hasMessageContaining("stayed full").hasMessageContaining("queue capacity 1)");
    gate.countDown();
    log.close();
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).isTrue();
    assertThat(report.records()).isEqualTo(2 + accepted);
  }

  @Test
  void awkwardValuesAreEscapedDeterministicallyAndTheHashIsStable() throws Exception {
    ObjectNode deep = mapper.createObjectNode();
    ObjectNode cursor = deep;
    for (int i = 0; i < 200; i++) {
      cursor = cursor.putObject("n");
    }
    try (FileDecisionLog log = builder().open()) {
      Aims aims = aims(log);
      for (Object input : List.of("lone \ud800 surrogate", "new\nline\r\n", Double.NaN, deep, "x".repeat(10 << 20),
          List.of(Double.POSITIVE_INFINITY, -0.0, 1e-7, 1e21))) {
        aims.system("credit-scoring").useCase("odd").input(input).call(x -> "ok");
      }
    }
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    for (String line : lines(onlySegment(dir))) {
      ObjectNode record = (ObjectNode) mapper.readTree(line);
      String hash = record.remove("hash").asText();
      byte[] again = CanonicalJson.bytes(mapper.readTree(CanonicalJson.write(record)));
      assertThat(EventEncoder.sha256Hex(again)).isEqualTo(hash);
    }
  }

  @Test
  void segmentsRotateWithTheChainContinuingAndOldOnesExpire() throws Exception {
    dev.aims.core.testing.TestClock clock = dev.aims.core.testing.TestClock.at("2026-01-01T00:00:00Z");
    try (FileDecisionLog log = builder().segmentBytes(8192).clock(clock).open()) {
      decide(aims(log), 60, "y".repeat(200));
    }
    List<Path> segments = Segments.list(dir);
    assertThat(segments).hasSizeGreaterThan(3);
    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isTrue();

    for (Path s : segments) {
      Files.setLastModifiedTime(s, java.nio.file.attribute.FileTime.from(clock.instant()));
    }
    clock.advance(java.time.Duration.ofDays(200));
    try (FileDecisionLog log = builder().segmentBytes(8192).clock(clock).open()) {
      decide(aims(log), 40, "y".repeat(200)); // rotates, which sweeps
    }
    List<Path> left = Segments.list(dir);
    assertThat(left.get(0)).isNotEqualTo(segments.get(0));
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();

    // the cut is said in the chain: the last removed record, its hash, and where the log now begins
    long keptFrom = Segments.firstSeq(left.get(0));
    List<JsonNode> markers = new java.util.ArrayList<>();
    for (Path s : left) {
      for (String line : lines(s)) {
        JsonNode record = mapper.readTree(line);
        if (record.get("type").asText().equals("log.retention")) {
          markers.add(record);
        }
      }
    }
    assertThat(markers).hasSize(1);
    JsonNode marker = markers.get(0);
    int removed = (int) segments.stream().filter(s -> Segments.firstSeq(s) < keptFrom).count();
    assertThat(marker.get("removed_segments").asInt()).isEqualTo(removed);
    assertThat(marker.get("kept_from_seq").asLong()).isEqualTo(keptFrom);
    assertThat(marker.get("removed_through_seq").asLong()).isEqualTo(keptFrom - 1);
    JsonNode firstKept = mapper.readTree(lines(left.get(0)).get(0));
    assertThat(firstKept.get("seq").asLong()).isEqualTo(keptFrom);
    assertThat(marker.get("removed_through_hash").asText()).isEqualTo(firstKept.get("prev").asText());
    assertThat(Timestamps.isFixedForm(marker.get("ts").asText())).isTrue();
    assertThat(marker.get("seq").asLong()).as("an ordinary record of the open segment, covered by a later checkpoint")
        .isLessThan(lastCheckpointSeq(Segments.list(dir)));
  }

  private long lastCheckpointSeq(List<Path> segments) throws Exception {
    long seq = -1;
    for (Path s : segments) {
      for (String line : lines(s)) {
        JsonNode record = mapper.readTree(line);
        if (record.get("type").asText().equals("log.checkpoint")) {
          seq = record.get("seq").asLong();
        }
      }
    }
    return seq;
  }

  @Test
  void aFreshLogIsAnchoredFromItsFirstSeqAndEveryOpenWritesACheckpoint() throws Exception {
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 3, "ok");
    }
    try (FileDecisionLog log = builder().open()) {
      decide(aims(log), 1, "again");
    }
    List<JsonNode> records = records(onlySegment(dir));
    JsonNode first = records.get(0);
    assertThat(first.get("type").asText()).isEqualTo("log.checkpoint");
    assertThat(first.get("seq").asLong()).isEqualTo(1);
    assertThat(first.get("count").asLong()).isZero();
    assertThat(first.get("signature")).isNotNull();
    // open, 5 records, close; open, 1 record, close
    assertThat(records.stream().map(r -> r.get("type").asText()).filter(t -> t.equals("log.checkpoint")))
        .hasSize(4);
    JsonNode reopened = records.get(7);
    assertThat(reopened.get("type").asText()).isEqualTo("log.checkpoint");
    assertThat(reopened.get("count").asLong()).isZero();
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.unanchored()).isZero();
  }

  @Test
  void aTsBeforeThePreviousLinesIsClampedCountedInTheNextCheckpointAndStillVerifies() throws Exception {
    dev.aims.core.testing.TestClock clock = dev.aims.core.testing.TestClock.at("2026-06-01T12:00:00Z");
    java.time.Instant t = clock.instant();
    try (FileDecisionLog log = builder().clock(clock).checkpointEvery(100).open()) {
      append(log, t.plusSeconds(10), "a");
      append(log, t.plusSeconds(5), "b"); // the clock stepped back 5 s
      append(log, t.plusSeconds(7), "c"); // still behind
      append(log, t.plusSeconds(11), "d");
    }
    List<JsonNode> records = records(onlySegment(dir));
    List<String> ts = records.stream().map(r -> r.get("ts").asText()).toList();
    assertThat(ts).allMatch(Timestamps::isFixedForm).isSorted();
    assertThat(reasonTs(records, "b")).isEqualTo("2026-06-01T12:00:10.000000Z");
    assertThat(reasonTs(records, "c")).isEqualTo("2026-06-01T12:00:10.000000Z");
    assertThat(reasonTs(records, "d")).isEqualTo("2026-06-01T12:00:11.000000Z");
    JsonNode closing = records.get(records.size() - 1);
    assertThat(closing.get("type").asText()).isEqualTo("log.checkpoint");
    assertThat(closing.get("ts_clamped").asLong()).isEqualTo(2);
    assertThat(closing.get("ts").asText()).as("the checkpoint's clock time is clamped too")
        .isEqualTo("2026-06-01T12:00:11.000000Z");
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();

    // a restarted writer continues after the last line's ts, whatever its clock says
    clock.set(t.minusSeconds(3600));
    try (FileDecisionLog log = builder().clock(clock).open()) {
      append(log, t.minusSeconds(3600), "e");
    }
    records = records(onlySegment(dir));
    assertThat(records.stream().map(r -> r.get("ts").asText()).toList()).isSorted();
    assertThat(reasonTs(records, "e")).isEqualTo("2026-06-01T12:00:11.000000Z");
    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isTrue();
  }

  @Test
  void aRecoveredEventBuiltByHandIsWrittenInTheFixedTsForm() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode body = FileDecisionLog.recoveredEvent(
        java.time.Clock.fixed(java.time.Instant.parse("2026-06-01T12:00:00Z"), java.time.ZoneOffset.UTC),
        "decisions-1.jsonl", 3, "quarantine/x");
    body.put("ts", "2026-06-01T12:00:00Z"); // as Instant.toString would have written it
    RecordLayout.Prepared p = RecordLayout.prepare(body, "test-1");
    assertThat(new String(p.text, p.tsAt, Timestamps.LENGTH, StandardCharsets.US_ASCII))
        .isEqualTo("2026-06-01T12:00:00.000000Z");
  }

  @Test
  void closeKeepsTheDirectoryLockedUntilAWriterStuckInTheDiskHasStopped() throws Exception {
    AtomicReference<FaultyChannel> channel = new AtomicReference<>();
    FileDecisionLog log = builder().channelOpener(faulty(channel)).closeTimeout(java.time.Duration.ofMillis(300))
        .durability(Durability.ASYNC).open();
    append(log, java.time.Instant.parse("2026-06-01T12:00:00Z"), "first");
    CountDownLatch gate = new CountDownLatch(1);
    channel.get().writeGate = gate; // the disk stops answering
    append(log, java.time.Instant.parse("2026-06-01T12:00:01Z"), "stuck");

    assertThatThrownBy(log::close).isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("did not stop within PT0.3S").hasMessageContaining("stays locked");
    assertThatThrownBy(() -> builder().open()).isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("already open for writing");

    gate.countDown(); // the disk answers again: the writer finishes, then lets go of the directory
    assertThat(log.awaitWriterStopped(java.time.Duration.ofSeconds(30))).isTrue();
    try (FileDecisionLog again = builder().open()) {
      assertThat(again.failure()).isEmpty();
    }
    assertThat(records(onlySegment(dir))).anyMatch(r -> "stuck".equals(r.path("reason").asText()));
    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isTrue();
  }

  @Test
  void closeKeepsTheDirectoryLockedWhileAForceHangsAndTheWaitingProducerIsAnsweredAfterwards() throws Exception {
    AtomicReference<FaultyChannel> channel = new AtomicReference<>();
    FileDecisionLog log = builder().channelOpener(faulty(channel)).closeTimeout(java.time.Duration.ofMillis(300))
        .open(); // GROUP: append waits for the force
    append(log, java.time.Instant.parse("2026-06-01T12:00:00Z"), "first");
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch forcing = new CountDownLatch(1);
    channel.get().forceStarted = forcing;
    channel.get().forceGate = gate; // fsync hangs
    AtomicReference<Throwable> producer = new AtomicReference<>();
    Thread waiting = new Thread(() -> {
      try {
        append(log, java.time.Instant.parse("2026-06-01T12:00:01Z"), "forced later");
      } catch (Throwable t) {
        producer.set(t);
      }
    });
    waiting.start();
    assertThat(forcing.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the writer forces the record").isTrue();

    assertThatThrownBy(log::close).isInstanceOf(DecisionLogException.class).hasMessageContaining("stays locked");
    assertThatThrownBy(() -> builder().open()).hasMessageContaining("already open for writing");
    assertThat(waiting.isAlive()).as("the producer still waits for its force").isTrue();

    gate.countDown();
    waiting.join(30_000);
    assertThat(producer.get()).as("the record was forced, so its append returns normally").isNull();
    assertThat(log.awaitWriterStopped(java.time.Duration.ofSeconds(30))).isTrue();
    builder().open().close();
    assertThat(records(onlySegment(dir))).anyMatch(r -> "forced later".equals(r.path("reason").asText()));
  }

  @Test
  void closeWithAFullQueueAndAStuckDiskDoesNotHangAndTheWriterStillStopsLater() throws Exception {
    AtomicReference<FaultyChannel> channel = new AtomicReference<>();
    FileDecisionLog log = builder().channelOpener(faulty(channel)).closeTimeout(java.time.Duration.ofMillis(200))
        .queueCapacity(2).enqueueTimeout(java.time.Duration.ZERO).durability(Durability.ASYNC).open();
    append(log, java.time.Instant.parse("2026-06-01T12:00:00Z"), "first");
    CountDownLatch gate = new CountDownLatch(1);
    channel.get().writeGate = gate;
    int queued = 0;
    for (int i = 0; i < 10; i++) {
      try {
        append(log, java.time.Instant.parse("2026-06-01T12:00:01Z"), "q" + i);
        queued++;
      } catch (DecisionLogBackpressureException full) {
        break;
      }
    }
    assertThatThrownBy(log::close).isInstanceOf(DecisionLogException.class).hasMessageContaining("stays locked");
    gate.countDown();
    assertThat(log.awaitWriterStopped(java.time.Duration.ofSeconds(30))).isTrue();
    builder().open().close();
    long written = records(onlySegment(dir)).stream().filter(r -> r.path("reason").asText().startsWith("q")).count();
    assertThat(written).isEqualTo(queued);
  }

  private static void append(FileDecisionLog log, java.time.Instant ts, String reason) {
    log.append(new dev.aims.core.event.LogEntry(new dev.aims.core.event.SystemEvent("system.stopped", ts, "s",
        dev.aims.core.Actor.of("a", "b"), reason), EventEncoder.plain()));
  }

  private List<JsonNode> records(Path segment) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : lines(segment)) {
      out.add(mapper.readTree(line));
    }
    return out;
  }

  private static String reasonTs(List<JsonNode> records, String reason) {
    return records.stream().filter(r -> reason.equals(r.path("reason").asText())).findFirst().orElseThrow()
        .get("ts").asText();
  }

  @Test
  void badBuilderSettingsNameTheParameter() {
    assertThatThrownBy(() -> FileDecisionLog.builder(dir).checkpointEvery(0)).hasMessageContaining("checkpointEvery");
    assertThatThrownBy(() -> FileDecisionLog.builder(dir).segmentBytes(10)).hasMessageContaining("segmentBytes");
    assertThatThrownBy(() -> FileDecisionLog.builder(dir).retention(java.time.Duration.ZERO))
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> FileDecisionLog.builder(dir).stream("has space")).hasMessageContaining("stream");
    assertThatThrownBy(() -> FileDecisionLog.builder(dir).queueCapacity(0)).hasMessageContaining("queueCapacity");
  }

  /** Opens segments through a {@link FaultyChannel} and hands the latest one to the test. */
  static LogWriter.ChannelOpener faulty(AtomicReference<FaultyChannel> latest) {
    return p -> {
      FaultyChannel c = new FaultyChannel(java.nio.channels.FileChannel.open(p, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.READ));
      latest.set(c);
      return c;
    };
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }
}
