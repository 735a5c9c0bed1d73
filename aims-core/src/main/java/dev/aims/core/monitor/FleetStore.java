package dev.aims.core.monitor;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where the instances of a fleet share their monitors' state: the decisions waiting for a late
 * label, so that a label reaching any instance finds its decision, and each instance's window
 * summaries, from which every instance computes the fleet's figures. {@link FleetConfig} names the
 * store; {@code dev.aims.logging.PostgresFleetStore} keeps it in PostgreSQL, {@link #inMemory()}
 * in one JVM (tests, several monitors in one process).
 *
 * <p>Calls come from the monitor's executor (publication, pending decisions) and from the thread
 * that hands in a label; an exception is counted by the monitor, which carries on with its local
 * figures and marks the fleet figures stale.
 */
public interface FleetStore {

  /** A decision waiting for its label: its group index and whether its prediction was favourable. */
  record PendingDecision(UUID decisionId, int group, boolean predicted, Instant expiresAt) {
    public PendingDecision {
      Objects.requireNonNull(decisionId, "decisionId");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** What claiming a label found: {@code group} and {@code predicted} are meaningful for RECORDED only. */
  record LabelClaim(FeedbackResult result, int group, boolean predicted) {
    public static final LabelClaim DUPLICATE = new LabelClaim(FeedbackResult.DUPLICATE, -1, false);
    public static final LabelClaim UNKNOWN = new LabelClaim(FeedbackResult.UNKNOWN, -1, false);

    public LabelClaim {
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * One instance's current window of one part of a system's monitor: a drift feature (its name;
   * counts per fine bin or category bucket, sums per fine bin for numeric features) or fairness
   * ({@code fairness:<attribute>}; six counts per group). {@code fingerprint} identifies the
   * reference and bins (or groups), so only summaries over the same bins are merged.
   */
  record WindowSummary(String instance, String part, String fingerprint, Instant publishedAt, long[] counts,
      double[] sums) {
    public WindowSummary {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(part, "part");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(publishedAt, "publishedAt");
      counts = counts.clone();
      sums = sums.clone();
    }

    @Override
    public long[] counts() {
      return counts.clone();
    }

    @Override
    public double[] sums() {
      return sums.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WindowSummary w && instance.equals(w.instance) && part.equals(w.part)
          && fingerprint.equals(w.fingerprint) && publishedAt.equals(w.publishedAt) && Arrays.equals(counts, w.counts)
          && Arrays.equals(sums, w.sums);
    }

    @Override
    public int hashCode() {
      return Objects.hash(instance, part, fingerprint, publishedAt, Arrays.hashCode(counts), Arrays.hashCode(sums));
    }

    @Override
    public String toString() {
      return "WindowSummary[" + instance + ", " + part + ", " + publishedAt + "]";
    }
  }

  /** Adds decisions waiting for a label; a decision id already there keeps its first record. */
  void putPending(String system, List<PendingDecision> decisions);

  /**
   * Claims the label of a decision, atomically across the fleet: RECORDED (with the decision's group
   * and prediction) the first time, DUPLICATE once labelled, UNKNOWN when no instance recorded it or
   * it expired at {@code now}. {@code local} is the decision as this instance holds it, if it does
   * (its record may not have reached the store yet).
   */
  LabelClaim claimLabel(String system, UUID decisionId, @Nullable PendingDecision local, Instant now);

  /** Removes pending decisions that expired before {@code now}; returns how many. */
  long expirePending(String system, Instant now);

  /** Replaces this instance's summaries of the system (one transaction where the store has them). */
  void publish(String system, String instance, List<WindowSummary> summaries);

  /** Every instance's latest summaries of the system; the monitor drops those older than its stale limit. */
  List<WindowSummary> summaries(String system);

  /** A store in this JVM's memory, for tests and for several monitors in one process. */
  static FleetStore inMemory() {
    return new InMemoryFleetStore();
  }
}
