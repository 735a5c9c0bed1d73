package dev.aims.core.incident;

/** What went wrong; docs/operations.md has a runbook section per kind. */
public enum IncidentKind {
  HARMFUL_OUTPUT,
  BIASED_OUTPUT,
  PROMPT_INJECTION,
  DATA_LEAK,
  /** A drift or fairness alarm was raised (opened by the trigger). */
  DRIFT,
  /** Reviewers rejected or overrode many decisions in a short window (opened by the trigger). */
  OVERSIGHT_SPIKE,
  /** Someone pressed the stop switch (opened by the trigger). */
  STOP_SWITCH,
  OTHER
}
