package dev.aims.benchmarks;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.Actor;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.Verdict;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The one decision every decision-log benchmark writes: a {@code decision.final} of a credit
 * model, about 1 KB as a JSON line, and the same content as a user would log it with Jackson.
 */
final class DecisionEvents {
  /** The mapper AIMS encodes with; the peers serialise with the same configuration. */
  static final ObjectMapper MAPPER = EventEncoder.newMapper();

  private DecisionEvents() {}

  /** The model's input, as an application would hand it to {@code call(..)}. */
  record LoanApplication(String applicationId, String customerId, String product, double amount, int termMonths,
      double annualIncome, double debtRatio, String employment, int yearsAtAddress, String region, String channel) {}

  /** The model's output. */
  record CreditDecision(double score, String grade, boolean approved, double approvedAmount, double interestRate,
      List<String> topFactors, String explanation) {}

  /** How a user without AIMS would log the same decision: the event's fields plus input and output. */
  record LoggedDecision(@JsonUnwrapped DecisionEvent decision, Object input, Object output) {}

  static DecisionEvent decisionFinal() {
    LoanApplication input = new LoanApplication("APP-2026-11-000481516", "CUST-7731902", "personal-loan", 12_000,
        36, 58_000, 0.31, "permanent", 4, "NL-NH", "mobile-app");
    CreditDecision output = new CreditDecision(0.8731, "B+", true, 12_000, 0.0645,
        List.of("annual_income", "debt_ratio"),
        "above approval threshold 0.62");
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("amount", 12_000.0);
    features.put("annual_income", 58_000.0);
    features.put("debt_ratio", 0.31);
    features.put("term_months", 36);
    features.put("bureau_score", 712);
    return new DecisionEvent(EventTypes.DECISION_FINAL,
        Instant.parse("2026-11-23T14:05:31.512Z"),
        UUID.fromString("5b0c7a52-3f0e-4a8e-9d1f-2c6b8e41a9d7"),
        "credit-scoring", "score",
        ModelRef.of("acme", "scorer", "2.1"), null,
        input, output, null,
        features, null,
        Verdict.ALLOW, Outcome.ALLOWED,
        List.of(new Reason("large-loan", "2026-11", Verdict.ALLOW, "amount below 50000")),
        "2026-11", 3.42, null,
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        Actor.of("svc-loan-origination", "service"), null, null);
  }

  /** The peer's line: the same body, serialised straight from the objects, as a user would. */
  static String userJson(DecisionEvent e) {
    try {
      return MAPPER.writeValueAsString(new LoggedDecision(e, e.input(), e.output()));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Fails fast if the peer's JSON is not the same content as AIMS's body. */
  static void checkSameContent(DecisionEvent e) {
    try {
      var aims = EventEncoder.plain().encode(e);
      var user = MAPPER.readTree(userJson(e));
      // compared in canonical form: the trees differ only in node classes (LongNode vs IntNode)
      if (!CanonicalJson.write(aims).equals(CanonicalJson.write(user))) {
        throw new IllegalStateException("the peers would log different content:\n aims: " + aims + "\n user: " + user);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** A fresh directory under the build's {@code target/}, on the same filesystem as the project. */
  static Path tempDir(String prefix) {
    Path base = Path.of(System.getProperty("aims.bench.dir", "benchmarks/target"));
    if (!Files.isDirectory(base)) {
      throw new IllegalStateException(base.toAbsolutePath() + " does not exist: run from the repository root"
          + " or set -Daims.bench.dir (JMH passes -jvmArgsAppend to the forks)");
    }
    try {
      return Files.createTempDirectory(base.toAbsolutePath(), prefix);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
