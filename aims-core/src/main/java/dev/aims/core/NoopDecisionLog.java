package dev.aims.core;

import dev.aims.core.event.LogEntry;

enum NoopDecisionLog implements DecisionLog {
  INSTANCE;

  @Override
  public void append(LogEntry entry) {}

  @Override
  public String toString() {
    return "DecisionLog.noop()";
  }
}
