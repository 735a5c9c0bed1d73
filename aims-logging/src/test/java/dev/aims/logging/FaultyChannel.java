package dev.aims.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;

/** A real file channel whose write or force can be made to fail, or to block, on demand. */
final class FaultyChannel extends FileChannel {
  private final FileChannel delegate;
  volatile boolean failForce;
  volatile boolean failWrite;
  /** force() returns at once without forcing: for tests that check the files and throw them away. */
  volatile boolean skipForce;
  volatile CountDownLatch writeGate = new CountDownLatch(0);
  volatile CountDownLatch forceGate = new CountDownLatch(0);
  /** Counted down as a force starts (before it waits at {@link #forceGate}). */
  volatile CountDownLatch forceStarted = new CountDownLatch(0);

  FaultyChannel(FileChannel delegate) {
    this.delegate = delegate;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    try {
      writeGate.await();
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
    if (failWrite) {
      throw new IOException("injected: No space left on device");
    }
    return delegate.write(src);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    forceStarted.countDown();
    try {
      forceGate.await();
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
    if (failForce) {
      throw new IOException("injected: fsync failed (EIO)");
    }
    if (!skipForce) {
      delegate.force(metaData);
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return delegate.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
