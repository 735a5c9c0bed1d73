package dev.aims.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A disk that can lose power, in the spirit of ALICE and CrashMonkey: the writer runs on real files
 * through channels that record every operation that changes what would be on the platter (file
 * creation, write with its position and bytes, truncate, force, directory sync) in one global
 * order. From that trace, {@link #crashImage} rebuilds what a machine crash after any operation
 * could leave on disk:
 *
 * <ul>
 *   <li>a file's bytes written before its last completed {@code force()} are there;</li>
 *   <li>of the writes and truncates after it, in order, a random prefix is there, the last one of
 *       the prefix possibly cut at a random byte, the rest of its range then zeros, garbage, or
 *       nothing (the file ends at the cut);</li>
 *   <li>a file created after the last directory sync may be missing altogether.</li>
 * </ul>
 *
 * Unforced writes are not reordered among themselves (a prefix, as on a file system that writes
 * one file's data in order, such as ext4 with {@code data=ordered}).
 */
final class PowerLossDisk {
  sealed interface Op permits Create, Write, Truncate, Force, SyncDirectory {}

  record Create(Path file) implements Op {}

  record Write(Path file, long position, byte[] bytes) implements Op {}

  record Truncate(Path file, long size) implements Op {}

  record Force(Path file) implements Op {}

  record SyncDirectory() implements Op {}

  private final List<Op> ops = new ArrayList<>();

  /** How many operations have completed: a record acknowledged now is durable in every crash after this many. */
  synchronized int completed() {
    return ops.size();
  }

  synchronized List<Op> trace() {
    return List.copyOf(ops);
  }

  private synchronized void record(Op op) {
    ops.add(op);
  }

  /** Opens segments on the real disk through a recording channel; forces are recorded, not done (nothing survives the test). */
  LogWriter.ChannelOpener opener() {
    return new LogWriter.ChannelOpener() {
      @Override
      public FileChannel open(Path segment) throws IOException {
        boolean created = !Files.exists(segment);
        FileChannel real = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
        if (created) {
          record(new Create(segment.getFileName()));
        }
        return new RecordingChannel(segment.getFileName(), real);
      }

      @Override
      public void syncDirectory(Path dir) {
        record(new SyncDirectory());
      }
    };
  }

  /** How a crash left one file: whether it exists, its bytes, and what was forced (sure to be there). */
  record FileImage(boolean exists, byte[] bytes, byte[] forced) {}

  /**
   * What the disk holds after a power loss once {@code crashAfter} operations had completed; the
   * choices the model leaves open are made with {@code random}. Files in creation order.
   */
  static Map<Path, FileImage> crashImage(List<Op> trace, int crashAfter, Random random) {
    List<Op> done = trace.subList(0, crashAfter);
    Map<Path, FileImage> image = new LinkedHashMap<>();
    int lastSync = -1;
    for (int i = 0; i < done.size(); i++) {
      if (done.get(i) instanceof SyncDirectory) {
        lastSync = i;
      }
    }
    for (int i = 0; i < done.size(); i++) {
      if (!(done.get(i) instanceof Create c)) {
        continue;
      }
      Path file = c.file();
      boolean exists = i < lastSync || random.nextBoolean();
      int lastForce = -1;
      for (int j = i; j < done.size(); j++) {
        if (done.get(j) instanceof Force f && f.file().equals(file)) {
          lastForce = j;
        }
      }
      Bytes content = new Bytes();
      for (int j = i; j < lastForce; j++) {
        apply(done.get(j), file, content);
      }
      byte[] forced = content.toArray();
      List<Op> unforced = new ArrayList<>();
      for (int j = Math.max(i, lastForce + 1); j < done.size(); j++) {
        Op op = done.get(j);
        if ((op instanceof Write w && w.file().equals(file)) || (op instanceof Truncate t && t.file().equals(file))) {
          unforced.add(op);
        }
      }
      int kept = random.nextInt(unforced.size() + 1);
      for (int j = 0; j < kept; j++) {
        apply(unforced.get(j), file, content);
      }
      if (kept < unforced.size() && unforced.get(kept) instanceof Write w) {
        int cut = random.nextInt(w.bytes().length + 1);
        content.write(w.position(), Arrays.copyOf(w.bytes(), cut));
        int rest = w.bytes().length - cut;
        switch (random.nextInt(3)) {
          case 0 -> content.write(w.position() + cut, new byte[rest]); // allocated, never written: zeros
          case 1 -> {
            byte[] garbage = new byte[rest];
            random.nextBytes(garbage);
            content.write(w.position() + cut, garbage);
          }
          default -> { } // the file ends at the cut
        }
      }
      image.put(file, new FileImage(exists, exists ? content.toArray() : new byte[0], forced));
    }
    return image;
  }

  private static void apply(Op op, Path file, Bytes content) {
    if (op instanceof Write w && w.file().equals(file)) {
      content.write(w.position(), w.bytes());
    } else if (op instanceof Truncate t && t.file().equals(file)) {
      content.truncate(t.size());
    }
  }

  /** A growable file image. */
  private static final class Bytes {
    private byte[] data = new byte[0];
    private int size;

    void write(long position, byte[] bytes) {
      int end = Math.toIntExact(position + bytes.length);
      if (end > data.length) {
        data = Arrays.copyOf(data, Math.max(end, data.length * 2));
      }
      System.arraycopy(bytes, 0, data, (int) position, bytes.length);
      size = Math.max(size, end);
    }

    void truncate(long to) {
      if (to > size) {
        write(size, new byte[(int) (to - size)]);
      } else if (to < size) {
        Arrays.fill(data, (int) to, size, (byte) 0);
        size = (int) to;
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }

  /** Writes to the real file and records what was written where; records a force once it has "completed". */
  private final class RecordingChannel extends FileChannel {
    private final Path name;
    private final FileChannel real;

    RecordingChannel(Path name, FileChannel real) {
      this.name = name;
      this.real = real;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      long at = real.position();
      int from = src.position();
      int n = real.write(src);
      recordWrite(at, src, from, n);
      return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      int from = src.position();
      int n = real.write(src, position);
      recordWrite(position, src, from, n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        while (srcs[i].hasRemaining()) {
          total += write(srcs[i]);
        }
      }
      return total;
    }

    private void recordWrite(long at, ByteBuffer src, int from, int n) {
      if (n > 0) {
        byte[] copy = new byte[n];
        src.duplicate().position(from).get(copy);
        record(new Write(name, at, copy));
      }
    }

    @Override
    public void force(boolean metaData) {
      record(new Force(name));
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      real.truncate(size);
      record(new Truncate(name, size));
      return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return real.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException("not recorded");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      real.close();
    }
  }
}
