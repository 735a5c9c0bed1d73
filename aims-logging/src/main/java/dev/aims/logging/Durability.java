package dev.aims.logging;

/**
 * When {@link FileDecisionLog#append} returns, and what a machine crash can lose. Written into
 * every checkpoint, so an auditor can see what was promised.
 */
public enum Durability {
  /** Every record is forced to disk before its caller is released. Slowest; loses nothing acknowledged. */
  SYNC,
  /**
   * Records are written in batches with one {@code force()} per batch; each caller is released
   * only when its batch is on disk. Loses nothing acknowledged. The default.
   */
  GROUP,
  /**
   * The caller is released once the record is queued; the writer forces at checkpoints and at
   * close. A crash of the machine (not just the process) loses the records since the last force.
   */
  ASYNC
}
