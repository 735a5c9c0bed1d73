package dev.aims.logging.redact;

import java.util.Arrays;

/**
 * A run of digit groups joined by single separator characters, e.g. {@code 4111 1111-1111 1111}:
 * the groups' start and end offsets. Reused across spans of one scan; not thread-safe.
 */
final class DigitGroups {
  int[] starts = new int[8];
  int[] ends = new int[8];
  int size;

  void clear() {
    size = 0;
  }

  void add(int start, int end) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    starts[size] = start;
    ends[size] = end;
    size++;
  }

  /**
   * Reads digit runs from {@code start} (a digit) joined by one of {@code separators} each.
   *
   * @return the end of the last group
   */
  int read(String s, int start, String separators) {
    clear();
    int n = s.length();
    int pos = start;
    while (true) {
      int groupStart = pos;
      while (pos < n && Chars.isDigit(s.charAt(pos))) {
        pos++;
      }
      add(groupStart, pos);
      if (pos + 1 < n
          && separators.indexOf(s.charAt(pos)) >= 0
          && Chars.isDigit(s.charAt(pos + 1))) {
        pos++;
      } else {
        return pos;
      }
    }
  }

  int digits(int group) {
    return ends[group] - starts[group];
  }
}
