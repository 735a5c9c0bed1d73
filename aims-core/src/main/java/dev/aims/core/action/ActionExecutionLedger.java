package dev.aims.core.action;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where AIMS claims the one execution an allowed or approved tool call gets. {@link #claim} is the
 * at-most-once point: it returns true for exactly one caller per decision id, across every instance
 * that shares the ledger, and a claim is never given back (a crash after the claim means the action
 * does not run again). Implementations are thread-safe.
 *
 * <p>{@link #inMemory()} covers one process; {@code dev.aims.oversight.PostgresActionExecutionLedger}
 * covers instances sharing a PostgreSQL database.
 */
public interface ActionExecutionLedger {

  /** True if this caller may run the action now; false if it was claimed before (here or elsewhere). */
  boolean claim(UUID decisionId, String argumentsDigest, Instant at);

  static ActionExecutionLedger inMemory() {
    Map<UUID, Boolean> claimed = new ConcurrentHashMap<>();
    return (decisionId, digest, at) -> claimed.putIfAbsent(decisionId, Boolean.TRUE) == null;
  }
}
