package dev.aims.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Canonical numbers against Node's {@code String(x)} live, over more than a million doubles made
 * here with a fixed seed: random bit patterns, every power of two and of ten with its neighbours,
 * subnormals, the boundaries of the double range, of the exponent form and of exact integers, and
 * decimals as applications log them. Needs {@code node} (Debian's nodejs): skipped without it,
 * failed without it when {@code AIMS_REQUIRE_TOOLS=true}.
 */
class EcmaScriptNumbersNodeTest {
  static final Path SCRIPT = Path.of("src/test/node/ecmascript-numbers.mjs");

  /** The doubles, each once, in a fixed order. */
  static double[] doubles() {
    Set<Long> bits = new LinkedHashSet<>();
    // every power of two and of ten, both neighbours, both signs; the boundaries likewise
    List<Double> structured = new ArrayList<>();
    for (int e = -1074; e <= 1023; e++) {
      structured.add(Math.scalb(1.0, e));
    }
    for (int e = -323; e <= 308; e++) {
      structured.add(Double.parseDouble("1e" + e));
    }
    for (double d : new double[] {Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Math.ulp(1.0), 1e21, 1e-7,
        1e-6, 0x1p53, 0x1p63, 0x1p64, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3}) {
      structured.add(d);
    }
    for (double d : structured) {
      for (double x : new double[] {d, Math.nextUp(d), Math.nextDown(d)}) {
        bits.add(Double.doubleToRawLongBits(x));
        bits.add(Double.doubleToRawLongBits(-x));
      }
    }
    // 100 ulps around the thresholds of the exponent form and around 2^53, integers around 2^53
    for (double d : new double[] {1e21, 1e-7, 0x1p53, Double.MIN_NORMAL, Double.MAX_VALUE}) {
      long b = Double.doubleToRawLongBits(d);
      for (long k = -100; k <= 100; k++) {
        double x = Double.longBitsToDouble(b + k);
        if (Double.isFinite(x)) {
          bits.add(Double.doubleToRawLongBits(x));
        }
      }
    }
    for (long k = -1000; k <= 1000; k++) {
      bits.add(Double.doubleToRawLongBits((double) ((1L << 53) + k)));
    }
    // the first and last 10,000 subnormals; specials
    for (long b = 1; b <= 10_000; b++) {
      bits.add(b);
      bits.add(0x000f_ffff_ffff_ffffL - b + 1);
    }
    for (double d : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      bits.add(Double.doubleToRawLongBits(d));
    }
    SplittableRandom random = new SplittableRandom(20261203L);
    for (int i = 0; i < 20_000; i++) {
      bits.add(random.nextLong(1L, 1L << 52)); // subnormals anywhere
    }
    for (int i = 0; i < 100_000; i++) {
      long m = random.nextLong(1, 10_000_000_000L);
      int k = random.nextInt(0, 23);
      bits.add(Double.doubleToRawLongBits(m / Math.pow(10, k))); // the decimals applications log
      bits.add(Double.doubleToRawLongBits(random.nextDouble() * Math.pow(10, random.nextInt(-30, 31))));
      bits.add(Double.doubleToRawLongBits((double) random.nextLong(-(1L << 62), 1L << 62) / (1L << random.nextInt(0, 63))));
    }
    while (bits.size() < 1_050_000) {
      bits.add(random.nextLong()); // any bit pattern, NaNs included
    }
    return bits.stream().mapToLong(Long::longValue).mapToDouble(Double::longBitsToDouble).toArray();
  }

  @Test
  void moreThanAMillionDoublesAreWrittenAsNodeWritesThemByEveryPath() throws Exception {
    String version = ExternalTool.require("node", "nodejs");
    assertThat(Files.isRegularFile(SCRIPT)).as("%s", SCRIPT.toAbsolutePath()).isTrue();
    double[] doubles = doubles();
    Process node = new ProcessBuilder("node", SCRIPT.toString(), "stdin")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.US_ASCII),
          1 << 16)) {
        for (double d : doubles) {
          w.write(hex(d));
          w.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    NumberPaths paths = new NumberPaths();
    List<String> wrong = new ArrayList<>();
    int mismatches = 0;
    int lines = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.US_ASCII),
        1 << 16)) {
      for (String l = r.readLine(); l != null; l = r.readLine(), lines++) {
        double d = doubles[lines];
        assertThat(l).as("line %d", lines + 1).startsWith(hex(d) + " ");
        String why = paths.disagreement(d, NumberPaths.canonicalOf(d, l.substring(17)));
        if (!why.isEmpty()) {
          mismatches++;
          if (wrong.size() < 20) {
            wrong.add(why);
          }
        }
      }
    }
    feed.get(1, TimeUnit.MINUTES);
    assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(node.exitValue()).isZero();
    assertThat(lines).isEqualTo(doubles.length).isGreaterThan(1_000_000);
    System.out.printf("%d doubles checked against %s: %d mismatches%n", lines, version, mismatches);
    assertThat(wrong).as("%d of %d doubles differ from %s; the first ones", mismatches, lines, version).isEmpty();
  }

  static String hex(double d) {
    String h = Long.toHexString(Double.doubleToRawLongBits(d));
    return "0".repeat(16 - h.length()) + h;
  }
}
