package dev.aims.logging;

import static dev.aims.logging.LogFixtures.KEYS;
import static dev.aims.logging.LogFixtures.OTHER_KEYS;
import static dev.aims.logging.LogFixtures.decide;
import static dev.aims.logging.PostgresTestSupport.execute;
import static dev.aims.logging.PostgresTestSupport.newTable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aims verify --jdbc}: a stream of the PostgreSQL decision log checked from the command line. */
class PostgresCommandLineTest {
  @TempDir static Path tmp;
  static PostgresTestSupport pg;
  static DataSource ds;
  static Path publicKey;
  static Path otherKey;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  String table;
  String url;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresTestSupport.start(tmp.resolve("pg"));
    ds = pg.dataSource();
    publicKey = tmp.resolve("aims.pub");
    SigningKeys.writePublic(publicKey, KEYS.getPublic());
    otherKey = tmp.resolve("other.pub");
    SigningKeys.writePublic(otherKey, OTHER_KEYS.getPublic());
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void writeAStream() {
    table = newTable();
    url = "jdbc:postgresql://localhost:" + pg.port() + "/postgres";
    try (PostgresDecisionLog log = PostgresDecisionLog.builder(ds).table(table).stream("cli-pg").checkpointEvery(5)
        .signingKey(KEYS).open()) {
      decide(LogFixtures.aims(log), 12, "ok");
    }
  }

  int aims(String... args) {
    out.reset();
    err.reset();
    return AimsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verifyWithJdbcExitsZeroForAnIntactStreamAndChecksItsSignatures() {
    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--stream", "cli-pg", "--table", table,
        "--public-key", publicKey.toString())).as(err()).isZero();
    assertThat(out()).startsWith("VERIFIED: 14 records, seq 1..18, 4 signed checkpoints (key id ")
        .contains("anchors: none: cutting rows off the end after the last checkpoint cannot be detected");

    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--stream", "cli-pg", "--table", table,
        "--public-key", otherKey.toString())).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 1").contains("signed with key id").contains("the given public key has key id");
  }

  @Test
  void verifyWithJdbcExitsOneAndNamesTheFirstChangedRow() throws Exception {
    execute(ds, "UPDATE " + table + " SET line = replace(line, 'ok', 'ko') WHERE stream = 'cli-pg' AND seq = 8");

    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--stream", "cli-pg", "--table", table)).isEqualTo(1);
    assertThat(out()).startsWith("BROKEN at seq 8").contains(table + " stream cli-pg");
  }

  @Test
  void verifyWithJdbcReportsAStreamWithoutRowsAsBroken() {
    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--stream", "nobody", "--table", table))
        .isEqualTo(1);
    assertThat(out()).contains("no rows for this stream");
  }

  @Test
  void verifyWithJdbcExplainsWhatIsMissingOrWrongWithExitTwo() {
    assertThat(aims("verify", "--jdbc", url, "--table", table)).isEqualTo(2);
    assertThat(err()).contains("needs --stream");

    assertThat(aims("verify", "--jdbc", "jdbc:mysql://localhost/x", "--stream", "cli-pg")).isEqualTo(2);
    assertThat(err()).contains("--jdbc must be a PostgreSQL JDBC URL");

    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--password-env", "AIMS_TEST_NO_SUCH_VARIABLE",
        "--stream", "cli-pg")).isEqualTo(2);
    assertThat(err()).contains("AIMS_TEST_NO_SUCH_VARIABLE").contains("is not set");

    assertThat(aims("verify", "--stream", "cli-pg", tmp.toString())).isEqualTo(2);
    assertThat(err()).contains("--stream goes with --jdbc");

    assertThat(aims("verify", "--jdbc", url, "--user", "postgres", "--stream", "cli-pg", "--table", "no_such_table"))
        .isEqualTo(2);
    assertThat(err()).contains("cannot read stream cli-pg of no_such_table").contains("42P01")
        .doesNotContain("jdbc:postgresql");
  }
}
