package dev.aims.logging.redact;

import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayList;
import java.util.List;

/**
 * IP addresses, found by reading maximal runs of address characters and parsing each run; no
 * regular expressions and no name lookups.
 *
 * <ul>
 *   <li>IPv4: a run of digits and dots (trailing dots dropped) that is exactly four decimal octets
 *       0 to 255 without leading zeros, not glued to letters or digits. {@code 1.2.3.4.5} is not an
 *       address; neither is {@code 256.1.1.1} nor {@code 010.1.1.1}.
 *   <li>IPv6: a run of hex digits, colons and dots (trailing dots and a trailing single colon
 *       dropped, a leading single colon dropped) that parses as RFC 4291 text: eight groups of 1 to
 *       4 hex digits, or fewer with exactly one {@code ::}, the last 32 bits optionally in IPv4
 *       form. It must not be glued to letters or digits, and it must contain a decimal digit or at
 *       least three groups, so that {@code std::vector}, {@code a::b} and a bare {@code ::} are kept.
 * </ul>
 */
final class IpScanner {
  private static final int MAX_V4 = 15;
  private static final int MAX_V6 = 45;

  private IpScanner() {}

  static List<Match> findV4(String s) {
    List<Match> matches = new ArrayList<>(1);
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!isV4Char(s.charAt(i))) {
        i++;
        continue;
      }
      int runEnd = i;
      while (runEnd < n && isV4Char(s.charAt(runEnd))) {
        runEnd++;
      }
      int start = i;
      int end = runEnd;
      while (start < end && s.charAt(start) == '.') {
        start++;
      }
      while (end > start && s.charAt(end - 1) == '.') {
        end--;
      }
      if (end - start <= MAX_V4
          && Chars.boundaryBefore(s, start)
          && Chars.boundaryAt(s, end)
          && isV4(s, start, end)) {
        matches.add(new Match(start, end));
      }
      i = runEnd;
    }
    return matches;
  }

  static List<Match> findV6(String s) {
    List<Match> matches = new ArrayList<>(1);
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!isV6Char(s.charAt(i))) {
        i++;
        continue;
      }
      int runEnd = i;
      while (runEnd < n && isV6Char(s.charAt(runEnd))) {
        runEnd++;
      }
      int start = i;
      int end = runEnd;
      if (end - start >= 2 && s.charAt(start) == ':' && s.charAt(start + 1) != ':') {
        start++;
      }
      while (end > start && s.charAt(end - 1) == '.') {
        end--;
      }
      if (end - start >= 2 && s.charAt(end - 1) == ':' && s.charAt(end - 2) != ':') {
        end--;
      }
      if (end - start <= MAX_V6
          && Chars.boundaryBefore(s, start)
          && Chars.boundaryAt(s, end)
          && isPlausibleV6(s, start, end)) {
        matches.add(new Match(start, end));
      }
      i = runEnd;
    }
    return matches;
  }

  private static boolean isV4Char(char c) {
    return Chars.isDigit(c) || c == '.';
  }

  private static boolean isV6Char(char c) {
    return Chars.isHex(c) || c == ':' || c == '.';
  }

  /** Four dot-separated decimal octets 0 to 255, no leading zeros, in {@code [start, end)}. */
  static boolean isV4(String s, int start, int end) {
    int octets = 0;
    int pos = start;
    while (true) {
      int octetStart = pos;
      int value = 0;
      while (pos < end && Chars.isDigit(s.charAt(pos)) && pos - octetStart < 3) {
        value = value * 10 + (s.charAt(pos) - '0');
        pos++;
      }
      int length = pos - octetStart;
      if (length == 0 || value > 255 || (length > 1 && s.charAt(octetStart) == '0')) {
        return false;
      }
      octets++;
      if (pos == end) {
        return octets == 4;
      }
      if (s.charAt(pos) != '.' || octets == 4) {
        return false;
      }
      pos++;
    }
  }

  private static boolean isPlausibleV6(String s, int start, int end) {
    int groups = v6Groups(s, start, end);
    if (groups < 0) {
      return false;
    }
    if (groups >= 3) {
      return true;
    }
    for (int i = start; i < end; i++) {
      if (Chars.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses RFC 4291 section 2.2 text in {@code [start, end)}.
   *
   * @return the number of groups written (an IPv4 tail counts two), or -1 if it is not an address
   */
  static int v6Groups(String s, int start, int end) {
    int gap = doubleColon(s, start, end);
    if (gap < 0) {
      return groups(s, start, end, true) == 8 ? 8 : -1;
    }
    if (doubleColon(s, gap + 1, end) >= 0) {
      return -1; // a second "::", or ":::"
    }
    int head = gap == start ? 0 : groups(s, start, gap, false);
    int tail = gap + 2 == end ? 0 : groups(s, gap + 2, end, true);
    if (head < 0 || tail < 0 || head + tail > 7) {
      return -1;
    }
    return head + tail;
  }

  /** The first "::" in {@code [start, end)}, or -1; bounded so that many runs stay linear. */
  private static int doubleColon(String s, int start, int end) {
    for (int i = start; i + 1 < end; i++) {
      if (s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
        return i;
      }
    }
    return -1;
  }

  /** Colon-separated groups of 1 to 4 hex digits in a non-empty range; -1 if malformed. */
  private static int groups(String s, int start, int end, boolean v4TailAllowed) {
    int groups = 0;
    int pos = start;
    while (true) {
      int groupStart = pos;
      while (pos < end && s.charAt(pos) != ':') {
        pos++;
      }
      int groupEnd = pos;
      boolean lastGroup = groupEnd == end;
      if (lastGroup && v4TailAllowed && contains(s, groupStart, groupEnd, '.')) {
        if (!isV4(s, groupStart, groupEnd)) {
          return -1;
        }
        groups += 2;
      } else {
        int length = groupEnd - groupStart;
        if (length < 1 || length > 4) {
          return -1;
        }
        for (int i = groupStart; i < groupEnd; i++) {
          if (!Chars.isHex(s.charAt(i))) {
            return -1;
          }
        }
        groups++;
      }
      if (lastGroup) {
        return groups;
      }
      pos++; // the colon
      if (pos == end) {
        return -1; // a trailing single colon
      }
    }
  }

  private static boolean contains(String s, int start, int end, char c) {
    for (int i = start; i < end; i++) {
      if (s.charAt(i) == c) {
        return true;
      }
    }
    return false;
  }
}
