package dev.aims.core.event;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs that Maven does not provide (here {@code node}). Where it is missing the
 * test is skipped with a message naming it, unless {@code AIMS_REQUIRE_TOOLS=true} (CI sets it):
 * then the test fails, so a CI run cannot pass without the check having run.
 */
final class ExternalTool {
  private ExternalTool() {}

  /** The first line {@code command --version} prints; skips or fails the test if the command does not run. */
  static String require(String command, String debianPackage) {
    String problem;
    try {
      Process p = new ProcessBuilder(List.of(command, "--version")).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() == 0) {
        return out.lines().findFirst().orElse("");
      }
      problem = "'" + command + " --version' exited with " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      problem = "'" + command + "' is not installed (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted while running '" + command + " --version'";
    }
    String message = problem + "; install Debian's " + debianPackage + " (apt-get install " + debianPackage + ")";
    if ("true".equals(System.getenv("AIMS_REQUIRE_TOOLS"))) {
      fail(message + ". AIMS_REQUIRE_TOOLS=true, so this test must run.");
    }
    Assumptions.abort(message + ". Skipped; set AIMS_REQUIRE_TOOLS=true to make this a failure.");
    throw new AssertionError("unreachable");
  }
}
