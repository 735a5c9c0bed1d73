package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/decision-log.md is a specification a third party can implement: a verifier written only
 * from it ({@code src/test/python/verify_log.py}, Python standard library and {@code openssl})
 * must give the exit code the spec gives, and the same as {@code aims verify}, for logs the Java
 * writer produced, intact and tampered with.
 */
class IndependentVerifierTest {
  private static final Path SCRIPT = Path.of("src/test/python/verify_log.py");
  private static final String PYTHON = "/usr/bin/python3";
  private static final Pattern HASH_MEMBER = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");

  @TempDir static Path tmp;
  static Path publicKey;

  @BeforeAll
  static void needsPythonAndOpenssl() throws IOException {
    requireTool(PYTHON, "--version");
    requireTool("openssl", "version");
    publicKey = tmp.resolve("aims.pub");
    SigningKeys.writePublic(publicKey, KEYS.getPublic());
  }

  /** A case: how to make the log, the arguments after the log path, and the exit code the spec gives. */
  record Case(String name, int expected, Maker maker, boolean withKey, boolean withAnchors) {}

  /** Writes (and perhaps tampers with) a log in {@code dir}; anchors go to {@code anchors}. Returns the path to verify. */
  @FunctionalInterface
  interface Maker {
    Path make(Path dir, Path anchors) throws Exception;
  }

