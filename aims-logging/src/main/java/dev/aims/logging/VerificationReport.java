package dev.aims.logging;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link LogVerifier} found.
 *
 * @param status the verdict: only {@link Status#VERIFIED} means that nothing was changed, added or
 *     removed since it was signed
 * @param records event records (checkpoint lines not counted)
 * @param checkpoints checkpoint lines that verified, {@code signedCheckpoints + unsignedCheckpoints}
 * @param signedCheckpoints checkpoints that carry a signature (checked only if {@code keyId} is set)
 * @param unanchored records after the last checkpoint: intact as a chain, but not yet covered by a
 *     checkpoint, so cutting them off could not be detected from this copy alone
 * @param keyId the key id of the public key checked against, or null if none was given
 * @param headHash the hash of the last line that passed the line checks, or null if none did
 * @param lastSignedCheckpoint the last checkpoint whose signature was checked, or null
 * @param lastVerifiedSeq with a key: the last seq covered by a verified signed checkpoint (or the
 *     end of the tail the rules allow, when the log verified); without: the last good line's seq;
 *     0 if none
 * @param problem the first problem, or null if there is none
 * @param anchors one line for each external anchor checked (published checkpoints), or one line
 *     saying there was none and what that means
 * @param notes facts an auditor should know (recovery events, retention, the unanchored tail)
 */
public record VerificationReport(
    Status status,
    long records,
    long checkpoints,
    long signedCheckpoints,
    long unsignedCheckpoints,
    long firstSeq,
    long lastSeq,
    @Nullable String firstTs,
    @Nullable String lastTs,
    long bytes,
    long unanchored,
    @Nullable String keyId,
    @Nullable String headHash,
    @Nullable Checkpoint lastSignedCheckpoint,
    long lastVerifiedSeq,
    @Nullable Problem problem,
    List<String> anchors,
    List<String> notes) {

  /** The verdict, as {@code aims verify} words it. */
  public enum Status {
    /** A public key was given and every record is covered by a checkpoint it verifies (exit 0). */
    VERIFIED,
    /** The chain is consistent, but no public key was given, so nothing was authenticated (exit 0). */
    UNAUTHENTICATED,
    /** A record is bad, missing, not covered, or the log disagrees with an anchor (exit 1). */
    BROKEN,
    /** What was given is not a decision log at all (exit 2). */
    NOT_A_LOG
  }

  /** The first bad line; {@code line} is 0 when the problem is not one line's (no line, or the whole log). */
  public record Problem(long seq, String file, long line, String reason) {
    @Override
    public String toString() {
      return file + (line > 0 ? " line " + line : "") + ": " + reason;
    }
  }

  public VerificationReport {
    anchors = List.copyOf(anchors);
    notes = List.copyOf(notes);
    if ((status == Status.BROKEN || status == Status.NOT_A_LOG) != (problem != null)) {
      throw new IllegalArgumentException("status " + status + " with problem " + problem);
    }
  }

  /** True if no problem was found: {@link Status#VERIFIED} or {@link Status#UNAUTHENTICATED}. */
  public boolean intact() {
    return problem == null;
  }

  /** True if checkpoint signatures were checked against a public key. */
  public boolean signaturesChecked() {
    return keyId != null;
  }

  /** The first line {@code aims verify} prints. */
  public String headline() {
    return switch (status) {
      case VERIFIED -> "VERIFIED: " + records + " records, seq " + firstSeq + ".." + lastSeq + ", " + signedCheckpoints
          + " signed checkpoints (key id " + keyId + "), head " + headHash + ", " + firstTs + " .. " + lastTs
          + (unanchored == 0 ? "" : "; the last " + unanchored + " record(s), after the last signed checkpoint, are NOT"
              + " signed yet: they are within the tail that checkpoint allows, and anyone could have written them");
      case UNAUTHENTICATED -> "NOT AUTHENTICATED: chain consistent, " + records + " records, seq " + firstSeq + ".."
          + lastSeq + ", head " + headHash + ", " + firstTs + " .. " + lastTs + "; no public key was given, so"
          + " nothing was authenticated: anyone can recompute such a chain. " + signedCheckpoints
          + " checkpoints carry a signature that was not checked, " + unsignedCheckpoints + " are unsigned";
      case BROKEN -> (problem.seq() > 0 ? "BROKEN at seq " + problem.seq() + ": " : "BROKEN: ") + problem;
      case NOT_A_LOG -> "NOT A LOG: " + problem.reason();
    };
  }
}
