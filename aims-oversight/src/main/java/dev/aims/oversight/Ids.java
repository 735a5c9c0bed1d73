package dev.aims.oversight;

import java.util.Comparator;
import java.util.UUID;

/** Orders UUIDs as unsigned 128-bit numbers: time order for UUIDv7, and PostgreSQL's order for uuid. */
final class Ids {
  static final Comparator<UUID> ORDER = Ids::compare;

  private Ids() {}

  static int compare(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