  @TestFactory
  Stream<DynamicTest> thePythonVerifierAgreesWithTheSpecAndWithAimsVerify() {
    List<Case> cases = List.of(
        new Case("intact, with key", 0, IndependentVerifierTest::intact, true, false),
        new Case("intact, without key", 0, IndependentVerifierTest::intact, false, false),
        new Case("intact, with key and anchors", 0, IndependentVerifierTest::intact, true, true),
        new Case("intact, several segments", 0, IndependentVerifierTest::segmented, true, false),
        new Case("a version 1 log (written before schema 2), with its key and anchors", 0,
            IndependentVerifierTest::versionOne, true, true),
        new Case("one byte changed", 1, IndependentVerifierTest::oneByteChanged, true, false),
        new Case("one byte changed, without key", 1, IndependentVerifierTest::oneByteChanged, false, false),
        new Case("a line deleted", 1, IndependentVerifierTest::lineDeleted, true, false),
        new Case("a line changed and the chain rehashed", 1, IndependentVerifierTest::rehashedChain, true, false),
        new Case("checkpoints stripped and the chain rehashed", 1, IndependentVerifierTest::checkpointsStripped, true,
            false),
        new Case("checkpoints stripped and rehashed, without key", 0, IndependentVerifierTest::checkpointsStripped,
            false, false),
        new Case("head cut (first segment deleted)", 1, IndependentVerifierTest::headCut, true, false),
        new Case("tail cut after a checkpoint, with anchors", 1, IndependentVerifierTest::tailCut, true, true),
        new Case("tail cut after a checkpoint, no anchors (undetectable)", 0, IndependentVerifierTest::tailCut, true,
            false),
        new Case("records appended after the last checkpoint, with key", 1, IndependentVerifierTest::longTail, true,
            false),
        new Case("re-signed with another key", 1, IndependentVerifierTest::otherKey, true, false),
        new Case("unsigned log verified with a key", 1, IndependentVerifierTest::unsigned, true, false),
        new Case("two streams in one directory", 1, IndependentVerifierTest::twoStreams, true, false),
        new Case("non-canonical line in the tail", 1, IndependentVerifierTest::nonCanonical, false, false),
        new Case("invalid UTF-8 in the tail", 1, IndependentVerifierTest::badUtf8, false, false),
        new Case("ts in the future", 1, IndependentVerifierTest::futureTs, false, false),
        new Case("ts going backwards", 1, IndependentVerifierTest::backwardsTs, false, false),
        new Case("stream changed from one record on", 1, IndependentVerifierTest::streamChanged, false, false),
        new Case("an empty segment", 1, IndependentVerifierTest::emptySegment, false, false),
        new Case("the .lock file given as the log", 2, IndependentVerifierTest::lockFile, false, false),
        new Case("a directory without segments", 2, IndependentVerifierTest::noSegments, false, false),
        new Case("a log that is one empty segment", 1, IndependentVerifierTest::onlyAnEmptySegment, false, false),
        new Case("head removed by retention, with its marker", 0, IndependentVerifierTest::retention, true, false),
        new Case("a checkpoint whose merkle_root is not hex", 1, IndependentVerifierTest::merkleRootNotHex, false,
            false),
        new Case("a checkpoint whose durability is unknown", 1, IndependentVerifierTest::unknownDurability, false,
            false),
        new Case("published checkpoints of another stream", 1, IndependentVerifierTest::anchorsOfAnotherStream, true,
            true),
        new Case("a garbage anchors file", 1, IndependentVerifierTest::garbageAnchors, true, true),
        new Case("an empty anchors file (nothing to compare)", 0, IndependentVerifierTest::emptyAnchors, true, true));
    List<String> matrix = new ArrayList<>();
    return Stream.concat(
        cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, matrix))),
        Stream.of(DynamicTest.dynamicTest("matrix", () -> System.out.println(
            "case | spec | python | java | python's first line\n" + String.join("\n", matrix)))));
  }

  private static void check(Case c, List<String> matrix) throws Exception {
    Path caseDir = Files.createDirectories(tmp.resolve(c.name().replaceAll("[^a-z0-9]+", "-")));
    Path anchors = caseDir.resolve("published-checkpoints.jsonl");
    Path target = c.maker().make(caseDir.resolve("decisions"), anchors);
    List<String> args = new ArrayList<>(List.of(target.toString()));
    if (c.withKey()) {
      Path own = caseDir.resolve("aims.pub");
      args.addAll(List.of("--public-key", (Files.exists(own) ? own : publicKey).toString()));
    }
    if (c.withAnchors()) {
      args.addAll(List.of("--checkpoints", anchors.toString()));
    }
    Run python = python(args);
    Run java = java(args);
    matrix.add(c.name() + " | " + c.expected() + " | " + python.exit + " | " + java.exit + " | "
        + python.output.lines().findFirst().orElse(""));
    String both = "\npython said:\n" + python.output + "\naims verify said:\n" + java.output;
    assertThat(python.exit).as("python verifier's exit code for '" + c.name() + "'" + both).isEqualTo(c.expected());
    assertThat(java.exit).as("aims verify's exit code for '" + c.name() + "'" + both).isEqualTo(python.exit);
  }

  // ------------------------------------------------------------------ logs

  static Path write(Path dir, Path anchors, String stream, KeyPair keys, int decisions) throws IOException {
    FileDecisionLog.Builder b = FileDecisionLog.builder(dir).stream(stream).checkpointEvery(5)
        .publishCheckpointsTo(new FileCheckpointPublisher(anchors));
    if (keys != null) {
      b.signingKey(keys);
    }
    try (FileDecisionLog log = b.open()) {
      decide(LogFixtures.aims(log), decisions, "ok");
    }
    return dir;
  }

  static Path intact(Path dir, Path anchors) throws IOException {
    return write(dir, anchors, "independent", KEYS, 12);
  }

  static Path segmented(Path dir, Path anchors) throws IOException {
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("independent").checkpointEvery(5)
        .segmentBytes(8192).signingKey(KEYS).publishCheckpointsTo(new FileCheckpointPublisher(anchors)).open()) {
      decide(LogFixtures.aims(log), 40, "ok");
    }
    if (Segments.list(dir).size() < 3) {
      throw new IllegalStateException("expected several segments in " + dir);
    }
    return dir;
  }

  /** The committed version 1 log (src/test/resources/v1-log), with its own public key. */
  static Path versionOne(Path dir, Path anchors) throws IOException {
    Path fixture = Path.of("src/test/resources/v1-log");
    Files.createDirectories(dir);
    Files.copy(fixture.resolve("decisions").resolve(Segments.name(1)), dir.resolve(Segments.name(1)));
    Files.copy(fixture.resolve("published-checkpoints.jsonl"), anchors);
    Files.copy(fixture.resolve("aims.pub"), dir.resolveSibling("aims.pub"));
    return dir;
  }

  static Path oneByteChanged(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    int i = firstDecision(lines, 4);
    lines.set(i, lines.get(i).replace("\"use_case\":\"score\"", "\"use_case\":\"scare\""));
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path lineDeleted(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    lines.remove(firstDecision(lines, 4));
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path rehashedChain(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    int i = firstDecision(lines, 4);
    lines.set(i, lines.get(i).replace("\"use_case\":\"score\"", "\"use_case\":\"scare\""));
    rechain(lines, i);
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path checkpointsStripped(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    lines.removeIf(l -> l.contains("\"type\":\"log.checkpoint\""));
    rechain(lines, 0);
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path headCut(Path dir, Path anchors) throws IOException {
    segmented(dir, anchors);
    Files.delete(Segments.list(dir).get(0));
    return dir;
  }

  /** Cuts the log right after its second checkpoint: a valid log, only shorter. */
  static Path tailCut(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    int seen = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"log.checkpoint\"") && ++seen == 2 && i < lines.size() - 2) {
        writeRaw(onlySegment(dir), new ArrayList<>(lines.subList(0, i + 1)));
        return dir;
      }
    }
    throw new IllegalStateException("no second checkpoint in " + dir);
  }

  /** Records appended without the key after the last checkpoint: more than the spacing it declares. */
  static Path longTail(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    String lastTs = tsOf(lines.get(lines.size() - 1));
    String decision = lines.get(firstDecision(lines, 1)).replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":\"" + lastTs + "\"");
    for (int k = 0; k < 6; k++) {
      lines.add(decision);
    }
    rechain(lines, lines.size() - 6);
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path otherKey(Path dir, Path anchors) throws IOException {
    return write(dir, anchors, "independent", OTHER_KEYS, 12);
  }

  static Path unsigned(Path dir, Path anchors) throws IOException {
    return write(dir, anchors, "independent", null, 12);
  }

  static Path twoStreams(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    Path other = write(dir.resolveSibling("other"), dir.resolveSibling("other.jsonl"), "other", KEYS, 3);
    long next = Segments.firstSeq(onlySegment(dir)) + raw(onlySegment(dir)).size();
    Files.copy(onlySegment(other), dir.resolve(Segments.name(next)));
    return dir;
  }

  /** The last record rewritten as {@code 1011.0} for {@code 1011}: the same value, not the canonical form. */
  static Path nonCanonical(Path dir, Path anchors) throws IOException {
    return tamperTail(dir, anchors, l -> {
      Matcher m = Pattern.compile("\"amount\":(\\d+)([,}])").matcher(l);
      if (!m.find()) {
        throw new IllegalStateException("no integral amount in " + l);
      }
      return l.substring(0, m.start()) + "\"amount\":" + m.group(1) + ".0" + m.group(2) + l.substring(m.end());
    });
  }

  /** A byte of the last record replaced with 0xFF, which is never valid UTF-8; its hash recomputed over the bytes. */
  static Path badUtf8(Path dir, Path anchors) throws IOException {
    return tamperTail(dir, anchors, l -> l.replace("\"use_case\":\"score\"", "\"use_case\":\"sc\u00ffre\""));
  }

  static Path futureTs(Path dir, Path anchors) throws IOException {
    return tamperTail(dir, anchors, l -> l.replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":\"2099-01-01T00:00:00.000000Z\""));
  }

  static Path backwardsTs(Path dir, Path anchors) throws IOException {
    return tamperTail(dir, anchors, l -> l.replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":\"2000-01-01T00:00:00.000000Z\""));
  }

  static Path streamChanged(Path dir, Path anchors) throws IOException {
    return tamperTail(dir, anchors, l -> l.replace("\"stream\":\"independent\"", "\"stream\":\"elsewhere\""));
  }

  static Path emptySegment(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    long next = Segments.firstSeq(onlySegment(dir)) + raw(onlySegment(dir)).size();
    Files.createFile(dir.resolve(Segments.name(next)));
    return dir;
  }

  static Path lockFile(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    return dir.resolve(".lock");
  }

  static Path noSegments(Path dir, Path anchors) throws IOException {
    return Files.createDirectories(dir);
  }

  static Path onlyAnEmptySegment(Path dir, Path anchors) throws IOException {
    Files.createFile(Files.createDirectories(dir).resolve(Segments.name(1)));
    return dir;
  }

  /** Segments older than the retention deleted by the writer itself, which says so in the chain. */
  static Path retention(Path dir, Path anchors) throws IOException {
    dev.aims.core.testing.TestClock clock = dev.aims.core.testing.TestClock.at("2026-01-01T00:00:00Z");
    FileDecisionLog.Builder b = FileDecisionLog.builder(dir).stream("independent").checkpointEvery(5)
        .segmentBytes(8192).signingKey(KEYS).clock(clock);
    try (FileDecisionLog log = b.open()) {
      decide(aimsAt(log, clock), 40, "y".repeat(200));
    }
    for (Path s : Segments.list(dir)) {
      Files.setLastModifiedTime(s, java.nio.file.attribute.FileTime.from(clock.instant()));
    }
    clock.advance(java.time.Duration.ofDays(200));
    try (FileDecisionLog log = b.open()) {
      decide(aimsAt(log, clock), 30, "y".repeat(200)); // rotates, which deletes the old segments
    }
    if (Segments.firstSeq(Segments.list(dir).get(0)) == 1) {
      throw new IllegalStateException("retention deleted nothing in " + dir);
    }
    return dir;
  }

  static dev.aims.core.Aims aimsAt(FileDecisionLog log, java.time.Clock clock) {
    return dev.aims.core.Aims.builder()
        .register(dev.aims.core.AiSystem.builder("credit-scoring").owner("risk").purpose("score loans")
            .riskTier(dev.aims.core.RiskTier.HIGH).allowModel(MODEL).build())
        .decisionLog(log)
        .clock(clock)
        .build();
  }

  static Path merkleRootNotHex(Path dir, Path anchors) throws IOException {
    return tamperCheckpoint(dir, anchors, l -> l.replaceFirst("\"merkle_root\":\"[0-9a-f]{64}\"",
        "\"merkle_root\":\"" + "zz".repeat(32) + "\""));
  }

  static Path unknownDurability(Path dir, Path anchors) throws IOException {
    return tamperCheckpoint(dir, anchors, l -> l.replaceFirst("\"durability\":\"[A-Z]+\"", "\"durability\":\"EVENTUAL\""));
  }

  /** The last checkpoint changed and rehashed (no key: only the field checks can find it). */
  static Path tamperCheckpoint(Path dir, Path anchors, java.util.function.UnaryOperator<String> change)
      throws IOException {
    intact(dir, anchors);
    List<String> lines = raw(onlySegment(dir));
    int last = lines.size() - 1;
    String before = lines.get(last);
    lines.set(last, change.apply(before));
    if (lines.get(last).equals(before)) {
      throw new IllegalStateException("the change did not apply to " + before);
    }
    rechain(lines, last);
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  static Path anchorsOfAnotherStream(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    Files.delete(anchors);
    write(dir.resolveSibling("other"), anchors, "other", KEYS, 3);
    return dir;
  }

  static Path emptyAnchors(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    Files.writeString(anchors, "");
    return dir;
  }

  static Path garbageAnchors(Path dir, Path anchors) throws IOException {
    intact(dir, anchors);
    Files.writeString(anchors, "{\"this is\": \"not a checkpoint\"}\nnot even JSON\n");
    return dir;
  }

  /**
   * Drops the lines after the last decision (so it is in an unanchored tail, which is allowed without a key),
   * changes the last record and recomputes its hash: only the property under test can find it.
   */
  static Path tamperTail(Path dir, Path anchors, java.util.function.UnaryOperator<String> change) throws IOException {
    write(dir, anchors, "independent", KEYS, 12);
    List<String> lines = raw(onlySegment(dir));
    while (!lines.get(lines.size() - 1).contains("\"type\":\"decision.final\"")) {
      lines.remove(lines.size() - 1);
    }
    int last = lines.size() - 1;
    String before = lines.get(last);
    lines.set(last, change.apply(before));
    if (lines.get(last).equals(before)) {
      throw new IllegalStateException("the change did not apply to " + before);
    }
    rechain(lines, last);
    writeRaw(onlySegment(dir), lines);
    return dir;
  }

  // ------------------------------------------------------------------ byte-level editing

  /** The lines of a segment as ISO-8859-1 text: one char per byte, so any byte survives editing. */
  static List<String> raw(Path segment) throws IOException {
    String all = Files.readString(segment, StandardCharsets.ISO_8859_1);
    return new ArrayList<>(List.of(all.split("\n")));
  }

  static void writeRaw(Path segment, List<String> lines) throws IOException {
    Files.writeString(segment, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
  }

  static int firstDecision(List<String> lines, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"decision.final\"")) {
        return i;
      }
    }
    throw new IllegalStateException("no decision.final line after " + from);
  }

  /** From line {@code from} on: seq renumbered after the previous line, prev linked, hash recomputed. */
  static void rechain(List<String> lines, int from) {
    String prev = from == 0 ? Hex.ZERO_HASH : hashOf(lines.get(from - 1));
    long seq = from == 0 ? 1 : seqOf(lines.get(from - 1)) + 1;
    for (int i = from; i < lines.size(); i++) {
      String l = lines.get(i);
      l = l.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
      l = l.replaceFirst("\"seq\":\\d+,", "\"seq\":" + seq + ",");
      if (l.contains("\"type\":\"log.checkpoint\"")) {
        l = l.replaceFirst("\"head\":\"[0-9a-f]{64}\"", "\"head\":\"" + prev + "\"");
      }
      Matcher m = HASH_MEMBER.matcher(l);
      if (!m.find()) {
        throw new IllegalStateException("no hash member in " + l);
      }
      String body = l.substring(0, m.start()) + "}";
      String hash = Hex.HEX.formatHex(Hex.sha256().digest(body.getBytes(StandardCharsets.ISO_8859_1)));
      l = l.substring(0, m.start()) + ",\"hash\":\"" + hash + "\"}";
      lines.set(i, l);
      prev = hash;
      seq++;
    }
  }

  static String hashOf(String line) {
    Matcher m = HASH_MEMBER.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no hash member in " + line);
    }
    return m.group(1);
  }

  static String tsOf(String line) {
    Matcher m = Pattern.compile("\"ts\":\"([^\"]+)\"").matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no ts in " + line);
    }
    return m.group(1);
  }

  static long seqOf(String line) {
    Matcher m = Pattern.compile("\"seq\":(\\d+),").matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("no seq in " + line);
    }
    return Long.parseLong(m.group(1));
  }

  // ------------------------------------------------------------------ the two verifiers

  record Run(int exit, String output) {}

  static Run java(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("verify"));
    all.addAll(args);
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = AimsCommand.run(all.toArray(String[]::new), ps, ps);
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  static Run python(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the python verifier did not finish in 120 s");
    }
    return new Run(p.exitValue(), output);
  }

  /**
   * The tool rule of the build: a missing tool skips the test, unless {@code AIMS_REQUIRE_TOOLS=true}
   * (CI), where it fails.
   */
  static void requireTool(String... command) {
    boolean present;
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("AIMS_REQUIRE_TOOLS"))) {
      fail(command[0] + " is required (AIMS_REQUIRE_TOOLS=true) but could not be run");
    }
    assumeTrue(present, command[0] + " is not installed: the independent verifier test is skipped");
  }
}
