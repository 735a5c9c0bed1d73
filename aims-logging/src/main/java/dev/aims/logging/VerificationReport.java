package dev.aims.logging;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link LogVerifier} found.
 *
 * @param problem the first problem, or null if the log is intact
 * @param unanchored records after the last checkpoint: intact as a chain, but not yet covered by a
 *     (signed) checkpoint, so cutting them off could not be detected from this copy alone
 * @param notes facts an auditor should know (signatures not checked, recovery events, retention)
 */
public record VerificationReport(
    long records,
    long checkpoints,
    long firstSeq,
    long lastSeq,
    @Nullable String firstTs,
    @Nullable String lastTs,
    long bytes,
    long unanchored,
    boolean signaturesChecked,
    @Nullable Problem problem,
    List<String> notes) {

  /** The first bad line. */
  public record Problem(long seq, String file, long line, String reason) {
    @Override
    public String toString() {
      return file + " line " + line + (seq > 0 ? " (seq " + seq + ")" : "") + ": " + reason;
    }
  }

  public VerificationReport {
    notes = List.copyOf(notes);
  }

  public boolean intact() {
    return problem == null;
  }
}
