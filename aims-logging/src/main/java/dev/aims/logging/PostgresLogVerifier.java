package dev.aims.logging;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    String source = table + " stream " + stream;
    ChainChecker checker = new ChainChecker(key);
    Map<Long, Checkpoint> checkpoints = new HashMap<>();
    VerificationReport.Problem problem = null;
    Checkpoint seen = null;
    long rows = 0;
    long bytes = 0;
    long first = -1;
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
            if (first < 0) {
              first = seq;
              if (seq == 1) {
                checker.fromStart();
              } else {
                checker.fromAnywhere();
              }
            }
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            bytes += b.length + 1;
            String why = checker.check(b, 0, b.length);
            long at = checker.nextSeq();
            if (why == null && checker.nextSeq() - 1 != seq) {
              why = "the seq column says " + seq + " but the line says " + (checker.nextSeq() - 1);
              at = seq;
            } else if (why == null && !line.endsWith("\"hash\":\"" + hash + "\"}")) {
              why = "the hash column does not match the line";
              at = seq;
            }
            if (why != null) {
              problem = new VerificationReport.Problem(at, source, rows, why);
              break;
            }
            Checkpoint cp = checker.lastCheckpoint();
            if (cp != null && cp != seen) {
              seen = cp;
              checkpoints.put(cp.seq(), cp);
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    long lastSeq = checker.nextSeq() - 1;
    if (rows == 0) {
      problem = new VerificationReport.Problem(-1, source, 0, "no rows for this stream: a wrong stream or table"
          + " name, or the rows were deleted");
    }
    if (problem == null) {
      problem = checkPublished(published, stream, checkpoints, lastSeq, source);
    }
    List<String> notes = new ArrayList<>();
    if (first > 1) {
      notes.add("the stream begins at seq " + first + ": earlier rows were removed (retention)");
    }
    if (key == null) {
      notes.add("checkpoint signatures were not checked (no public key given)");
    } else if (checker.unsignedSeen()) {
      notes.add("some checkpoints are unsigned");
    }
    long unanchored = checker.pendingLeaves().size();
    if (problem == null && unanchored > 0) {
      notes.add(unanchored + " record(s) after the last checkpoint (seq " + checker.pendingFrom() + "..) are not anchored"
          + " by a checkpoint yet");
    }
    if (published.isEmpty()) {
      notes.add("not compared with published checkpoints: rows cut off the end would not be noticed");
    }
    return new VerificationReport(checker.records(), checkpoints.size(), checker.firstSeq(), lastSeq,
        checker.firstTs(), checker.lastTs(), bytes, unanchored, key != null, problem, notes);
  }

  private static VerificationReport.@Nullable Problem checkPublished(List<Checkpoint> published, String stream,
      Map<Long, Checkpoint> inLog, long lastSeq, String source) {
    for (Checkpoint p : published) {
      if (!p.stream().equals(stream)) {
        continue;
      }
      if (p.seq() > lastSeq) {
        return new VerificationReport.Problem(p.seq(), source, -1, "a checkpoint was published at seq " + p.seq()
            + " but the stream ends at seq " + lastSeq + ": records were cut off");
      }
      Checkpoint mine = inLog.get(p.seq());
      if (mine == null || !mine.head().equals(p.head()) || !mine.merkleRoot().equals(p.merkleRoot())) {
        return new VerificationReport.Problem(p.seq(), source, -1, "the stream's checkpoint at seq " + p.seq()
            + " differs from the published one: the stream was rewritten");
      }
    }
    return null;
  }
}
