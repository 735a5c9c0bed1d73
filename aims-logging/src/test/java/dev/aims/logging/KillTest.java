package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of a writer process during heavy appends, 50 rounds per mode on one log: every record
 * acknowledged under SYNC or GROUP is in the log after reopening, exactly once and in the order its
 * producer appended it, and the log verifies with the writer's key. {@code -Daims.killRounds=N}
 * runs more rounds (scripts/kill-soak.sh). A killed process keeps its page cache, so this test
 * cannot tell whether the writer forces: {@link PowerLossTest} does.
 */
class KillTest {
  @TempDir Path dir;
  @TempDir Path keyDir;

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"GROUP", "SYNC"})
  void everyAcknowledgedRecordSurvivesKillMinus9OnceAndInOrder(Durability durability) throws Exception {
    int rounds = Integer.getInteger("aims.killRounds", 50);
    KeyPair keys = SigningKeys.generate();
    Path publicKey = keyDir.resolve("aims.pub.pem");
    Path privateKey = keyDir.resolve("aims.pem");
    SigningKeys.writePublic(publicKey, keys.getPublic());
    SigningKeys.writePrivate(privateKey, keys.getPrivate());
    Random random = new Random(42);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < rounds; round++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
          KillTarget.class.getName(), dir.toString(), durability.name(), "r" + round, publicKey.toString(),
          privateKey.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      CountDownLatch ready = new CountDownLatch(1);
      CountDownLatch firstAck = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            if (line.equals("ready")) {
              ready.countDown();
            } else if (line.startsWith("ack ")) {
              acked.add(line.substring(4));
              firstAck.countDown();
            }
          }
        } catch (java.io.IOException e) {
          // the process died; what was read is what was acknowledged
        }
      });
      reader.start();
      assertThat(ready.await(30, TimeUnit.SECONDS)).as("writer process started").isTrue();
      // on a loaded machine (or a disk busy with others' fsyncs) the first acknowledgement can take
      // longer than the random pause below: wait for one, so every round kills a writer mid-flight
      assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("writer acknowledged a record").isTrue();
      Thread.sleep(20 + random.nextInt(150)); // let it append for a random while, then kill it mid-flight
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }

    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("kill-test").signingKey(keys).open()) {
      assertThat(log.failure()).isEmpty();
    }
    VerificationReport report = LogVerifier.verify(dir, keys.getPublic());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.unanchored()).isZero();

    ObjectMapper mapper = new ObjectMapper();
    List<String> logged = new ArrayList<>();
    for (Path segment : Segments.list(dir)) {
      for (String line : Files.readAllLines(segment)) {
        JsonNode record = mapper.readTree(line);
        if (record.has("reason")) {
          logged.add(record.get("reason").asText());
        }
      }
    }
    Set<String> once = new HashSet<>();
    List<String> repeated = logged.stream().filter(id -> !once.add(id)).toList();
    assertThat(repeated).as("records in the log more than once").isEmpty();
    Map<String, Long> lastOfProducer = new HashMap<>(); // "r3:a" -> the last n seen
    List<String> outOfOrder = new ArrayList<>();
    for (String id : logged) {
      int dash = id.lastIndexOf('-');
      long n = Long.parseLong(id.substring(dash + 1));
      Long before = lastOfProducer.put(id.substring(0, dash), n);
      if (before != null && before >= n) {
        outOfOrder.add(id + " after n=" + before);
      }
    }
    assertThat(outOfOrder).as("records out of their producer's order").isEmpty();
    assertThat(acked).isNotEmpty();
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(once);
    assertThat(missing).as("acknowledged but not in the log").isEmpty();
  }
}
