package dev.aims.logging;

import java.time.Duration;
import java.util.Objects;

/** Checks shared by the log builders, so the file and PostgreSQL logs accept exactly the same settings. */
final class SettingChecks {
  private static final java.util.regex.Pattern STREAM = java.util.regex.Pattern.compile("[A-Za-z0-9@._-]{1,128}");

  private SettingChecks() {}

  static String stream(String stream) {
    Objects.requireNonNull(stream, "stream");
    if (!STREAM.matcher(stream).matches()) {
      throw new IllegalArgumentException("stream must be 1-128 characters of [A-Za-z0-9@._-] but was '" + stream + "'");
    }
    return stream;
  }

  static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
    }
    return value;
  }

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
    return d;
  }
}
