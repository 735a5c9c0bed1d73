package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check rules} and {@code promtool test rules} on examples/observability. Skipped
 * where promtool is not installed, except in the e2e profile, where that is a failure.
 */
class AlertRulesTest {

  static Path promtool() {
    Path p = Observability.onPath("promtool");
    if (p == null) {
      if (Observability.e2e()) {
        fail("promtool is not on the PATH; the e2e profile needs it (Debian: apt-get install prometheus)");
      }
      Assumptions.abort("promtool is not on the PATH (Debian package prometheus); run with -Pe2e to require it");
    }
    return p;
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(Observability.dir().toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished within a minute", command).isTrue();
    assertThat(process.exitValue()).as("exit code of %s; output:%n%s", command, output).isZero();
    return output;
  }

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    String out = run(List.of(promtool().toString(), "check", "rules", "aims-alerts.yml"));
    assertThat(out).contains("SUCCESS: 10 rules found");
  }

  @Test
  void promtoolUnitTestsOfEveryAlertPass() throws Exception {
    String out = run(List.of(promtool().toString(), "test", "rules", "aims-alerts.test.yml"));
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void everyAlertHasAFiringAndANotFiringUnitTest() throws Exception {
    String tests = java.nio.file.Files.readString(Observability.alertTests());
    for (var alert : Observability.alertExpressions()) {
      String name = alert.getKey();
      long cases = tests.lines().filter(l -> l.trim().equals("alertname: " + name)).count();
      assertThat(cases).as("test cases for %s", name).isGreaterThanOrEqualTo(2);
      assertThat(tests).as("a not-firing case for %s", name)
          .containsPattern("alertname: " + name + "\\s+exp_alerts: \\[]");
      assertThat(tests).as("a firing case for %s", name)
          .containsPattern("alertname: " + name + "\\s+exp_alerts:\\s+- exp_labels:");
    }
  }
}
