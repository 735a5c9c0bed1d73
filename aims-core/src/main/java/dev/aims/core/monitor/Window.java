package dev.aims.core.monitor;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The current window a monitor compares with its reference: the last {@code n} values, or the
 * values of the last {@code duration}. Memory is fixed either way.
 *
 * <ul>
 *   <li>A count window of at most {@value #EXACT_LIMIT} values keeps the raw values in a ring, so
 *       every statistic is exact.
 *   <li>A larger count window, and every time window, keeps a ring of {@code slices} histograms
 *       (fine quantile bins of the reference, with the sum of the values in each bin). The window
 *       then moves a slice at a time: it holds between {@code n - n/slices} and {@code n} values,
 *       or the values of the last {@code duration - duration/slices} to {@code duration}.
 * </ul>
 *
 * @param count the number of values, for a count window; 0 for a time window
 * @param duration the length of a time window; null for a count window
 * @param slices how many histograms make up a sliced window (default 10)
 */
public record Window(int count, @Nullable Duration duration, int slices) {
  /** The largest count window kept as raw values. */
  public static final int EXACT_LIMIT = 2_000;
  static final int DEFAULT_SLICES = 10;
  static final int MAX_COUNT = 100_000_000;

  public Window {
    if (duration == null) {
      if (count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("window count must be in [1, " + MAX_COUNT + "] but was " + count);
      }
    } else {
      if (count != 0) {
        throw new IllegalArgumentException("a time window has no count (count must be 0 but was " + count + ")");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("window duration must be positive but was " + duration);
      }
    }
    if (slices < 2 || slices > 1000) {
      throw new IllegalArgumentException("window slices must be in [2, 1000] but was " + slices);
    }
    if (duration != null && duration.toMillis() / slices < 1) {
      throw new IllegalArgumentException("window duration " + duration + " split into " + slices
          + " slices gives slices shorter than 1 ms");
    }
  }

  /** The last {@code n} recorded values. */
  public static Window lastDecisions(int n) {
    return new Window(n, null, DEFAULT_SLICES);
  }

  /** The values recorded in the last {@code duration} (by the {@code Aims} clock). */
  public static Window last(Duration duration) {
    return new Window(0, Objects.requireNonNull(duration, "duration"), DEFAULT_SLICES);
  }

  /** The same window cut into {@code slices} histograms. */
  public Window withSlices(int slices) {
    return new Window(count, duration, slices);
  }

  /**
   * The fewest values a filled count window holds: all {@code count} for a raw window; for a sliced
   * one, the full slices just after the window moved on, {@code (slices − 1)·ceil(count/slices)}.
   * 0 for a time window, whose content depends on traffic.
   */
  public long fewestHeldOnceFull() {
    if (duration != null) {
      return 0;
    }
    if (isExact()) {
      return count;
    }
    return (long) (slices - 1) * ((count + slices - 1) / slices);
  }

  public boolean isTimeBased() {
    return duration != null;
  }

  /** Whether the window keeps raw values (a count window of at most {@link #EXACT_LIMIT}). */
  public boolean isExact() {
    return duration == null && count <= EXACT_LIMIT;
  }

  @Override
  public String toString() {
    return duration == null ? "last " + count + " values" : "last " + duration;
  }
}
