package dev.aims.oversight;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** One embedded PostgreSQL per test class, a fresh database per call, and what a test opened closed after it. */
abstract class OnEmbeddedPostgres {
  static EmbeddedPostgres pg;
  private static final AtomicInteger databases = new AtomicInteger();
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @AfterEach
  void closeWhatTheTestOpened() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** A new, empty database; its name, for a JDBC URL. */
  static String freshDatabase() throws Exception {
    String name = "db_" + databases.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  static DataSource database(String name) {
    return pg.getDatabase("postgres", name);
  }
}
