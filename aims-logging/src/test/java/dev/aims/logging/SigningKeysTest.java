package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.aims.logging.cli.AimsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void thePrivateKeyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
    assumeThat(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class))
        .as("a POSIX file system").isTrue();
    KeyPair keys = SigningKeys.generate();
    Path file = dir.resolve("aims.key");

    SigningKeys.writePrivate(file, keys.getPrivate());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(SigningKeys.readPrivate(file).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void anExistingFileIsNeverOverwrittenWithAPrivateKey() throws Exception {
    Path file = dir.resolve("aims.key");
    Files.writeString(file, "precious");

    assertThatThrownBy(() -> SigningKeys.writePrivate(file, SigningKeys.generate().getPrivate()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("never overwritten");
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyAndRefusesToOverwrite() throws Exception {
    Path priv = dir.resolve("k.pem");
    Path pub = dir.resolve("k.pub.pem");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int first = AimsCommand.run(new String[] {"keygen", priv.toString(), pub.toString()}, new PrintStream(out),
        new PrintStream(err));
    byte[] written = Files.readAllBytes(priv);
    int second = AimsCommand.run(new String[] {"keygen", priv.toString(), pub.toString()}, new PrintStream(out),
        new PrintStream(err));

    assertThat(first).isZero();
    if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    }
    assertThat(second).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(priv.toString()).contains("overwrite");
    assertThat(Files.readAllBytes(priv)).isEqualTo(written);
  }
}
