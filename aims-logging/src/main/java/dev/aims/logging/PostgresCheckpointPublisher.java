package dev.aims.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Publishes checkpoints of any AIMS log (file or PostgreSQL) into a PostgreSQL table, by default
 * {@code aims_checkpoints}, ideally in another database than the log itself, written with other
 * credentials: whoever cuts off the log's tail, or rewrites the log without the signing key, must
 * then also change this table. Compare with {@link #published(String)} and
 * {@link PostgresDecisionLog#verify(DataSource, String, String, java.security.PublicKey, List)}, or
 * export with {@link #exportTo(Path, String)} for {@link LogVerifier#verify(Path, java.security.PublicKey, Path)}.
 *
 * <p>Publishing the same checkpoint twice is harmless; publishing a different one at the same
 * {@code (stream, seq)} fails, which is itself a sign that the log was rewritten or that two logs
 * share a stream name.
 */
public final class PostgresCheckpointPublisher implements CheckpointPublisher {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DataSource dataSource;
  private final String table;
  private final boolean createSchema;
  private volatile boolean schemaReady;

  /** Into {@code aims_checkpoints}, created at the first publish if missing. */
  public PostgresCheckpointPublisher(DataSource dataSource) {
    this(dataSource, PostgresSchema.DEFAULT_CHECKPOINT_TABLE, true);
  }

  /**
   * @param table a lower-case identifier, optionally {@code schema.table}
   * @param createSchema create the table at the first publish if missing; off when a migration creates it
   */
  public PostgresCheckpointPublisher(DataSource dataSource, String table, boolean createSchema) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = PostgresSchema.table(table, "table");
    this.createSchema = createSchema;
  }

  public String table() {
    return table;
  }

  @Override
  public void publish(Checkpoint c) throws IOException {
    try (Connection conn = dataSource.getConnection()) {
      ensureSchema(conn);
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + table + " (stream, seq, ts, count, from_seq,"
          + " to_seq, head, merkle_root, durability, key_id, signature, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (stream, seq) DO NOTHING")) {
        ps.setString(1, c.stream());
        ps.setLong(2, c.seq());
        ps.setObject(3, OffsetDateTime.ofInstant(Instant.parse(c.ts()), ZoneOffset.UTC));
        ps.setLong(4, c.count());
        ps.setLong(5, c.fromSeq());
        ps.setLong(6, c.toSeq());
        ps.setString(7, c.head());
        ps.setString(8, c.merkleRoot());
        ps.setString(9, c.durability().name());
        ps.setString(10, c.keyId());
        ps.setString(11, c.signature());
        ps.setString(12, body(c));
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      Checkpoint existing = read(conn, c.stream(), c.seq());
      if (existing == null || !existing.head().equals(c.head()) || !existing.merkleRoot().equals(c.merkleRoot())) {
        throw new IOException("a different checkpoint was already published for stream " + c.stream() + " at seq "
            + c.seq() + " in " + table + ": the log was rewritten, or two logs use the same stream name");
      }
    } catch (SQLException e) {
      throw new IOException("cannot publish checkpoint seq " + c.seq() + " of stream " + c.stream() + " to " + table
          + ": " + PostgresLogWriter.describe(e), e);
    }
  }

  /** The checkpoints published for {@code stream}, in seq order. */
  public List<Checkpoint> published(String stream) throws SQLException {
    List<Checkpoint> out = new ArrayList<>();
    try (Connection conn = dataSource.getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT body FROM " + table + " WHERE stream = ? ORDER BY seq")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(parse(rs.getString(1)));
        }
      }
    }
    return out;
  }

  /**
   * Writes the checkpoints published for {@code stream} to {@code file} in the format of
   * {@link FileCheckpointPublisher}, for {@code LogVerifier.verify(dir, key, file)} and
   * {@code aims verify}.
   */
  public void exportTo(Path file, String stream) throws IOException, SQLException {
    StringBuilder s = new StringBuilder();
    for (Checkpoint c : published(stream)) {
      s.append(body(c)).append('\n');
    }
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "PostgresCheckpointPublisher[" + table + "]";
  }

  private void ensureSchema(Connection conn) throws SQLException {
    if (createSchema && !schemaReady) {
      PostgresSchema.create(conn, PostgresSchema.checkpoints(table));
      schemaReady = true;
    }
  }

  private Checkpoint read(Connection conn, String stream, long seq) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT body FROM " + table + " WHERE stream = ? AND seq = ?")) {
      ps.setString(1, stream);
      ps.setLong(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? parse(rs.getString(1)) : null;
      }
    }
  }

  /** The line {@link FileCheckpointPublisher} writes: the checkpoint's body with its stream and seq. */
  private static String body(Checkpoint c) {
    ObjectNode line = c.body();
    line.put("stream", c.stream());
    line.put("seq", c.seq());
    return CanonicalJson.write(line);
  }

  private static Checkpoint parse(String body) throws SQLException {
    try {
      return Checkpoint.fromLine(MAPPER.readTree(body));
    } catch (IOException | IllegalArgumentException e) {
      throw new SQLException("a published checkpoint cannot be read: " + e.getMessage(), e);
    }
  }
}
