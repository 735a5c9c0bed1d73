package dev.aims.logging.report;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * The period a report counts: records whose {@code ts} is at or after {@code from} and before
 * {@code to}. Either end may be open (null).
 */
public record ReportPeriod(@Nullable Instant from, @Nullable Instant to) {
  /** The whole log. */
  public static final ReportPeriod ALL = new ReportPeriod(null, null);

  public ReportPeriod {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("the period must end after it begins, but --from is " + from
          + " and --to is " + to);
    }
  }

  /**
   * Reads the command line's {@code --from} and {@code --to}: an RFC 3339 instant
   * ({@code 2026-03-02T09:00:00Z}, an offset instead of Z is fine) or a date ({@code 2026-03-02}, a
   * UTC day). A date as {@code to} includes that whole day, so {@code --from 2026-03-01 --to
   * 2026-03-31} is March.
   *
   * @throws IllegalArgumentException naming the option and the forms it takes
   */
  public static ReportPeriod parse(@Nullable String from, @Nullable String to) {
    return new ReportPeriod(from == null ? null : instant("--from", from, false),
        to == null ? null : instant("--to", to, true));
  }

  boolean contains(Instant ts) {
    return (from == null || !ts.isBefore(from)) && (to == null || ts.isBefore(to));
  }

  boolean whole() {
    return from == null && to == null;
  }

  private static Instant instant(String option, String text, boolean endOfDay) {
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(option + " must be an RFC 3339 instant (2026-03-02T09:00:00Z) or a date"
          + " (2026-03-02), but was '" + text + "'");
    }
  }
}
