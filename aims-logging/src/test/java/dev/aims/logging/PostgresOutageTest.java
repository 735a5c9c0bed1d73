package dev.aims.logging;

import static dev.aims.logging.LogFixtures.KEYS;
import static dev.aims.logging.LogFixtures.MODEL;
import static dev.aims.logging.PostgresTestSupport.await;
import static dev.aims.logging.PostgresTestSupport.event;
import static dev.aims.logging.PostgresTestSupport.newTable;
import static dev.aims.logging.PostgresTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.DecisionLogException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.RiskTier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL going away under a running log: stopped, its sessions killed, a commit's answer lost. */
class PostgresOutageTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir static Path pgData;
  static PostgresTestSupport pg;
  static DataSource ds;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresTestSupport.start(pgData.resolve("pg"));
    ds = pg.dataSource();
  }

  @AfterEach
  void postgresRunsAgain() throws Exception {
    if (!pg.running()) {
      pg.start();
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  PostgresDecisionLog.Builder builder(String table, String stream) {
    return PostgresDecisionLog.builder(ds).table(table).stream(stream).checkpointEvery(10).signingKey(KEYS)
        .enqueueTimeout(Duration.ofSeconds(1)).maxRetryBackoff(Duration.ofMillis(200));
  }

  @Test
  void postgresStoppedMidRunIsReportedRefusedForHighRiskBackpressuredAndNothingAcknowledgedIsLost() throws Exception {
    String table = newTable();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PostgresDecisionLog log = builder(table, "o-1").meterRegistry(meters).open();
    Aims aims = Aims.builder()
        .register(AiSystem.builder("credit-scoring").owner("risk").purpose("score loans").riskTier(RiskTier.HIGH)
            .allowModel(MODEL).build())
        .register(AiSystem.builder("faq-bot").owner("support").purpose("answer questions").riskTier(RiskTier.MINIMAL)
            .allowModel(MODEL).build())
        .decisionLog(log)
        .meterRegistry(meters)
        .build();
    LogFixtures.decide(aims, 5, "before");
    long acknowledged = PostgresDecisionLog.verify(ds, table, "o-1", KEYS.getPublic(), List.of()).records();

    pg.stop();

    await("failure() to report the outage", PATIENCE, () -> log.failure().isPresent());
    assertThat(log.failure().get()).startsWith("PostgreSQL unreachable since ");
    AtomicBoolean modelCalled = new AtomicBoolean();
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input("x").call(x -> {
      modelCalled.set(true);
      return 1;
    }))
        .isInstanceOf(DecisionRefusedException.class)
        .hasMessageContaining("PostgreSQL unreachable since");
    assertThat(modelCalled).as("the model is not called when the log cannot be written").isFalse();
    assertThatThrownBy(() -> log.append(event("during the outage")))
        .isInstanceOf(DecisionLogBackpressureException.class)
        .hasMessageContaining("not written")
        .hasMessageContaining("PostgreSQL unreachable since");
    // a lower-risk system carries on; its lost record is counted, not hidden
    assertThat(aims.system("faq-bot").useCase("answer").input("q").call(x -> "a").output()).isEqualTo("a");
    assertThat(meters.get(AimsMetricNames.LOG_FAILURES).tag("system", "faq-bot").counter().count()).isEqualTo(1);

    pg.start();

    await("the log to recover", PATIENCE, () -> log.failure().isEmpty());
    LogFixtures.decide(aims, 5, "after");
    acknowledged += 5;
    assertThat(meters.get(AimsMetricNames.LOG_LAG).tag("stream", "o-1").gauge().value()).isZero();
    log.close();

    VerificationReport report = PostgresDecisionLog.verify(ds, table, "o-1", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(acknowledged); // nothing refused, withdrawn or failed was written
    assertThat(report.unanchored()).isZero();
  }

  @Test
  void sessionsKilledWhileEightProducersWriteLoseNothingAcknowledgedAndWriteNothingWithdrawn() throws Exception {
    String table = newTable();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    AtomicInteger unconfirmed = new AtomicInteger();
    int kills = 0;
    try (PostgresDecisionLog log = builder(table, "k-1").checkpointEvery(100).enqueueTimeout(Duration.ofSeconds(2))
        .open()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 300; i++) {
            String reason = thread + "/" + i;
            try {
              log.append(event(reason));
              acknowledged.add(reason);
            } catch (DecisionLogBackpressureException e) {
              withdrawn.add(reason);
            } catch (DecisionLogException e) {
              unconfirmed.incrementAndGet(); // linked but not confirmed in time: may or may not be there
            }
          }
        });
        th.start();
        producers.add(th);
      }
      start.countDown();
      while (producers.stream().anyMatch(Thread::isAlive) && kills < 5) {
        long commits = log.commits();
        await("more commits", PATIENCE, () -> log.commits() > commits + 20 || producers.stream().noneMatch(Thread::isAlive));
        if (pg.terminateOtherBackends() > 0) {
          kills++;
        }
      }
      for (Thread th : producers) {
        th.join();
      }
      await("the log to recover", PATIENCE, () -> log.failure().isEmpty());
    }
    assertThat(kills).isPositive();

    VerificationReport report = PostgresDecisionLog.verify(ds, table, "k-1", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    Set<String> written = ConcurrentHashMap.newKeySet();
    for (PostgresTestSupport.Row row : rows(ds, table, "k-1")) {
      if (row.type().equals("system.stopped")) {
        assertThat(written.add(mapper.readTree(row.line()).get("reason").asText())).as("written once").isTrue();
      }
    }
    assertThat(written).containsAll(acknowledged);
    assertThat(written).filteredOn(withdrawn::contains).as("withdrawn events were not written").isEmpty();
    assertThat(acknowledged.size() + withdrawn.size() + unconfirmed.get()).isEqualTo(8 * 300);
  }

  @Test
  void aBatchWhoseCommitAnswerWasLostIsFoundCommittedAndNotWrittenTwice() throws Exception {
    String table = newTable();
    AtomicBoolean loseNextAnswer = new AtomicBoolean();
    DataSource flaky = PostgresTestSupport.losingCommitAnswers(ds, loseNextAnswer);
    try (PostgresDecisionLog log = PostgresDecisionLog.builder(flaky).table(table).stream("l-1").checkpointEvery(10)
        .signingKey(KEYS).enqueueTimeout(Duration.ofSeconds(10)).open()) {
      log.append(event("one"));
      loseNextAnswer.set(true);
      log.append(event("two")); // committed, the answer lost, found committed after reconnecting
      assertThat(loseNextAnswer).isFalse();
      log.append(event("three"));
      assertThat(log.failure()).isEmpty();
    }
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "l-1", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(3);
  }

  @Test
  void closingWhilePostgresStaysDownGivesUpAfterTheCloseTimeoutAndSaysWhatWasNotWritten() throws Exception {
    String table = newTable();
    PostgresDecisionLog log = builder(table, "c-1").durability(Durability.ASYNC).closeTimeout(Duration.ofMillis(500))
        .open();
    log.append(event("written"));
    await("the first event to be committed", PATIENCE, () -> log.commits() > 0);
    pg.stop();
    log.append(event("accepted, never written 1"));
    log.append(event("accepted, never written 2"));

    long started = System.nanoTime();
    log.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(log.failure()).hasValueSatisfying(f -> assertThat(f)
        .contains("closed while PostgreSQL could not be written")
        .contains("2 accepted event(s) were not written"));

    pg.start();
    assertThat(PostgresDecisionLog.verify(ds, table, "c-1", KEYS.getPublic(), List.of()).records()).isEqualTo(1);
  }
}
