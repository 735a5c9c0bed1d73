package dev.aims.logging;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The DDL of the PostgreSQL sink, the same that ships as
 * {@code dev/aims/logging/postgres/V1__aims_decision_log.sql} for teams that run migrations, and
 * the check that keeps configured table names safe to put into SQL unquoted.
 */
final class PostgresSchema {
  static final String DEFAULT_LOG_TABLE = "aims_decision_log";
  static final String DEFAULT_CHECKPOINT_TABLE = "aims_checkpoints";
  static final String MIGRATION = "dev/aims/logging/postgres/V1__aims_decision_log.sql";

  /** Lower case so that PostgreSQL's folding of unquoted names cannot surprise anyone; 63 bytes is its limit. */
  private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");

  /** One key for every AIMS schema creation, so that instances starting together do not race in the catalog. */
  static final long SCHEMA_LOCK = 0x41494d53_4c4f4731L; // "AIMSLOG1"

  private PostgresSchema() {}

  static String table(String name, String parameter) {
    if (name == null || !TABLE.matcher(name).matches()) {
      throw new IllegalArgumentException(parameter + " must be a lower-case SQL identifier, optionally schema-qualified"
          + " ([a-z_][a-z0-9_]*, at most 63 characters each part), but was '" + name + "'");
    }
    return name;
  }

  static String decisionLog(String table) {
    return "CREATE TABLE IF NOT EXISTS " + table + " (\n"
        + "  stream text        NOT NULL,\n"
        + "  seq    bigint      NOT NULL CHECK (seq > 0),\n"
        + "  ts     timestamptz,\n"
        + "  type   text        NOT NULL,\n"
        + "  hash   text        NOT NULL,\n"
        + "  prev   text        NOT NULL,\n"
        + "  line   text        NOT NULL,\n"
        + "  PRIMARY KEY (stream, seq)\n"
        + ");\n";
  }

  static String checkpoints(String table) {
    return "CREATE TABLE IF NOT EXISTS " + table + " (\n"
        + "  stream      text        NOT NULL,\n"
        + "  seq         bigint      NOT NULL,\n"
        + "  ts          timestamptz NOT NULL,\n"
        + "  count       bigint      NOT NULL,\n"
        + "  from_seq    bigint      NOT NULL,\n"
        + "  to_seq      bigint      NOT NULL,\n"
        + "  head        text        NOT NULL,\n"
        + "  merkle_root text        NOT NULL,\n"
        + "  durability  text        NOT NULL,\n"
        + "  key_id      text,\n"
        + "  signature   text,\n"
        + "  body        text        NOT NULL,\n"
        + "  PRIMARY KEY (stream, seq)\n"
        + ");\n";
  }

  /**
   * Runs {@code ddl} in a transaction that first takes a transaction-scoped advisory lock: two
   * instances creating the same table at once would otherwise race in PostgreSQL's catalog.
   */
  static void create(Connection c, String ddl) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      s.execute(ddl);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
