package dev.aims.core.monitor;

import java.util.Locale;

/** What became of one late label given to {@code aims.feedback(decisionId, actualOutcome)}. */
public enum FeedbackResult {
  /** The label was matched to its pending decision and counted. */
  RECORDED,
  /** The decision already had a label; this one changed nothing. */
  DUPLICATE,
  /** No pending decision has that id: unknown, not monitored, or expired from the bounded cache. */
  UNKNOWN;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The {@code result} tag of {@code aims.feedback} and the {@code status} of {@code outcome.recorded}. */
  public String tag() {
    return tag;
  }
}
