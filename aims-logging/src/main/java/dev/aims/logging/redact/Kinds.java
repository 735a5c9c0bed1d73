package dev.aims.logging.redact;

import java.util.Objects;

/** The rule for a detector's kind, which ends up verbatim in the log as {@code [kind]}. */
final class Kinds {
  private Kinds() {}

  static String require(String kind) {
    Objects.requireNonNull(kind, "kind must not be null");
    if (!isValid(kind)) {
      throw new IllegalArgumentException(
          "kind must be 1 to 32 characters of a-z, 0-9, '_' or '-', starting with a letter, but was '"
              + kind + "'");
    }
    return kind;
  }

  static boolean isValid(String kind) {
    if (kind.isEmpty() || kind.length() > 32 || !(kind.charAt(0) >= 'a' && kind.charAt(0) <= 'z')) {
      return false;
    }
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
