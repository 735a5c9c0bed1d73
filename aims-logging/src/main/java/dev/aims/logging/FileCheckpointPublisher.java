package dev.aims.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each checkpoint as one JSON line to a file (on another disk or mount, ideally) and forces it. */
public final class FileCheckpointPublisher implements CheckpointPublisher {
  private final Path file;

  public FileCheckpointPublisher(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void publish(Checkpoint c) throws IOException {
    ObjectNode line = c.body();
    line.put("stream", c.stream());
    line.put("seq", c.seq());
    byte[] bytes = (CanonicalJson.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
  }
}
