package dev.aims.logging;

/**
 * Receives what {@link LogVerifier} has checked, in log order, in the same pass as the checks, so
 * that a report is built only from records that verified.
 */
public interface VerifiedRecordListener {
  /**
   * A line {@code buf[from, to)} (without its newline) that passed every line check; it is not yet
   * covered by a checkpoint. Checkpoint lines come through {@link #checkpoint} instead.
   */
  void record(long seq, String type, byte[] buf, int from, int to);

  /**
   * A checkpoint that verified: records {@code checkpoint.fromSeq()..toSeq()} are now covered.
   *
   * @param signatureChecked true if its signature was checked against the given public key
   */
  void checkpoint(Checkpoint checkpoint, boolean signatureChecked);
}
