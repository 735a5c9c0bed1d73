package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import dev.aims.logging.Forger.Checkpoints;
import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forgeries and faults of issue 10, each through {@code aims verify} against a log written by
 * {@link FileDecisionLog} and then changed as a forger with the files (but not the private key)
 * could. The genuine log: stream "cli", 14 records (2 registrations, 12 decisions) and 4
 * checkpoints signed with {@code KEYS}: the one the log opens with (seq 1, count 0), one every 5
 * records (seq 7 and 13) and one at close (seq 18, the last line). Seq 8, an edited record in
 * several tests, is a decision.
 */
class VerifierForgeryTest {
  @TempDir Path tmp;
  Path dir;
  Path segment;
  Path publicKey;
  Path published;
  List<String> genuine;
  /** The seq of the first checkpoint that covers records (the one after the opening checkpoint). */
  long firstCovering;
  /** The seq of the checkpoint after it. */
  long secondCovering;
  /** The seq of the last line, the checkpoint written at close. */
  long last;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeALog() throws Exception {
    dir = tmp.resolve("decisions");
    publicKey = tmp.resolve("aims.pub");
    published = tmp.resolve("published.jsonl");
    SigningKeys.writePublic(publicKey, KEYS.getPublic());
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("cli").checkpointEvery(5).signingKey(KEYS)
        .publishCheckpointsTo(new FileCheckpointPublisher(published)).open()) {
      decide(LogFixtures.aims(log), 12, "ok");
    }
    segment = onlySegment(dir);
    genuine = lines(segment);
    List<Long> checkpoints = genuine.stream().filter(line -> type(line).equals("log.checkpoint"))
        .map(line -> Forger.parse(line).path("seq").asLong()).toList();
    assertThat(genuine).hasSize(18);
    assertThat(checkpoints).containsExactly(1L, 7L, 13L, 18L);
    assertThat(type(line(8))).startsWith("decision.");
    firstCovering = checkpoints.get(1);
    secondCovering = checkpoints.get(2);
    last = checkpoints.get(3);
  }

  /** The genuine line at {@code seq}. */
  String line(long seq) {
    return genuine.get((int) seq - 1);
  }

  int aims(String... args) {
    out.reset();
    err.reset();
    return AimsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  int verifyWithKey(String... more) {
    String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("verify", dir.toString(), "--public-key",
        publicKey.toString()), java.util.stream.Stream.of(more)).toArray(String[]::new);
    return aims(all);
  }

  static String type(String line) {
    return Forger.parse(line).path("type").asText();
  }

  /** An edit of the record at {@code seq} (in the original numbering) only. */
  static UnaryOperator<ObjectNode> at(long seq, UnaryOperator<ObjectNode> edit) {
    return n -> n.path("seq").asLong() == seq ? edit.apply(n) : n;
  }

  void assertNoJavaInternals() {
    assertThat(out() + err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception").doesNotContain("java.")
        .doesNotContain("\tat ");
  }

  @Test
  void theGenuineLogIsVerifiedAndSaysWhichAnchorsWereChecked() {
    assertThat(verifyWithKey()).isZero();
    assertThat(out()).startsWith("VERIFIED: 14 records, seq 1.." + last + ", 4 signed checkpoints (key id "
        + SigningKeys.keyId(KEYS.getPublic()) + "), head " + Forger.hashOf(line(last)) + ", ")
        .contains("\nanchors: none: cutting records off the end after the last checkpoint cannot be detected");
    assertThat(verifyWithKey("--checkpoints", published.toString())).isZero();
    assertThat(out()).startsWith("VERIFIED:")
        .contains("anchors: " + published + ": 4 published checkpoint(s) found identically in the log, the last at"
            + " seq " + last + ", signatures checked");
  }

  // ---- the table of issue 10 ------------------------------------------------------------------

  @Test
  void everyCheckpointRemovedAndTheChainRehashedIsBrokenAtSeqOne() throws Exception {
    AtomicInteger changed = new AtomicInteger();
    writeLines(segment, Forger.rechain(genuine, Checkpoints.AS_THEY_ARE, null, n -> {
      if (type(n.toString()).equals("log.checkpoint")) {
        return null;
      }
      if (n.path("seq").asLong() == 8) {
        n.put("use_case", "scare");
        changed.incrementAndGet();
      }
      return n;
    }));
    assertThat(changed).hasValue(1);
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1: " + segment.getFileName() + " line 1: no signed checkpoint");
  }

  @Test
  void theHeadCutRightAfterACheckpointIsBroken() throws Exception {
    long cut = firstCovering + 1;
    Files.delete(segment);
    writeLines(dir.resolve(Segments.name(cut)), genuine.subList((int) cut - 1, genuine.size()));
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + cut + ": " + Segments.name(cut) + " line 1: the log begins at seq "
        + cut + " but no signed retention record says records before it were removed");
    // the same without a key: still broken, the head is not where a log begins
    assertThat(aims("verify", dir.toString())).isEqualTo(1);
  }

  @Test
  void theTailCutRightAfterACheckpointIsFoundThroughThePublishedCheckpoints() throws Exception {
    writeLines(segment, genuine.subList(0, (int) secondCovering));
    assertThat(verifyWithKey()).isZero();
    assertThat(out()).contains("anchors: none: cutting records off the end after the last checkpoint cannot be"
        + " detected");
    assertThat(verifyWithKey("--checkpoints", published.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + last + ": " + published + " line 4: the checkpoint published at"
        + " seq " + last + " is beyond the log's end at seq " + secondCovering + ": records were cut off the end");
    // report takes the same anchors
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString(), "--checkpoints",
        published.toString())).isEqualTo(1);
    assertThat(out()).startsWith("# Decision log evidence report\n\n> VERIFICATION FAILED at seq " + last + ": ")
        .contains("counts only the records up to seq " + secondCovering);
  }

  @Test
  void anEmptySegmentIsBrokenAndWhatIsNotALogSaysSo() throws Exception {
    Files.write(segment, new byte[0]);
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1: " + segment.getFileName() + ": empty segment");
    assertThat(aims("verify", segment.toString())).isEqualTo(1);

    assertThat(Files.exists(dir.resolve(".lock"))).isTrue();
    assertThat(aims("verify", dir.resolve(".lock").toString(), "--public-key", publicKey.toString())).isEqualTo(2);
    assertThat(out()).startsWith("NOT A LOG: " + dir.resolve(".lock") + " is not a decision log");

    Path random = Files.writeString(tmp.resolve("notes.txt"), "hello\nworld\n");
    assertThat(aims("verify", random.toString())).isEqualTo(2);
    assertThat(out()).startsWith("NOT A LOG: ").contains("its first line is not a record");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(aims("verify", empty.toString())).isEqualTo(2);
    assertThat(out()).startsWith("NOT A LOG: no decision log segments (decisions-<seq>.jsonl) in " + empty);
    for (String text : List.of(out())) {
      assertThat(text).doesNotContain("intact").doesNotContain("VERIFIED");
    }
  }

  @Test
  void aRecomputedUnsignedForgeryNeverPrintsLikeTheGenuineLog() throws Exception {
    assertThat(aims("verify", dir.toString())).isZero();
    String genuineOut = out();
    assertThat(genuineOut).startsWith("NOT AUTHENTICATED: chain consistent, 14 records")
        .contains("nothing was authenticated").contains("4 checkpoints carry a signature that was not checked, 0 are"
            + " unsigned");

    writeLines(segment, Forger.rechain(genuine, Checkpoints.UNSIGNED, null,
        at(8, n -> n.put("use_case", "scare"))));
    assertThat(aims("verify", dir.toString())).isZero();
    assertThat(out()).isNotEqualTo(genuineOut).startsWith("NOT AUTHENTICATED:")
        .contains("0 checkpoints carry a signature that was not checked, 4 are unsigned")
        .doesNotContain("VERIFIED").doesNotContain("intact");
    assertThat(verifyWithKey()).isEqualTo(1); // at the first checkpoint, the one the log opened with
    assertThat(out()).startsWith("BROKEN at seq 1: ").contains("checkpoint is not signed, but a public key was given");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "merkle_root not hex | merkle_root | \"zz\" | checkpoint field merkle_root is not 64 lower-case hex digits",
      "unknown durability  | durability  | \"SOMETIMES\" | checkpoint durability 'SOMETIMES' is none of",
      "count a string      | count       | \"5\" | checkpoint field count is not an integer",
      "count a fraction    | count       | 2.5 | checkpoint field count is not an integer",
      "head missing        | head        | | checkpoint field head is missing",
      "every missing       | checkpoint_every | | checkpoint field checkpoint_every is missing",
  })
  void malformedCheckpointFieldsAreBrokenRecordsWithTheirSeq(String what, String field, String json, String why)
      throws Exception {
    writeLines(segment, Forger.rechain(genuine, Checkpoints.AS_THEY_ARE, null, at(firstCovering, n -> {
      if (json == null) {
        n.remove(field);
      } else {
        n.set(field, Forger.parse("{\"x\":" + json + "}").get("x"));
      }
      return n;
    })));
    assertThat(verifyWithKey()).as(what).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + firstCovering + ": " + segment.getFileName() + " line "
        + firstCovering + ": malformed checkpoint: " + why);
    assertNoJavaInternals();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a ts in 2099     | ts     | 2099-01-01T00:00:00.000000Z | | ts 2099-01-01T00:00:00.000000Z is in the future",
      "a ts going back  | ts     | 2001-01-01T00:00:00.000000Z | | is before the previous record's ts",
      "a ts not a time  | ts     | yesterday | | ts 'yesterday' is not in the fixed form yyyy-MM-ddTHH:mm:ss.ffffffZ of"
          + " schema version 2",
      "a ts not fixed   | ts     | 2026-12-03T13:06:33Z | | ts '2026-12-03T13:06:33Z' is not in the fixed form",
      "a v1 ts not a time | ts   | yesterday | 1 | ts 'yesterday' is not an ISO-8601 instant",
      "stream changed   | stream | other | | stream 'other' where the log's stream is 'cli': two streams in one log",
  })
  void aBadTsOrAChangedStreamIsBrokenAtItsSeq(String what, String field, String value, Integer version, String why)
      throws Exception {
    writeLines(segment, Forger.rechain(genuine, Checkpoints.AS_THEY_ARE, null, n -> {
      long seq = n.path("seq").asLong();
      if (seq == 8 && version != null) {
        n.put("v", version);
      }
      return seq >= 8 && (field.equals("stream") || seq == 8) ? n.put(field, value) : n;
    }));
    assertThat(verifyWithKey()).as(what).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 8: " + segment.getFileName() + " line 8: ").contains(why);
  }

  @Test
  void aCorrectlyChainedLineThatIsNotValidUtf8OrNotCanonicalIsBroken() throws Exception {
    ObjectNode n = Forger.parse(line(8));
    n.remove("hash");
    n.put("seq", last + 1);
    n.put("prev", Forger.hashOf(line(last)));
    byte[] text = CanonicalJson.write(n).getBytes(StandardCharsets.UTF_8);
    String s = new String(text, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("\"use_case\":\"score\"") + "\"use_case\":\"sc".length();
    text[at] = (byte) 0xff;
    Files.write(segment, Forger.seal(text), java.nio.file.StandardOpenOption.APPEND);
    Files.write(segment, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + (last + 1) + ": " + segment.getFileName() + " line " + (last + 1)
        + ": not in canonical form: not valid UTF-8 at byte " + at);

    String spaced = CanonicalJson.write(n).replace("\"use_case\":\"score\"", "\"use_case\": \"score\"");
    writeLines(segment, List.of(genuine.toArray(String[]::new)));
    Files.writeString(segment, Forger.seal(spaced) + "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + (last + 1) + ": ").contains("not in canonical form: unexpected"
        + " byte 0x20");
  }

  // ---- the faults list ------------------------------------------------------------------------

  @Test
  void aLogResignedWithAnotherKeyNamesBothKeyIds() throws Exception {
    writeLines(segment, Forger.rechain(genuine, Checkpoints.RESIGNED, OTHER_KEYS,
        at(8, n -> n.put("use_case", "scare"))));
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1: ") // the checkpoint the log opened with
        .contains("signed with key id " + SigningKeys.keyId(OTHER_KEYS.getPublic()))
        .contains("the given public key has key id " + SigningKeys.keyId(KEYS.getPublic()));
  }

  @Test
  void twoStreamsInOneDirectoryAreBroken() throws Exception {
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("second").checkpointEvery(5).signingKey(KEYS)
        .open()) {
      decide(LogFixtures.aims(log), 3, "ok");
    }
    assertThat(verifyWithKey()).isEqualTo(1);
    // the second writer continues the segment, and its first line is the checkpoint it opens with
    assertThat(out()).startsWith("BROKEN at seq " + (last + 1) + ": ").contains("stream 'second' where the log's stream"
        + " is 'cli'");
  }

  @Test
  void aGarbagePublishedCheckpointsFileIsBrokenNamingItsLine() throws Exception {
    List<String> good = Files.readAllLines(published);
    Files.writeString(published, good.get(0) + "\nthis is not a checkpoint\n");
    assertThat(verifyWithKey("--checkpoints", published.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN: " + published + " line 2: not a published checkpoint: not valid JSON");

    Files.writeString(published, "{\"type\":\"log.checkpoint\",\"seq\":6}\n");
    assertThat(verifyWithKey("--checkpoints", published.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN: " + published + " line 1: not a published checkpoint: checkpoint field"
        + " stream is missing");

    Files.write(published, new byte[] {(byte) 0xc3, '\n'});
    assertThat(verifyWithKey("--checkpoints", published.toString())).isEqualTo(1);
    assertThat(out()).contains("line 1: not a published checkpoint: not valid UTF-8");
    assertNoJavaInternals();
  }

  @Test
  void aCheckpointWithAValidSignatureOverAnotherStreamIsRejected() throws Exception {
    // in the log: checkpoints signed by the writer's own key, but over the bytes of stream "other"
    writeLines(segment, Forger.rechain(genuine, Checkpoints.AS_THEY_ARE, null, n -> {
      if (type(n.toString()).equals("log.checkpoint")) {
        Checkpoint cp = Checkpoint.fromLine(n);
        Checkpoint other = new Checkpoint("other", cp.seq(), cp.ts(), cp.count(), cp.fromSeq(), cp.toSeq(), cp.head(),
            cp.merkleRoot(), cp.durability(), cp.checkpointEvery(), cp.checkpointIntervalMs(), cp.tsClamped(),
            cp.keyId(), null);
        n.put("signature", SigningKeys.sign(KEYS.getPrivate(), other.signedBytes()));
      }
      return n;
    }));
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1: ").contains("checkpoint signature is not valid for the given public"
        + " key");

    // as an anchor: checkpoints published by a log of stream "other", signed with the same key
    writeLines(segment, genuine);
    Path otherDir = tmp.resolve("other");
    Path otherPublished = tmp.resolve("other.jsonl");
    try (FileDecisionLog log = FileDecisionLog.builder(otherDir).stream("other").checkpointEvery(5).signingKey(KEYS)
        .publishCheckpointsTo(new FileCheckpointPublisher(otherPublished)).open()) {
      decide(LogFixtures.aims(log), 12, "ok");
    }
    assertThat(verifyWithKey("--checkpoints", otherPublished.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1: " + otherPublished + " line 1: the checkpoint published at seq 1 is"
        + " for stream 'other', but the log's stream is 'cli'");
  }

  @Test
  void aPublishedCheckpointThatDiffersFromTheLogsIsARewrite() throws Exception {
    writeLines(segment, Forger.rechain(genuine, Checkpoints.RESIGNED, KEYS, at(8, n -> n.put("use_case", "scare"))));
    // (re-signed with the writer's key: only an anchor published before can tell, the first one after seq 8)
    assertThat(verifyWithKey()).isZero();
    assertThat(verifyWithKey("--checkpoints", published.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + secondCovering + ": " + published + " line 3: the checkpoint"
        + " published at seq " + secondCovering + " differs from the log's checkpoint at that seq: the log was"
        + " rewritten");
  }

  @Test
  void aForgedRecordAppendedWithinTheAllowedTailIsSaidToBeNotSignedYet() throws Exception {
    // without the key, a forger can add records after the last checkpoint, within the tail it allows
    ObjectNode forged = Forger.parse(line(8));
    forged.put("decision_id", "019cadc9-6558-703d-8000-ffffffffffff");
    forged.put("ts", Forger.parse(genuine.get(genuine.size() - 1)).path("ts").asText()); // never before the last line
    List<String> lines = new ArrayList<>(genuine);
    lines.add(forged.toString());
    writeLines(segment, Forger.rechain(lines, Checkpoints.AS_THEY_ARE, null, n -> n));
    assertThat(verifyWithKey("--checkpoints", published.toString())).isZero();
    assertThat(out()).startsWith("VERIFIED: ").contains("; the last 1 record(s), after the last signed checkpoint,"
        + " are NOT signed yet: they are within the tail that checkpoint allows, and anyone could have written them");
    // the genuine log says nothing of the kind
    writeLines(segment, genuine);
    assertThat(verifyWithKey()).isZero();
    assertThat(out()).doesNotContain("NOT signed yet");
  }

  @Test
  void anUnanchoredTailLongerThanTheLastCheckpointAllowsIsBroken() throws Exception {
    writeLines(segment, Forger.rechain(genuine, Checkpoints.AS_THEY_ARE, null,
        n -> n.path("seq").asLong() > firstCovering && type(n.toString()).equals("log.checkpoint") ? null : n));
    long first = firstCovering + 1;
    assertThat(verifyWithKey()).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq " + first + ": " + segment.getFileName() + " line " + first + ": 9"
        + " records after the last signed checkpoint (seq " + firstCovering + ") are not covered, more than the"
        + " checkpoint_every 5 it declares");
    // without a key there is no signature to be covered by: consistent, but not authenticated
    assertThat(aims("verify", dir.toString())).isZero();
    assertThat(out()).startsWith("NOT AUTHENTICATED:");
  }

  @Test
  void helpIsUsageOnStdoutAndExitZero() {
    for (String[] args : List.of(new String[] {"verify", "--help"}, new String[] {"report", "--help"},
        new String[] {"help"}, new String[] {"--help"}, new String[] {"help", "verify"}, new String[] {"keygen", "-h"})) {
      assertThat(aims(args)).as(String.join(" ", args)).isZero();
      assertThat(out()).as(String.join(" ", args)).contains("usage: aims ");
    }
    aims("verify", "--help");
    assertThat(out()).contains("--public-key").contains("--checkpoints").contains("exit: 0 VERIFIED");
    aims("report", "--help");
    assertThat(out()).startsWith("usage: aims report").contains("--checkpoints");
  }
}
