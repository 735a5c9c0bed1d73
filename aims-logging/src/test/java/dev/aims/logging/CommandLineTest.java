package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path tmp;
  Path dir;
  Path publicKey;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeALog() throws Exception {
    dir = tmp.resolve("decisions");
    publicKey = tmp.resolve("aims.pub");
    SigningKeys.writePublic(publicKey, KEYS.getPublic());
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("cli").checkpointEvery(5).signingKey(KEYS).open()) {
      decide(LogFixtures.aims(log), 12, "ok");
    }
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

  @Test
  void verifyExitsZeroForAnIntactLog() {
    assertThat(aims("verify", dir.toString(), "--public-key", publicKey.toString())).isZero();
    // 14 records and 4 checkpoints: the one the log opens with, after 5 and 10 records, and at close
    assertThat(out()).startsWith("VERIFIED: 14 records, seq 1..18, 4 signed checkpoints (key id "
        + SigningKeys.keyId(KEYS.getPublic()) + "), head ").doesNotContain("intact");
  }

  @Test
  void verifyExitsOneAndNamesTheFirstBadSeqOfATamperedLog() throws Exception {
    Path segment = onlySegment(dir);
    List<String> lines = lines(segment);
    lines.set(7, lines.get(7).replace("\"use_case\":\"score\"", "\"use_case\":\"scare\"")); // seq 8: seq 7 is a checkpoint
    writeLines(segment, lines);

    assertThat(aims("verify", dir.toString(), "--public-key", publicKey.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 8");
  }

  @Test
  void verifyExitsTwoForUsageAndIoErrors() {
    assertThat(aims()).isEqualTo(2);
    assertThat(aims("verify")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a log directory");
    assertThat(aims("verify", tmp.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
    assertThat(aims("verify", dir.toString(), "--colour", "red")).isEqualTo(2);
    assertThat(aims("frobnicate")).isEqualTo(2);
    assertThat(aims("verify", dir.toString(), "--public-key", dir.resolve(".lock").toString())).isEqualTo(2);
  }

  @Test
  void aSingleSegmentFileCanBeVerified() throws Exception {
    assertThat(aims("verify", onlySegment(dir).toString())).isZero();
    assertThat(out()).startsWith("NOT AUTHENTICATED: chain consistent, 14 records").contains("nothing was authenticated")
        .contains("4 checkpoints carry a signature that was not checked, 0 are unsigned")
        .doesNotContain("VERIFIED").doesNotContain("intact");
  }

  @Test
  void reportSummarisesTheEvidenceAsMarkdownOrHtml() {
    assertThat(aims("report", dir.toString(), "--public-key", publicKey.toString())).isZero();
    assertThat(out()).contains("> VERIFIED:").contains("| ALLOW | 12 | 12 |");
    assertThat(aims("report", dir.toString(), "--format", "html")).isZero();
    assertThat(out()).startsWith("<!doctype html>").contains("<th scope=\"row\">credit-scoring</th>")
        .contains("NOT AUTHENTICATED");
    assertThat(aims("report", dir.toString(), "--format", "pdf")).isEqualTo(2);
  }

  @Test
  void keygenWritesKeysThatSignAndVerifyAndNeverOverwrites() throws Exception {
    Path priv = tmp.resolve("k.pem");
    Path pub = tmp.resolve("k.pub");
    assertThat(aims("keygen", priv.toString(), pub.toString())).isZero();
    assertThat(SigningKeys.keyId(SigningKeys.readPublic(pub))).hasSize(16);
    assertThat(SigningKeys.readPrivate(priv).getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(aims("keygen", priv.toString(), pub.toString())).isEqualTo(2);
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
  }
}
