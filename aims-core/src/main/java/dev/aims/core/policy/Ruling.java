package dev.aims.core.policy;

import dev.aims.core.Verdict;
import java.util.Objects;

/** What one boundary says about one decision: a verdict and, unless it is ALLOW, why. */
public record Ruling(Verdict verdict, String message) {
  private static final Ruling ALLOW = new Ruling(Verdict.ALLOW, "");

  public Ruling {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(message, "message");
    if (verdict != Verdict.ALLOW && message.isBlank()) {
      throw new IllegalArgumentException("a " + verdict + " ruling needs a message saying why");
    }
  }

  public static Ruling allow() {
    return ALLOW;
  }

  public static Ruling review(String message) {
    return new Ruling(Verdict.REVIEW, message);
  }

  public static Ruling deny(String message) {
    return new Ruling(Verdict.DENY, message);
  }

  public static Ruling of(Verdict verdict, String message) {
    return verdict == Verdict.ALLOW ? ALLOW : new Ruling(verdict, message);
  }
}
