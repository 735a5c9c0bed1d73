package dev.aims.benchmarks;

import dev.aims.core.event.LogEntry;
import dev.aims.logging.Durability;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.LogVerifier;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link LogVerifier#verify} with a public key over a pre-written log of about 90 MB (the
 * {@link DecisionLogBenchmark} decision, 64 MiB segments, signed checkpoints every 10,000 records):
 * every line's hash, strict UTF-8 and canonical form (re-canonicalisation in one byte pass),
 * stream and ts, the chain, every Merkle root and signature, coverage. Beside it, in the same run,
 * {@link #sha256}: reading the same files and SHA-256 over their bytes, the floor any verifier
 * that hashes every byte stands on. The log was just written, so it is read from the page cache:
 * this is the verifier's own speed, not the disk's.
 *
 * <p>{@code logBytes} is an auxiliary counter: bytes per second (divide by 10<sup>6</sup> for MB/s).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@State(Scope.Benchmark)
public class VerifyBenchmark {
  static final int RECORDS = 70_000;

  Path dir;
  KeyPair keys;
  List<Path> segments;

  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Verified {
    public long logBytes;

    @Setup(Level.Iteration)
    public void reset() {
      logBytes = 0;
    }
  }

  @Setup
  public void writeLog() throws IOException {
    dir = DecisionEvents.tempDir("aims-verify-");
    keys = SigningKeys.generate();
    // checkpoints at the decision's own ts, so that ts never goes back (the event is one fixed decision)
    Clock atTheDecision = Clock.fixed(DecisionLogBenchmark.EVENT.ts(), ZoneOffset.UTC);
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("bench").durability(Durability.ASYNC)
        .clock(atTheDecision).signingKey(keys).open()) {
      for (int i = 0; i < RECORDS; i++) {
        log.append(new LogEntry(DecisionLogBenchmark.EVENT, DecisionLogBenchmark.ENCODER));
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      segments = files.filter(p -> p.getFileName().toString().startsWith("decisions-")).sorted().toList();
    }
    VerificationReport r = verify();
    if (r.status() != VerificationReport.Status.VERIFIED || r.records() != RECORDS) {
      throw new IllegalStateException("the pre-written log does not verify: " + r.headline());
    }
    System.out.printf("%n[verify] log of %,d records, %,d bytes, %d checkpoints%n", r.records(), r.bytes(),
        r.checkpoints());
  }

  @TearDown
  public void deleteLog() {
    DecisionEvents.delete(dir);
  }

  private VerificationReport verify() throws IOException {
    return LogVerifier.verify(LogVerifier.Options.of(dir).withPublicKey(keys.getPublic()));
  }

  @Benchmark
  public VerificationReport verify(Verified v) throws IOException {
    VerificationReport r = verify();
    if (r.status() != VerificationReport.Status.VERIFIED) {
      throw new IllegalStateException("verification failed: " + r.headline());
    }
    v.logBytes += r.bytes();
    return r;
  }

  /** The floor: read every segment as {@code verify} does and hash all of its bytes once. */
  @Benchmark
  public byte[] sha256(Verified v) throws IOException, NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (Path segment : segments) {
      byte[] data = Files.readAllBytes(segment);
      md.update(data);
      v.logBytes += data.length;
    }
    return md.digest();
  }
}
