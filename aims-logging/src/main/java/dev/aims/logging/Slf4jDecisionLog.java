package dev.aims.logging;

import dev.aims.core.DecisionLog;
import dev.aims.core.event.LogEntry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event as one canonical JSON line at INFO on the logger {@value #LOGGER_NAME}, so it
 * reaches the log pipeline a team already runs. <strong>A copy, not the evidence</strong>: logging
 * frameworks may drop events under load (async appenders with discarding queues) or lose buffered
 * ones at a crash, and the lines carry no chain. Compose it with a durable log through
 * {@link DecisionLogs#compose}.
 */
public final class Slf4jDecisionLog implements DecisionLog {
  public static final String LOGGER_NAME = "aims.decisions";

  private final Logger logger;

  private Slf4jDecisionLog(Logger logger) {
    this.logger = logger;
  }

  public static Slf4jDecisionLog create() {
    return new Slf4jDecisionLog(LoggerFactory.getLogger(LOGGER_NAME));
  }

  public static Slf4jDecisionLog to(Logger logger) {
    return new Slf4jDecisionLog(Objects.requireNonNull(logger, "logger"));
  }

  @Override
  public void append(LogEntry entry) {
    if (logger.isInfoEnabled()) {
      logger.info(entry.canonicalBody());
    }
  }

  @Override
  public String toString() {
    return "Slf4jDecisionLog[" + logger.getName() + "]";
  }
}
