package dev.aims.core;

import java.util.Objects;

/** Argument checks whose messages name the parameter, so a bad setting is found at build time. */
final class Checks {
  private Checks() {}

  static String requireText(String value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  static void requireArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
