package dev.aims.logging;

import static dev.aims.logging.LogFixtures.KEYS;
import static dev.aims.logging.LogFixtures.OTHER_KEYS;
import static dev.aims.logging.LogFixtures.aims;
import static dev.aims.logging.LogFixtures.decide;
import static dev.aims.logging.PostgresTestSupport.event;
import static dev.aims.logging.PostgresTestSupport.execute;
import static dev.aims.logging.PostgresTestSupport.newTable;
import static dev.aims.logging.PostgresTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.Actor;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLogException;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import dev.aims.core.testing.TestClock;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresDecisionLogTest {
  @TempDir static Path pgData;
  static PostgresTestSupport pg;
  static DataSource ds;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresTestSupport.start(pgData.resolve("pg"));
    ds = pg.dataSource();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  PostgresDecisionLog.Builder builder(String table, String stream) {
    return PostgresDecisionLog.builder(ds).table(table).stream(stream).checkpointEvery(10).signingKey(KEYS);
  }

  @Test
  void governedDecisionsBecomeChainedRowsWithSignedCheckpointsThatVerify() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "i-1").open()) {
      decide(aims(log), 25, "ok");
      assertThat(log.failure()).isEmpty();
    }

    VerificationReport report = PostgresDecisionLog.verify(ds, table, "i-1", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(27); // register + policy + 25 decisions
    assertThat(report.checkpoints()).isEqualTo(4); // at open, at 10, 20 records, and at close
    assertThat(report.firstSeq()).isEqualTo(1);
    assertThat(report.unanchored()).isZero();
    assertThat(report.signaturesChecked()).isTrue();

    long seq = 1;
    for (PostgresTestSupport.Row row : rows(ds, table, "i-1")) {
      JsonNode line = mapper.readTree(row.line());
      assertThat(row.seq()).isEqualTo(seq++).isEqualTo(line.get("seq").asLong());
      assertThat(row.type()).isEqualTo(line.get("type").asText());
      assertThat(row.hash()).isEqualTo(line.get("hash").asText());
      assertThat(row.prev()).isEqualTo(line.get("prev").asText());
      assertThat(row.ts()).isCloseTo(Instant.parse(line.get("ts").asText()), within(1, ChronoUnit.MICROS));
      assertThat(line.get("stream").asText()).isEqualTo("i-1");
    }
  }

  @Test
  void aTsBeforeThePreviousRowsIsClampedInTheLineAndTheTsColumnAndCounted() throws Exception {
    String table = newTable();
    Instant t = Instant.parse("2026-06-01T12:00:00Z");
    TestClock clock = TestClock.at(t);
    try (PostgresDecisionLog log = builder(table, "clamp").clock(clock).checkpointEvery(100).open()) {
      log.append(eventAt(t.plusSeconds(10), "a"));
      log.append(eventAt(t.plusSeconds(5), "b")); // the clock stepped back
      log.append(eventAt(t.plusSeconds(12), "c"));
    }
    clock.set(t.minusSeconds(60));
    try (PostgresDecisionLog log = builder(table, "clamp").clock(clock).open()) {
      log.append(eventAt(t.minusSeconds(60), "d")); // a restart with a clock behind the last row
    }

    List<PostgresTestSupport.Row> rows = rows(ds, table, "clamp");
    JsonNode opening = mapper.readTree(rows.get(0).line());
    assertThat(opening.get("type").asText()).isEqualTo("log.checkpoint");
    assertThat(opening.get("count").asLong()).isZero();
    Instant previous = Instant.MIN;
    for (PostgresTestSupport.Row row : rows) {
      Instant ts = Instant.parse(mapper.readTree(row.line()).get("ts").asText());
      assertThat(row.ts()).as("the ts column follows the line").isEqualTo(ts);
      assertThat(ts).isAfterOrEqualTo(previous);
      previous = ts;
    }
    assertThat(tsOf(rows, "b")).isEqualTo("2026-06-01T12:00:10.000000Z");
    assertThat(tsOf(rows, "d")).isEqualTo("2026-06-01T12:00:12.000000Z");
    JsonNode firstClose = rows.stream().map(r -> readTree(r.line()))
        .filter(n -> n.get("type").asText().equals("log.checkpoint") && n.get("count").asLong() == 3)
        .findFirst().orElseThrow();
    assertThat(firstClose.get("ts_clamped").asLong()).isEqualTo(1);
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "clamp", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
  }

  private JsonNode readTree(String line) {
    try {
      return mapper.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String tsOf(List<PostgresTestSupport.Row> rows, String reason) {
    return rows.stream().map(r -> readTree(r.line())).filter(n -> reason.equals(n.path("reason").asText()))
        .findFirst().orElseThrow().get("ts").asText();
  }

  private static LogEntry eventAt(Instant ts, String reason) {
    return new LogEntry(new SystemEvent("system.stopped", ts, "s", Actor.of("ops", "admin"), reason),
        EventEncoder.plain());
  }

  @Test
  void rowsHoldExactlyTheLinesTheFileLogWrites(@TempDir Path dir) throws Exception {
    TestClock clock = TestClock.at("2026-03-01T12:00:00Z");
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      entries.add(event("reason " + i + " with \\ backslash, \"quotes\", \u00e9, \ud83d\ude00 and a\ttab"));
    }
    try (FileDecisionLog file = FileDecisionLog.builder(dir).stream("same").checkpointEvery(5).signingKey(KEYS)
        .clock(clock).open()) {
      entries.forEach(file::append);
    }
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "same").checkpointEvery(5).clock(clock).open()) {
      entries.forEach(log::append);
    }

    List<String> fileLines = LogFixtures.lines(LogFixtures.onlySegment(dir));
    List<String> rowLines = rows(ds, table, "same").stream().map(PostgresTestSupport.Row::line).toList();
    assertThat(rowLines).hasSize(16).containsExactlyElementsOf(fileLines); // checkpoints at open, 5, 10 records, close
  }

  @Test
  void twoInstancesWriteTheirOwnStreamsIntoOneTableAtTheSameTime() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog a = builder(table, "instance-a").open();
        PostgresDecisionLog b = builder(table, "instance-b").open()) {
      Aims aimsA = aims(a);
      Aims aimsB = aims(b);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (Aims aims : List.of(aimsA, aimsA, aimsB, aimsB)) {
        Thread t = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          decide(aims, 100, "concurrent");
        });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
    }
    for (String stream : List.of("instance-a", "instance-b")) {
      VerificationReport report = PostgresDecisionLog.verify(ds, table, stream, KEYS.getPublic(), List.of());
      assertThat(report.intact()).as(stream + ": " + report.problem()).isTrue();
      assertThat(report.records()).isEqualTo(2 + 200);
    }
  }

  @Test
  void aRestartContinuesTheChainAndTheNextCheckpointCoversRecordsLeftUnanchored() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "r-1").open()) {
      decide(aims(log), 15, "first run");
    }
    // as if the process died after committing records but before its closing checkpoint
    List<PostgresTestSupport.Row> before = rows(ds, table, "r-1");
    long closing = before.get(before.size() - 1).seq();
    execute(ds, "DELETE FROM " + table + " WHERE stream = 'r-1' AND seq = " + closing);

    try (PostgresDecisionLog log = builder(table, "r-1").open()) {
      assertThat(log.lastCheckpoint()).hasValueSatisfying(cp -> assertThat(cp.seq()).isEqualTo(12));
      decide(aims(log), 5, "second run");
    }

    List<PostgresTestSupport.Row> after = rows(ds, table, "r-1");
    assertThat(after.get((int) closing - 1).prev()).isEqualTo(before.get((int) closing - 2).hash());
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "r-1", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(17 + 2 + 5);
    assertThat(report.unanchored()).isZero();
  }

  @Test
  void eightProducerThreadsShareBatchesAndGetAnUnbrokenChain() throws Exception {
    String table = newTable();
    long commits;
    try (PostgresDecisionLog log = builder(table, "busy").checkpointEvery(500).open()) {
      Aims aims = aims(log);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          decide(aims, 250, "x".repeat(300));
        });
        th.start();
        threads.add(th);
      }
      start.countDown();
      for (Thread th : threads) {
        th.join();
      }
      commits = log.commits();
    }
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "busy", KEYS.getPublic(), List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(2 + 8 * 250);
    assertThat(commits).as("transactions for %d records", report.records()).isLessThan(report.records() / 2);
  }

  @Test
  void theTsColumnHoldsWhatPostgresReadsFromTheLinesTimeEvenBelowAMicrosecond() throws Exception {
    String table = newTable();
    List<String> times = List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456Z",
        "2026-01-01T00:00:00.0000005Z", "2026-01-01T00:00:00.0000015Z", "2026-01-01T00:00:00.000000499Z",
        "1999-12-31T23:59:59.9999995Z", "1969-07-20T20:17:40.123456789Z", "2000-01-01T00:00:00.000000001Z",
        "0001-01-01T00:00:01.5Z", "9999-12-30T23:59:59.999999999Z");
    try (PostgresDecisionLog log = builder(table, "ts").open()) {
      for (String t : times) {
        log.append(new LogEntry(new SystemEvent("system.stopped", Instant.parse(t), "s", Actor.of("ops", "admin"), t),
            EventEncoder.plain()));
      }
    }
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT line::jsonb->>'reason',"
        + " ts = (line::jsonb->>'ts')::timestamptz, ts::text FROM " + table + " WHERE type = 'system.stopped'")) {
      try (ResultSet rs = ps.executeQuery()) {
        int n = 0;
        while (rs.next()) {
          n++;
          assertThat(rs.getBoolean(2)).as("ts %s of the event %s", rs.getString(3), rs.getString(1)).isTrue();
        }
        assertThat(n).isEqualTo(times.size());
      }
    }
  }

  @Test
  void asyncSendsTheRecordsThatPiledUpInOneTransactionNotOnePerBatch() throws Exception {
    String table = newTable();
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean hold = new AtomicBoolean();
    DataSource held = holdingCommits(ds, hold, release);
    int piled = 5 * 1024; // five batches of the writer
    long commits;
    try (PostgresDecisionLog log = PostgresDecisionLog.builder(held).table(table).stream("pile")
        .durability(Durability.ASYNC).checkpointEvery(100_000).open()) {
      hold.set(true);
      log.append(event("first")); // the writer takes it and waits in its first commit
      for (int i = 0; i < piled; i++) {
        log.append(event("piled " + i));
      }
      release.countDown();
      log.close();
      commits = log.commits();
    }
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "pile", null, List.of());
    assertThat(report.intact()).as(String.valueOf(report.problem())).isTrue();
    assertThat(report.records()).isEqualTo(1 + piled);
    // the first record, the piled ones (one transaction of up to 8 batches, two if a slow machine
    // hits its 200 ms bound), the closing checkpoint; one transaction per batch would make 7
    assertThat(commits).isLessThanOrEqualTo(4);
  }

  /** Connections whose {@code commit()} waits for {@code release} while {@code hold} is set. */
  static DataSource holdingCommits(DataSource real, AtomicBoolean hold, CountDownLatch release) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = method.invoke(real, args);
          if (result instanceof Connection c && method.getName().equals("getConnection")) {
            return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                  if (m.getName().equals("commit") && hold.get()) {
                    release.await();
                  }
                  try {
                    return m.invoke(c, a);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
          }
          return result;
        });
  }

  @Test
  void syncCommitsEveryRecordOnItsOwn() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "sync").durability(Durability.SYNC).open()) {
      for (int i = 0; i < 5; i++) {
        log.append(event("e" + i));
        assertThat(rows(ds, table, "sync")).hasSize(1 + i + 1); // the opening checkpoint, and committed before append returned
      }
      assertThat(log.commits()).isEqualTo(1 + 5);
    }
  }

  @Test
  void asyncReturnsAtOnceAndCloseCommitsWhatIsQueued() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "async").durability(Durability.ASYNC).open()) {
      for (int i = 0; i < 300; i++) {
        log.append(event("e" + i));
      }
    }
    VerificationReport report = PostgresDecisionLog.verify(ds, table, "async", KEYS.getPublic(), List.of());
    assertThat(report.intact()).isTrue();
    assertThat(report.records()).isEqualTo(300);
  }

  @Test
  void changedOrDeletedRowsAreFoundWithTheirSeq() throws Exception {
    String table = newTable();
    try (PostgresDecisionLog log = builder(table, "t").open()) {
      decide(aims(log), 12, "genuine");
    }
    execute(ds, "UPDATE " + table + " SET line = replace(line, 'genuine', 'tampered') WHERE stream = 't' AND seq = 5");
    VerificationReport changed = PostgresDecisionLog.verify(ds, table, "t", KEYS.getPublic(), List.of());
    assertThat(changed.problem()).isNotNull();
    assertThat(changed.problem().seq()).isEqualTo(5);
    assertThat(changed.problem().reason()).contains("hash does not match");
    assertThat(changed.problem().file()).isEqualTo(table + " stream t");

    String other = newTable();
    try (PostgresDecisionLog log = builder(other, "t").open()) {
      decide(aims(log), 12, "genuine");
    }
    execute(ds, "DELETE FROM " + other + " WHERE stream = 't' AND seq = 7");
    VerificationReport deleted = PostgresDecisionLog.verify(ds, other, "t", KEYS.getPublic(), List.of());
    assertThat(deleted.problem().seq()).isEqualTo(7);
    assertThat(deleted.problem().reason()).contains("records missing");

    // damage after the last checkpoint is also found when the writer reopens the stream: it does not continue it
    execute(ds, "DELETE FROM " + other + " WHERE stream = 't' AND seq IN (14, 17)");
    assertThatThrownBy(() -> builder(other, "t").open())
        .isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("damaged at seq 15")
        .hasMessageContaining("records missing");
  }

  @Test
  void aSecondWriterOnTheSameStreamStopsTheFirstInsteadOfForkingTheChain() throws Exception {
    String table = newTable();
    PostgresDecisionLog first = builder(table, "dup").open();
    first.append(event("first 1"));
    try (PostgresDecisionLog second = builder(table, "dup").open()) {
      second.append(event("second 1"));
    }
    assertThatThrownBy(() -> first.append(event("first 2")))
        .isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("another instance writes the same stream");
    assertThat(first.failure()).hasValueSatisfying(f -> assertThat(f).contains("acknowledges nothing more"));
    assertThatThrownBy(() -> first.append(event("first 3"))).hasMessageContaining("accepts no more events");
    first.close();
    assertThat(PostgresDecisionLog.verify(ds, table, "dup", KEYS.getPublic(), List.of()).intact()).isTrue();
  }

  @Test
  void unreachableAtStartFailsOpenWithTheCauseAndWithoutTheUrl() throws Exception {
    PGSimpleDataSource nobody = new PGSimpleDataSource();
    nobody.setServerNames(new String[] {"127.0.0.1"});
    nobody.setPortNumbers(new int[] {PostgresTestSupport.freePort()});
    nobody.setUser("postgres");
    nobody.setPassword("secret-password");
    long started = System.nanoTime();
    assertThatThrownBy(() -> PostgresDecisionLog.builder(nobody).stream("x").open())
        .isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("cannot open the PostgreSQL decision log")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("jdbc:")
        .hasMessageNotContaining("secret-password");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

    CountDownLatch never = new CountDownLatch(1);
    DataSource hanging = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          never.await();
          return null;
        });
    assertThatThrownBy(() -> PostgresDecisionLog.builder(hanging).stream("x").connectTimeout(Duration.ofMillis(300))
        .open())
        .isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("did not answer within PT0.3S");
  }

  @Test
  void theShippedMigrationIsTheDdlTheLibraryRunsAndCanReplaceIt() throws Exception {
    String shipped;
    try (InputStream in = PostgresDecisionLog.class.getClassLoader().getResourceAsStream(PostgresSchema.MIGRATION)) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String statements = shipped.lines().filter(l -> !l.startsWith("--") && !l.isBlank())
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    assertThat(statements).isEqualTo(PostgresSchema.decisionLog(PostgresSchema.DEFAULT_LOG_TABLE)
        + PostgresSchema.checkpoints(PostgresSchema.DEFAULT_CHECKPOINT_TABLE));

    DataSource migrated = pg.database("migrated");
    execute(migrated, shipped);
    try (PostgresDecisionLog log = PostgresDecisionLog.builder(migrated).stream("m").createSchema(false)
        .signingKey(KEYS).open()) {
      decide(aims(log), 3, "ok");
    }
    assertThat(PostgresDecisionLog.verify(migrated, "m", KEYS.getPublic()).intact()).isTrue();

    DataSource empty = pg.database("empty");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(empty).stream("m").createSchema(false).open())
        .isInstanceOf(DecisionLogException.class)
        .hasMessageContaining("aims_decision_log")
        .hasMessageContaining("42P01");
  }

  @Test
  void aFileLogCutOffAtTheEndIsFoundThroughCheckpointsPublishedInPostgres(@TempDir Path dir) throws Exception {
    PostgresCheckpointPublisher published = new PostgresCheckpointPublisher(pg.database("audit"), newTable(), true);
    try (FileDecisionLog log = FileDecisionLog.builder(dir).stream("file-1").checkpointEvery(10).signingKey(KEYS)
        .publishCheckpointsTo(published).open()) {
      decide(aims(log), 15, "ok");
    }
    assertThat(published.published("file-1")).extracting(Checkpoint::seq).containsExactly(1L, 12L, 20L);
    Path segment = LogFixtures.onlySegment(dir);
    List<String> lines = LogFixtures.lines(segment);
    LogFixtures.writeLines(segment, lines.subList(0, lines.size() - 4)); // the final checkpoint and 3 records

    assertThat(LogVerifier.verify(dir, KEYS.getPublic()).intact()).isTrue(); // alone, only "unanchored"
    Path exported = dir.resolveSibling("published.jsonl");
    published.exportTo(exported, "file-1");
    VerificationReport report = LogVerifier.verify(dir, KEYS.getPublic(), exported);
    assertThat(report.intact()).isFalse();
    assertThat(report.problem().reason()).contains("records were cut off");
  }

  @Test
  void aStreamCutOffOrRewrittenWithoutTheKeyIsFoundThroughThePublishedCheckpoints() throws Exception {
    String table = newTable();
    PostgresCheckpointPublisher published = new PostgresCheckpointPublisher(pg.database("audit"), newTable(), true);
    try (PostgresDecisionLog log = builder(table, "p").publishCheckpointsTo(published).open()) {
      decide(aims(log), 15, "genuine");
    }
    execute(ds, "DELETE FROM " + table + " WHERE stream = 'p' AND seq > 13");
    assertThat(PostgresDecisionLog.verify(ds, table, "p", KEYS.getPublic(), List.of()).intact()).isTrue();
    VerificationReport cut = PostgresDecisionLog.verify(ds, table, "p", KEYS.getPublic(), published.published("p"));
    assertThat(cut.problem().reason()).contains("records were cut off");

    // a forger without the key replaces the whole stream with a chain of their own
    execute(ds, "DELETE FROM " + table + " WHERE stream = 'p'");
    PostgresDecisionLog forger = PostgresDecisionLog.builder(ds).table(table).stream("p").checkpointEvery(10)
        .signingKey(OTHER_KEYS).open();
    decide(aims(forger), 15, "forged");
    forger.close();
    Checkpoint forgedLast = forger.lastCheckpoint().orElseThrow();
    VerificationReport forged = PostgresDecisionLog.verify(ds, table, "p", null, published.published("p"));
    assertThat(forged.problem().reason()).contains("was rewritten");
    assertThat(PostgresDecisionLog.verify(ds, table, "p", KEYS.getPublic(), List.of()).problem().reason())
        .contains("signed with key id");
    assertThat(forgedLast.seq()).isEqualTo(20);
    assertThatThrownBy(() -> published.publish(forgedLast))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("a different checkpoint was already published");
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).table("log; DROP TABLE x")).hasMessageContaining("table");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).table("Log")).hasMessageContaining("table");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).stream("a b")).hasMessageContaining("stream");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).checkpointEvery(0)).hasMessageContaining("checkpointEvery");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).enqueueTimeout(Duration.ZERO))
        .hasMessageContaining("enqueueTimeout");
    assertThatThrownBy(() -> PostgresDecisionLog.builder(ds).open()).hasMessageContaining("stream is required");
    assertThatThrownBy(() -> new PostgresCheckpointPublisher(ds, "x-y", true)).hasMessageContaining("table");
    assertThat(PostgresDecisionLog.builder(ds).table("audit.decisions")).isNotNull();
  }
}
