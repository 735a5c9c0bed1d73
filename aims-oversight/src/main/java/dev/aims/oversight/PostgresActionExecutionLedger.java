package dev.aims.oversight;

import dev.aims.core.action.ActionExecutionLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An {@link ActionExecutionLedger} in PostgreSQL, for instances sharing one database: a claim is a
 * row in {@code aims_action_execution} keyed by decision id, inserted with
 * {@code ON CONFLICT DO NOTHING} in its own committed statement, so exactly one instance wins and a
 * claim survives crashes and restarts. The table is created if missing.
 */
public final class PostgresActionExecutionLedger implements ActionExecutionLedger {
  private final DataSource dataSource;

  public PostgresActionExecutionLedger(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS aims_action_execution (decision_id uuid PRIMARY KEY,"
          + " arguments_digest text NOT NULL, claimed_at timestamptz NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create table aims_action_execution: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean claim(UUID decisionId, String argumentsDigest, Instant at) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p = c.prepareStatement("INSERT INTO aims_action_execution (decision_id, arguments_digest,"
            + " claimed_at) VALUES (?, ?, ?) ON CONFLICT (decision_id) DO NOTHING")) {
      c.setAutoCommit(true);
      p.setObject(1, decisionId);
      p.setString(2, argumentsDigest);
      p.setTimestamp(3, Timestamp.from(at));
      return p.executeUpdate() == 1;
    } catch (SQLException e) {
      // fail closed: an execution that cannot be claimed does not run
      throw new IllegalStateException("cannot claim the execution of decision " + decisionId
          + " in aims_action_execution (the action does not run): " + e.getMessage(), e);
    }
  }
}
