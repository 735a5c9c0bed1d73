package dev.aims.core;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/** Makes decision ids. Injected so tests can control them. Thread-safe. */
@FunctionalInterface
public interface IdGenerator {

  UUID next();

  /**
   * Time-ordered UUIDv7 ids (RFC 9562 §5.7): 48 bits of Unix milliseconds from {@code clock}, a
   * 12-bit counter that keeps ids from this generator strictly increasing within a millisecond
   * (method 1 of §6.2), and 62 random bits.
   */
  static IdGenerator uuidV7(Clock clock) {
    return new UuidV7Generator(Objects.requireNonNull(clock, "clock"));
  }
}
