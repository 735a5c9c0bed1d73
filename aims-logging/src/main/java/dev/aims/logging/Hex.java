package dev.aims.logging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex and SHA-256 helpers. */
final class Hex {
  static final HexFormat HEX = HexFormat.of();
  static final String ZERO_HASH = "0".repeat(64);
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Hex() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** The 64 ASCII bytes of the hex form of a 32-byte digest. */
  static byte[] hexBytes(byte[] digest) {
    byte[] out = new byte[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = DIGITS[(digest[i] >> 4) & 0xF];
      out[2 * i + 1] = DIGITS[digest[i] & 0xF];
    }
    return out;
  }
}
