package dev.aims.logging;

import dev.aims.core.DecisionLog;
import dev.aims.core.event.LogEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ways to combine decision logs. */
public final class DecisionLogs {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLogs.class);

  private DecisionLogs() {}

  /**
   * One log that writes to {@code evidence} and then to each copy. The evidence decides: its
   * failures reach the caller (and the system's log-failure policy), and its
   * {@link DecisionLog#failure()} is the composite's. A copy that fails is logged once and skipped,
   * never failing a decision. Each event body is encoded once and shared.
   */
  public static DecisionLog compose(DecisionLog evidence, DecisionLog... copies) {
    Objects.requireNonNull(evidence, "evidence");
    List<DecisionLog> rest = List.of(copies);
    return new DecisionLog() {
      private final AtomicBoolean warned = new AtomicBoolean();

      @Override
      public void append(LogEntry entry) {
        evidence.append(entry);
        for (DecisionLog copy : rest) {
          try {
            copy.append(entry);
          } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
              LOG.warn("Decision log copy {} failed; the evidence log {} has the event. Further copy failures are"
                  + " not logged.", copy, evidence, e);
            }
          }
        }
      }

      @Override
      public Optional<String> failure() {
        return evidence.failure();
      }

      @Override
      public void close() {
        for (DecisionLog copy : rest) {
          copy.close();
        }
        evidence.close();
      }

      @Override
      public String toString() {
        return "compose(" + evidence + ", " + rest + ")";
      }
    };
  }
}
