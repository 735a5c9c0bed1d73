package dev.aims.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * Ed25519 keys for checkpoint signatures, in PEM files ({@code PRIVATE KEY}: PKCS#8,
 * {@code PUBLIC KEY}: X.509). Keep the private key away from the log directory: whoever holds it
 * can rewrite the log undetected.
 */
public final class SigningKeys {
  private static final String ALGORITHM = "Ed25519";

  private SigningKeys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of JDK 15+", e);
    }
  }

  /**
   * Writes the private key into a new file that only its owner can read or write: on a POSIX file
   * system it is created with mode 0600 (no moment with wider rights); elsewhere it gets the
   * directory's default rights, which should then be restricted.
   *
   * @throws FileAlreadyExistsException if {@code file} exists: a private key is never overwritten
   */
  public static void writePrivate(Path file, PrivateKey key) throws IOException {
    byte[] text = pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    Path parent = file.toAbsolutePath().getParent();
    boolean posix = parent != null && Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (SeekableByteChannel out = Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
      ByteBuffer b = ByteBuffer.wrap(text);
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(file.toString(), null, "a file is already there; a private key is"
          + " never overwritten (the checkpoints signed with it could no longer be told from forged ones)."
          + " Move it away first, or write the new key to another path");
    }
    if (posix) {
      // the umask may have taken rights away but never adds any; make sure the owner can read it
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  public static void writePublic(Path file, PublicKey key) throws IOException {
    Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()));
  }

  public static PrivateKey readPrivate(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublic(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** First 16 hex digits of SHA-256 over the key's X.509 encoding. */
  public static String keyId(PublicKey key) {
    return Hex.HEX.formatHex(Hex.sha256().digest(key.getEncoded())).substring(0, 16);
  }

  static String sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(data);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e.getMessage(), e);
    }
  }

  static boolean verify(PublicKey key, byte[] data, String signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] unpem(Path file, String label) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException(file + " has no " + begin + " block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    } catch (IllegalArgumentException ex) {
      throw new IOException(file + ": bad base64 in " + label, ex);
    }
  }
}
