package dev.aims.core;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

final class UuidV7Generator implements IdGenerator {
  private final Clock clock;
  /** The last (millis << 12 | counter) handed out; never goes back. */
  private final AtomicLong last = new AtomicLong();

  UuidV7Generator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UUID next() {
    long stamp;
    while (true) {
      long previous = last.get();
      long candidate = Math.max(clock.millis() << 12, previous + 1);
      if (last.compareAndSet(previous, candidate)) {
        stamp = candidate;
        break;
      }
    }
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
