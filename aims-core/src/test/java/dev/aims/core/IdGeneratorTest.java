package dev.aims.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {
  @Test
  void idsAreVersion7WithTheClocksMillisecondsAndStrictlyIncreasing() {
    TestClock clock = TestClock.at("2026-11-23T10:00:00Z");
    IdGenerator ids = IdGenerator.uuidV7(clock);
    List<UUID> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(ids.next());
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(1));
      }
    }
    for (UUID id : made) {
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
    }
    for (int i = 1; i < made.size(); i++) {
      // UUID.compareTo compares signed longs; compare as the unsigned 128-bit numbers RFC 9562 orders by
      assertThat(Long.compareUnsigned(made.get(i).getMostSignificantBits(), made.get(i - 1).getMostSignificantBits()))
          .isPositive();
    }
    assertThat(made.get(0).getMostSignificantBits() >>> 16).isEqualTo(clock.instant().toEpochMilli() - 10);
  }
}
