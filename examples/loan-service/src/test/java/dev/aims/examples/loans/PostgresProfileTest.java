package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code postgres} profile starts as shipped (application-postgres.yml, no extra settings) on
 * an embedded PostgreSQL: the decision log's stream defaults to {@code AIMS_LOG_STREAM}, the host
 * name, or {@code loan-service}, and decisions and approval requests go to the database.
 */
class PostgresProfileTest {
  @TempDir static Path logDir;
  static EmbeddedPostgres pg;
  static RunningLoanService service;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    service = RunningLoanService.startPostgres(pg.getPostgresDatabase(), logDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void theShippedProfileStartsAndWritesDecisionsToPostgresUnderTheDefaultStream() throws Exception {
    HttpResponse<String> r = service.applyFor(RunningLoanService.REQUESTER, 20_000, 60_000, 60, "30-49");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String expected = System.getenv("AIMS_LOG_STREAM") != null ? System.getenv("AIMS_LOG_STREAM")
        : System.getenv("HOSTNAME") != null ? System.getenv("HOSTNAME") : "loan-service";
    DataSource db = pg.getPostgresDatabase();
    // the log writes in the background: closing the service flushes it
    service.close();
    service = null;
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT stream FROM aims_decisions")) {
      assertThat(rs.next()).as("rows in aims_decisions").isTrue();
      assertThat(rs.getString(1)).isEqualTo(expected);
    }
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables"
            + " WHERE table_name = 'aims_approval_requests'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the approval store's table").isEqualTo(1);
    }
  }
}
