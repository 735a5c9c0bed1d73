package dev.aims.logging;

import java.security.MessageDigest;
import java.util.List;

/**
 * The Merkle tree hash of RFC 6962 §2.1 over record hashes: a leaf is {@code SHA-256(0x00 ‖ h)},
 * a node {@code SHA-256(0x01 ‖ left ‖ right)}, the split point the largest power of two smaller
 * than n; the hash of the empty list is {@code SHA-256()}.
 */
final class Merkle {
  private Merkle() {}

  static byte[] root(List<byte[]> leaves) {
    MessageDigest md = Hex.sha256();
    if (leaves.isEmpty()) {
      return md.digest();
    }
    return root(leaves, 0, leaves.size(), md);
  }

  private static byte[] root(List<byte[]> leaves, int from, int to, MessageDigest md) {
    int n = to - from;
    if (n == 1) {
      md.update((byte) 0);
      md.update(leaves.get(from));
      return md.digest();
    }
    int k = Integer.highestOneBit(n - 1);
    byte[] left = root(leaves, from, from + k, md);
    byte[] right = root(leaves, from + k, to, md);
    md.update((byte) 1);
    md.update(left);
    md.update(right);
    return md.digest();
  }
}
