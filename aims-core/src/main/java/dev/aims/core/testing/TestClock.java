package dev.aims.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that only moves when told to, for tests of deadlines, ids and timestamps. Thread-safe. */
public final class TestClock extends Clock {
  private volatile Instant now;

  private TestClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  public static TestClock at(Instant start) {
    return new TestClock(start);
  }

  public static TestClock at(String isoInstant) {
    return new TestClock(Instant.parse(isoInstant));
  }

  public synchronized void advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back; advance by " + by);
    }
    now = now.plus(by);
  }

  public void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("TestClock is always UTC");
  }
}
