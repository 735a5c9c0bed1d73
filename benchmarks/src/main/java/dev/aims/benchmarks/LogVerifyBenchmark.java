package dev.aims.benchmarks;

import dev.aims.core.event.LogEntry;
import dev.aims.logging.Durability;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.LogVerifier;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
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
 * {@link LogVerifier#verify} over a pre-written log of about 250 MB (the {@link DecisionLogBenchmark}
 * decision, 64 MiB segments, signed checkpoints every 10,000 records), checking every hash, the
 * chain, every Merkle root and every signature. The log was just written, so it is read from the
 * page cache: this is the verifier's own speed, not the disk's.
 *
 * <p>{@code logBytes} is an auxiliary counter: verified bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@State(Scope.Benchmark)
public class LogVerifyBenchmark {
  static final int RECORDS = 200_000;

  Path dir;
  KeyPair keys;

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
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("bench").durability(Durability.ASYNC)
        .signingKey(keys).open()) {
      for (int i = 0; i < RECORDS; i++) {
        log.append(new LogEntry(DecisionLogBenchmark.EVENT, DecisionLogBenchmark.ENCODER));
      }
    }
    VerificationReport r = LogVerifier.verify(dir, keys.getPublic());
    if (!r.intact() || r.records() != RECORDS) {
      throw new IllegalStateException("the pre-written log does not verify: " + r);
    }
    System.out.printf("%n[verify] log of %,d records, %,d bytes, %d checkpoints%n", r.records(), r.bytes(),
        r.checkpoints());
  }

  @TearDown
  public void deleteLog() {
    DecisionEvents.delete(dir);
  }

  @Benchmark
  public VerificationReport verify(Verified v) throws IOException {
    VerificationReport r = LogVerifier.verify(dir, keys.getPublic());
    if (!r.intact()) {
      throw new IllegalStateException("verification failed: " + r);
    }
    v.logBytes += r.bytes();
    return r;
  }
}
