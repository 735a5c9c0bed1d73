package dev.aims.core.monitor;

/**
 * A 64-bit FNV-1a digest of what makes two instances' summaries mergeable (bins, reference counts,
 * groups). Not a security measure: it guards against merging summaries of different configurations.
 */
final class Fingerprint {
  private long h = 0xcbf29ce484222325L;

  Fingerprint add(long v) {
    for (int i = 0; i < 8; i++) {
      h ^= (v >>> (8 * i)) & 0xff;
      h *= 0x100000001b3L;
    }
    return this;
  }

  Fingerprint add(double v) {
    return add(Double.doubleToLongBits(v));
  }

  Fingerprint add(String s) {
    add(s.length());
    for (int i = 0; i < s.length(); i++) {
      add(s.charAt(i));
    }
    return this;
  }

  Fingerprint add(double[] v) {
    add(v.length);
    for (double x : v) {
      add(x);
    }
    return this;
  }

  Fingerprint add(long[] v) {
    add(v.length);
    for (long x : v) {
      add(x);
    }
    return this;
  }

  String hex() {
    return String.format("%016x", h);
  }
}
