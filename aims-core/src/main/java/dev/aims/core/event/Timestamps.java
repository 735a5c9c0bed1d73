package dev.aims.core.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;

/**
 * The one timestamp form of the decision log: RFC 3339 in UTC with exactly six fraction digits,
 * {@code 2026-12-03T13:06:33.123456Z} (27 characters). A fixed width means that the text order of
 * two timestamps is their time order, and that a writer can replace one in place. Instants are
 * truncated to microseconds; years outside 0000..9999 are refused.
 */
public final class Timestamps {
  /** The length of every formatted timestamp. */
  public static final int LENGTH = 27;

  private static final DateTimeFormatter FORM = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC)
      .withResolverStyle(ResolverStyle.STRICT);
  private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Timestamps() {}

  /** {@code instant} truncated to microseconds, in the log's fixed form. */
  public static String format(Instant instant) {
    if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
      throw new DateTimeException("timestamp " + instant + " is outside the years 0000..9999 the log can hold");
    }
    return FORM.format(instant.truncatedTo(ChronoUnit.MICROS));
  }

  /** True if {@code text} is exactly a timestamp in the fixed form (what {@link #format} writes). */
  public static boolean isFixedForm(String text) {
    if (text.length() != LENGTH) {
      return false;
    }
    try {
      return FORM.format(FORM.parse(text, Instant::from)).equals(text);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * Parses a timestamp in the fixed form, or (for records written before schema version 2) any
   * ISO-8601 instant such as {@link Instant#toString()} writes.
   *
   * @throws DateTimeParseException if it is neither
   */
  public static Instant parse(String text) {
    if (text.length() == LENGTH) {
      try {
        return FORM.parse(text, Instant::from);
      } catch (DateTimeParseException e) {
        // fall through to the general form
      }
    }
    return Instant.parse(text);
  }
}
