package dev.aims.core;

import java.util.Locale;

/**
 * What finally happened to a decision. The lower-case {@link #tag()} is the {@code outcome} tag of
 * {@code aims.decisions}.
 */
public enum Outcome {
  /** Boundaries allowed it; the output was returned. */
  ALLOWED,
  /** A reviewer approved it. */
  APPROVED,
  /** A reviewer approved it with a modified output. */
  OVERRIDDEN,
  /** A boundary denied it. */
  DENIED,
  /** A reviewer rejected it. */
  REJECTED,
  /** The review deadline passed; expiry is a denial. */
  EXPIRED,
  /** Refused before or after the model call: system stopped, no approval gate, or log unavailable. */
  REFUSED,
  /** The model call failed or returned no output. */
  FAILED;

  private final String tag = name().toLowerCase(Locale.ROOT);

  public String tag() {
    return tag;
  }

  /** Whether the output may be acted upon. */
  public boolean actionable() {
    return this == ALLOWED || this == APPROVED || this == OVERRIDDEN;
  }
}
