package dev.aims.core;

import dev.aims.core.event.LogEntry;
import java.util.Optional;

/**
 * Where decision events go. {@link #append} returns once the log has accepted the event by its own
 * promise (for a durable log: on disk); it throws {@link DecisionLogException} when it cannot.
 * Implementations are thread-safe.
 *
 * <p>Built in here: {@link #noop()} (the default when nothing is configured) and
 * {@link InMemoryDecisionLog}. The durable, tamper-evident log is in {@code aims-logging}.
 */
public interface DecisionLog extends AutoCloseable {

  void append(LogEntry entry);

  /**
   * Why the log can no longer accept events, once it is in a failed state. Governed calls of
   * systems whose {@link LogFailurePolicy} is REFUSE check it before they call the model.
   */
  default Optional<String> failure() {
    return Optional.empty();
  }

  @Override
  default void close() {}

  /** Accepts and discards everything. */
  static DecisionLog noop() {
    return NoopDecisionLog.INSTANCE;
  }
}
