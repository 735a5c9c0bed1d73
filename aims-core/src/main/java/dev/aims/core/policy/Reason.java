package dev.aims.core.policy;

import dev.aims.core.Verdict;
import java.util.Objects;

/** A non-ALLOW ruling as recorded with a decision: which boundary, which version, what it said. */
public record Reason(String boundary, String version, Verdict verdict, String message) {
  /** The {@link #boundary()} of a denial by a system's stop switch. */
  public static final String STOP_SWITCH_BOUNDARY = "aims.stop-switch";

  public Reason {
    Objects.requireNonNull(boundary, "boundary");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return verdict + " by " + boundary + "@" + version + ": " + message;
  }
}
