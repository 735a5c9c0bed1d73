package dev.aims.logging.redact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.event.CanonicalJson;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 over a value's canonical JSON, written as {@code hmac-sha256:<64 hex digits>}.
 * Thread-safe: each call works on a clone of an initialised prototype {@link Mac}.
 */
final class KeyedHasher {
  static final String PREFIX = "hmac-sha256:";
  static final int MIN_KEY_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Mac prototype;

  KeyedHasher(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM); // SecretKeySpec copies the array
    this.prototype = newMac(this.key);
  }

  String hash(JsonNode value) {
    Mac mac;
    try {
      mac = (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      mac = newMac(key);
    }
    return PREFIX + HexFormat.of().formatHex(mac.doFinal(CanonicalJson.bytes(value)));
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }
}
