package dev.aims.logging;

import dev.aims.core.event.Timestamps;

/**
 * {@link Timestamps#isFixedForm} without a formatter: the verifier asks it of every line, and a
 * {@code DateTimeFormatter} parse costs more than hashing the line. {@code FixedTsTest} checks that
 * the two agree.
 */
final class FixedTs {
  private FixedTs() {}

  /** {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ} with a real date and time (no leap second). */
  static boolean isFixedForm(String s) {
    if (s.length() != Timestamps.LENGTH || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(26) != 'Z') {
      return false;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return false;
    }
    return digits(s, 20, 26) >= 0;
  }

  private static int daysIn(int month, int year) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The decimal value of {@code s[from, to)}, or -1 if it is not all ASCII digits. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
