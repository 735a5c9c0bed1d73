package dev.aims.benchmarks;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.aims.core.event.CanonicalJson;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The canonical number form of schema version 2 ({@link CanonicalJson#numberV2}: ECMAScript
 * {@code Number::toString}) against version 1's ({@link CanonicalJson#numberV1}), with the peers a
 * user would otherwise call: jackson-core's Schubfach writer and {@link Double#toString}. Average
 * time per double over 1,024 doubles of one kind:
 * <ul>
 *   <li>{@code logged}: the decimals of the decision-log benchmark's event (12000, 0.31, 0.8731, 0.0645, 3.42), and
 *       others like them (m / 10<sup>k</sup>, m below 10<sup>7</sup>);
 *   <li>{@code computed}: a model's output, a logistic of a random score (16–17 digits);
 *   <li>{@code bits}: any finite bit pattern (wide exponents, subnormals).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CanonicalNumberBenchmark {
  static final int N = 1024;

  @Param({"logged", "computed", "bits"})
  public String kind;

  double[] values;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(20261203);
    values = new double[N];
    double[] event = {12_000, 0.31, 0.8731, 0.0645, 3.42};
    for (int i = 0; i < N; i++) {
      values[i] = switch (kind) {
        case "logged" -> i < event.length ? event[i] : random.nextInt(1, 10_000_000) / Math.pow(10, random.nextInt(0, 6));
        case "computed" -> 1.0 / (1.0 + Math.exp(-random.nextDouble(-6, 6)));
        case "bits" -> {
          double d;
          do {
            d = Double.longBitsToDouble(random.nextLong());
          } while (!Double.isFinite(d));
          yield d;
        }
        default -> throw new IllegalArgumentException(kind);
      };
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberV2(Blackhole bh) {
    for (double d : values) {
      bh.consume(CanonicalJson.numberV2(d));
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void numberV1(Blackhole bh) {
    for (double d : values) {
      bh.consume(CanonicalJson.numberV1(d));
    }
  }

  /** Peer: jackson-core's Schubfach, Java's notation (what {@code JsonGenerator} writes with its fast writer). */
  @Benchmark
  @OperationsPerInvocation(N)
  public void jacksonSchubfach(Blackhole bh) {
    for (double d : values) {
      bh.consume(NumberOutput.toString(d, true));
    }
  }

  /** Peer: JDK 17's {@code Double.toString} (not always shortest). */
  @Benchmark
  @OperationsPerInvocation(N)
  public void jdkDoubleToString(Blackhole bh) {
    for (double d : values) {
      bh.consume(Double.toString(d));
    }
  }
}
