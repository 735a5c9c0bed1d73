package dev.aims.core.monitor;

/**
 * Heap size estimates from array lengths, for the fixed-memory claims (docs/monitoring.md). Uses
 * HotSpot's 64-bit layout with compressed oops: 16-byte array header, 8-byte alignment, objects
 * rounded up to 8 bytes. An estimate, checked against a heap measurement in the benchmarks.
 */
final class Memory {
  static final long OBJECT = 16;
  static final long REFERENCE = 4;

  private Memory() {}

  static long array(int length, int elementBytes) {
    return align(16 + (long) length * elementBytes);
  }

  static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
