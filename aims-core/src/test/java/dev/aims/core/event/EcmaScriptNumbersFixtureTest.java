package dev.aims.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Canonical numbers against Node's {@code String(x)}, the ECMAScript {@code Number::toString} that
 * RFC 8785 prescribes, as recorded in the committed fixture {@code numbers/ecmascript-numbers.txt}
 * (written by {@code src/test/node/ecmascript-numbers.mjs fixture}; CI regenerates it with Debian's
 * nodejs and fails if it changed). Runs without Node.
 */
class EcmaScriptNumbersFixtureTest {
  record Line(double value, String ecmaScript) {}

  static List<Line> fixture() throws IOException {
    List<Line> lines = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(
            EcmaScriptNumbersFixtureTest.class.getResourceAsStream("/numbers/ecmascript-numbers.txt"), "fixture");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        int space = l.indexOf(' ');
        lines.add(new Line(Double.longBitsToDouble(Long.parseUnsignedLong(l, 0, space, 16)), l.substring(space + 1)));
      }
    }
    return lines;
  }

  @Test
  void everyDoubleOfTheFixtureIsWrittenAsNodeWritesItByEveryPath() throws IOException {
    List<Line> fixture = fixture();
    NumberPaths numbers = new NumberPaths();
    List<String> wrong = new ArrayList<>();
    for (Line line : fixture) {
      String why = numbers.disagreement(line.value(), NumberPaths.canonicalOf(line.value(), line.ecmaScript()));
      if (!why.isEmpty()) {
        wrong.add(why);
      }
    }
    assertThat(fixture).hasSizeGreaterThan(30_000);
    assertThat(wrong).as("%d of %d doubles", wrong.size(), fixture.size()).isEmpty();
  }

  @Test
  void theFixtureHasEveryPowerOfTwoAndTheCasesVersion1GotWrong() throws IOException {
    List<Line> fixture = fixture();
    assertThat(fixture).contains(new Line(0x1p-24, "5.960464477539063e-8"), new Line(Double.MIN_VALUE, "5e-324"),
        new Line(Double.MAX_VALUE, "1.7976931348623157e+308"), new Line(1e21, "1e+21"), new Line(1e-7, "1e-7"));
    long powersOfTwo = fixture.stream().filter(l -> l.value() > 0 && Double.isFinite(l.value())
        && Long.bitCount(Double.doubleToRawLongBits(l.value()) & 0x000f_ffff_ffff_ffffL) == 0
        || l.value() > 0 && l.value() < Double.MIN_NORMAL && Long.bitCount(Double.doubleToRawLongBits(l.value())) == 1).count();
    assertThat(powersOfTwo).isEqualTo(2098); // 2^-1074 .. 2^1023
    // version 1's search wrote one digit too many for 46 powers of two; the fixture has all of them
    long v1Wrong = fixture.stream().filter(l -> !CanonicalJson.numberV1(l.value())
        .equals(NumberPaths.canonicalOf(l.value(), l.ecmaScript()))).count();
    assertThat(v1Wrong).isGreaterThanOrEqualTo(46);
  }
}
