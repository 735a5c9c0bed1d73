package dev.aims.core.incident;

import java.time.Duration;

/**
 * The category of a serious incident, which sets how long after AIMS learnt of it the report to
 * the market surveillance authority may wait (the EU AI Act's Art. 73 deadlines).
 */
public enum ReportCategory {
  /** A serious incident of no shorter category: 15 days. */
  SERIOUS(Duration.ofDays(15)),
  /** A person died: 10 days. */
  DEATH(Duration.ofDays(10)),
  /** A widespread infringement or a serious disruption of critical infrastructure: 2 days. */
  WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE(Duration.ofDays(2));

  private final Duration deadline;

  ReportCategory(Duration deadline) {
    this.deadline = deadline;
  }

  /** The time from the incident being opened to the report being due. */
  public Duration deadline() {
    return deadline;
  }
}
