package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a decision log directory or one segment file: every line's hash, {@code seq}
 * continuity, the {@code prev} chain across segments, every checkpoint's Merkle root and (given
 * the public key) signature, and, given the published checkpoints, that the log still reaches
 * them. Reads at disk speed: lines are hashed as bytes, only checkpoints are parsed as JSON.
 */
public final class LogVerifier {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LogVerifier() {}

  public static VerificationReport verify(Path dirOrFile, @Nullable PublicKey key) throws IOException {
    return verify(dirOrFile, key, null);
  }

  /**
   * @param published a file of checkpoints published elsewhere ({@link FileCheckpointPublisher}), or null
   */
  public static VerificationReport verify(Path dirOrFile, @Nullable PublicKey key, @Nullable Path published)
      throws IOException {
    return verify(dirOrFile, key, published, null);
  }

  /**
   * As {@link #verify(Path, PublicKey, Path)}, and hands every line that passed its checks to
   * {@code listener} in the same pass: records as they are read, checkpoints once they verified.
   */
  public static VerificationReport verify(Path dirOrFile, @Nullable PublicKey key, @Nullable Path published,
      @Nullable VerifiedRecordListener listener) throws IOException {
    List<Path> files = Files.isDirectory(dirOrFile) ? Segments.list(dirOrFile) : List.of(dirOrFile);
    if (files.isEmpty()) {
      throw new IOException("no decision log segments (decisions-*.jsonl) in " + dirOrFile);
    }
    ChainChecker checker = new ChainChecker(key);
    long first = Segments.firstSeq(files.get(0));
    if (first == 1) {
      checker.fromStart();
    } else {
      checker.fromAnywhere();
    }
    List<String> notes = new ArrayList<>();
    Map<Long, Checkpoint> checkpoints = new HashMap<>();
    long bytes = 0;
    long checkpointCount = 0;
    long recovered = 0;
    VerificationReport.Problem problem = null;
    Checkpoint seen = null;
    outer:
    for (Path file : files) {
      byte[] data = Files.readAllBytes(file);
      bytes += data.length;
      int pos = 0;
      long lineNo = 0;
      while (pos < data.length) {
        lineNo++;
        int nl = indexOf(data, pos);
        if (nl < 0) {
          problem = new VerificationReport.Problem(checker.nextSeq(), file.getFileName().toString(), lineNo,
              "incomplete last line (a torn tail: opening the log with FileDecisionLog recovers it)");
          break outer;
        }
        String why = checker.check(data, pos, nl);
        if (why != null) {
          problem = new VerificationReport.Problem(checker.nextSeq(), file.getFileName().toString(), lineNo, why);
          break outer;
        }
        Checkpoint cp = checker.lastCheckpoint();
        if (cp != null && cp != seen) {
          seen = cp;
          checkpoints.put(cp.seq(), cp);
          checkpointCount++;
          if (listener != null) {
            listener.checkpoint(cp, key != null);
          }
        } else if (listener != null) {
          listener.record(checker.nextSeq() - 1, String.valueOf(checker.lastType()), data, pos, nl);
        }
        pos = nl + 1;
      }
    }
    long lastSeq = checker.nextSeq() - 1;
    recovered = checker.typeCounts().getOrDefault("log.recovered", 0L);
    if (problem == null && published != null) {
      problem = checkPublished(published, checkpoints, lastSeq);
    }
    if (first > 1) {
      notes.add("the log begins at seq " + first + ": earlier segments were removed (retention)");
    }
    if (key == null) {
      notes.add("checkpoint signatures were not checked (no public key given)");
    } else if (checker.unsignedSeen()) {
      notes.add("some checkpoints are unsigned");
    }
    if (recovered > 0) {
      notes.add(recovered + " log.recovered event(s): a torn tail was quarantined at open");
    }
    long unanchored = checker.pendingLeaves().size();
    if (problem == null && unanchored > 0) {
      notes.add(unanchored + " record(s) after the last checkpoint (seq " + checker.pendingFrom() + "..) are not anchored"
          + " by a checkpoint yet");
    }
    return new VerificationReport(checker.records(), checkpointCount, checker.firstSeq(), lastSeq, checker.firstTs(),
        checker.lastTs(), bytes, unanchored, key != null, problem, notes);
  }

  private static VerificationReport.@Nullable Problem checkPublished(Path published, Map<Long, Checkpoint> inLog,
      long lastSeq) throws IOException {
    long lineNo = 0;
    for (String line : Files.readAllLines(published)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode json;
      try {
        json = MAPPER.readTree(line);
      } catch (IOException e) {
        return new VerificationReport.Problem(-1, published.getFileName().toString(), lineNo,
            "published checkpoint is not valid JSON");
      }
      Checkpoint p = Checkpoint.fromLine(json);
      if (p.seq() > lastSeq) {
        return new VerificationReport.Problem(p.seq(), published.getFileName().toString(), lineNo,
            "a checkpoint was published at seq " + p.seq() + " but the log ends at seq " + lastSeq
                + ": records were cut off");
      }
      Checkpoint mine = inLog.get(p.seq());
      if (mine == null || !mine.head().equals(p.head()) || !mine.merkleRoot().equals(p.merkleRoot())) {
        return new VerificationReport.Problem(p.seq(), published.getFileName().toString(), lineNo,
            "the log's checkpoint at seq " + p.seq() + " differs from the published one: the log was rewritten");
      }
    }
    return null;
  }

  private static int indexOf(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
