package dev.aims.logging;

import static dev.aims.logging.LogFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionLogException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.event.LogEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderAndSinksTest {
  @TempDir Path dir;

  @Test
  void eventsCanBeReadBackBySystemTypeDecisionAndTime() throws Exception {
    UUID id;
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("r").open()) {
      Aims aims = aims(log);
      decide(aims, 5, "ok");
      id = aims.system("credit-scoring").useCase("score").input(new Applicant("z", 1, "n")).call(a -> 0.5).id();
    }
    try (Stream<ObjectNode> finals = LogReader.of(dir).system("credit-scoring").type("decision.final").stream()) {
      assertThat(finals.count()).isEqualTo(6);
    }
    try (Stream<ObjectNode> one = LogReader.of(dir).decision(id).stream()) {
      assertThat(one.map(e -> e.get("input").get("id").asText()).collect(Collectors.toList())).containsExactly("z");
    }
    try (Stream<ObjectNode> none = LogReader.of(dir).between(Instant.parse("2000-01-01T00:00:00Z"),
        Instant.parse("2001-01-01T00:00:00Z")).stream()) {
      assertThat(none.count()).isZero();
    }
    try (Stream<ObjectNode> all = LogReader.of(dir).between(Instant.now().minusSeconds(600), Instant.now()).stream()) {
      assertThat(all.map(e -> e.get("seq").asLong()).collect(Collectors.toList())).startsWith(1L, 2L, 3L);
    }
  }

  @Test
  void aComposedLogKeepsTheEvidenceAndSurvivesAFailingCopy() throws Exception {
    InMemoryDecisionLog copy = InMemoryDecisionLog.create();
    DecisionLog broken = new DecisionLog() {
      @Override
      public void append(LogEntry entry) {
        throw new DecisionLogException("copy down", null);
      }
    };
    try (FileDecisionLog file = FileDecisionLog.builder(dir).stream("c").open()) {
      Aims aims = aims(DecisionLogs.compose(file, broken, copy, Slf4jDecisionLog.create()));
      decide(aims, 3, "ok");
    }
    assertThat(copy.events()).hasSize(5);
    assertThat(LogVerifier.verify(dir, null).records()).isEqualTo(5);
  }

  @Test
  void theSlf4jCopyWritesOneCanonicalJsonLinePerEvent() {
    List<String> lines = new java.util.ArrayList<>();
    org.slf4j.Logger capturing = (org.slf4j.Logger) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {org.slf4j.Logger.class}, (proxy, method, args) -> {
          if (method.getName().equals("isInfoEnabled")) {
            return true;
          }
          if (method.getName().equals("info") && args.length == 1) {
            lines.add((String) args[0]);
          }
          if (method.getName().equals("getName")) {
            return "capture";
          }
          return null;
        });
    decide(aims(Slf4jDecisionLog.to(capturing)), 2, "multi\nline");
    assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l).doesNotContain("\n").startsWith("{"));
    assertThat(Slf4jDecisionLog.LOGGER_NAME).isEqualTo("aims.decisions");
  }
}
