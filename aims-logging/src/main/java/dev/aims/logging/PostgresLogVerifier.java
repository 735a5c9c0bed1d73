package dev.aims.logging;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link LogVerifier} for one stream of a PostgreSQL decision log: streams the rows in {@code seq}
 * order through {@link ChainChecker}, so memory stays flat however long the stream. The
 * {@code line} column is what is verified; {@code seq} and {@code hash} must agree with it.
 */
final class PostgresLogVerifier {
  private PostgresLogVerifier() {}

  static VerificationReport verify(DataSource dataSource, String table, String stream, @Nullable PublicKey key,
      List<Checkpoint> published) throws SQLException {
    return verify(dataSource, table, stream, key, published, Clock.systemUTC(), null);
  }

  /** The same rules as {@link LogVerifier}, for the rows of one stream in {@code seq} order. */
  static VerificationReport verify(DataSource dataSource, String table, String stream, @Nullable PublicKey key,
      List<Checkpoint> published, Clock clock, @Nullable VerifiedRecordListener listener) throws SQLException {
    String source = table + " stream " + stream;
    VerificationRun run = new VerificationRun(key, clock, listener);
    run.noAnchorsMeans("none: cutting rows off the end after the last checkpoint cannot be detected (compare with"
        + " PostgresDecisionLog.verify(.., PostgresCheckpointPublisher.published(stream)))");
    long rows = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // a cursor: rows are fetched a thousand at a time
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash, line FROM " + table
          + " WHERE stream = ? ORDER BY seq")) {
        ps.setFetchSize(1000);
        ps.setString(1, stream);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
            long seq = rs.getLong(1);
            String hash = rs.getString(2);
            String line = rs.getString(3);
            if (rows == 1) {
              if (seq == 1) {
                run.fromStart();
              } else {
                run.fromAnywhere();
              }
            }
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            run.addBytes(b.length + 1);
            if (!run.line(b, 0, b.length, source, rows)) {
              break;
            }
            if (run.nextSeq() - 1 != seq) {
              run.fail(seq, source, rows, "the seq column says " + seq + " but the line says " + (run.nextSeq() - 1));
              break;
            }
            if (!line.endsWith("\"hash\":\"" + hash + "\"}")) {
              run.fail(seq, source, rows, "the hash column does not match the line");
              break;
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    if (rows > 0 && !run.failed() && !stream.equals(run.stream())) {
      run.fail(1, source, 1, "the rows of stream " + stream + " carry stream '" + run.stream() + "' in their lines");
    }
    if (rows == 0) {
      run.fail(-1, source, 0, "no rows for this stream: a wrong stream or table name, or the rows were deleted");
    }
    List<VerificationRun.Anchor> anchors = new ArrayList<>();
    long n = 0;
    for (Checkpoint p : published) {
      anchors.add(new VerificationRun.Anchor("published checkpoints of stream " + p.stream(), ++n, p, null));
    }
    return run.finish(source, 1, anchors);
  }
}
