package dev.aims.core.monitor;

import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionContext;
import dev.aims.core.policy.Ruling;
import dev.aims.core.policy.Stage;

/**
 * ALLOW becomes REVIEW while one of the system's drift alarms is on. Reads one volatile field:
 * the ruling, with its message, is built when the alarm changes, not per call.
 */
final class DriftReviewBoundary implements DecisionBoundary {
  private final SystemMonitor monitor;

  DriftReviewBoundary(SystemMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public String id() {
    return Monitor.DRIFT_REVIEW_BOUNDARY;
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public Stage stage() {
    return Stage.INPUT;
  }

  @Override
  public Ruling evaluate(DecisionContext context) {
    return monitor.ruling();
  }

  @Override
  public String toString() {
    return id() + "@" + version() + " (" + stage() + ", system " + monitor.system() + ")";
  }
}
