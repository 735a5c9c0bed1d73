package dev.aims.logging;

import java.util.Arrays;

/** A growable byte buffer that linked lines are written into before they go to a file or a database. */
final class LineBuffer {
  byte[] bytes;
  int length;

  LineBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  void put(byte[] b) {
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
  }

  void put(byte[] b, int offset, int n) {
    System.arraycopy(b, offset, bytes, length, n);
    length += n;
  }

  void clear() {
    length = 0;
  }
}
