package dev.aims.logging.redact;

import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code local@domain}: the local part is 1 to 64 characters of letters, digits and
 * {@code . _ % + -} (leading dots are not part of it); the domain is at least two labels of
 * letters, digits and {@code -} (not at a label's ends, at most 63 characters each, 253 in all)
 * whose last label is at least two letters. Work per {@code @} is bounded, so the scan is linear.
 */
final class EmailScanner {
  private static final int MAX_LOCAL = 64;
  private static final int MAX_LABEL = 63;
  private static final int MAX_DOMAIN = 253;

  private EmailScanner() {}

  static List<Match> find(String s) {
    List<Match> matches = new ArrayList<>(2);
    int from = 0;
    for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
      if (at < from) {
        continue;
      }
      int start = localStart(s, at, from);
      if (start < 0) {
        continue;
      }
      int end = domainEnd(s, at + 1);
      if (end < 0) {
        continue;
      }
      matches.add(new Match(start, end));
      from = end;
    }
    return matches;
  }

  private static int localStart(String s, int at, int from) {
    int start = at;
    while (start > from && isLocalChar(s.charAt(start - 1))) {
      start--;
      if (at - start > MAX_LOCAL) {
        return -1;
      }
    }
    while (start < at && s.charAt(start) == '.') {
      start++;
    }
    return start < at ? start : -1;
  }

  /** The end of the longest valid domain starting at {@code from}, or -1. */
  private static int domainEnd(String s, int from) {
    int n = s.length();
    int pos = from;
    int labels = 0;
    int end = -1;
    while (true) {
      int labelStart = pos;
      while (pos < n && isDomainChar(s.charAt(pos)) && pos - labelStart <= MAX_LABEL) {
        pos++;
      }
      int length = pos - labelStart;
      if (length == 0
          || length > MAX_LABEL
          || pos - from > MAX_DOMAIN
          || s.charAt(labelStart) == '-'
          || s.charAt(pos - 1) == '-') {
        return end;
      }
      labels++;
      if (labels >= 2 && isTopLevel(s, labelStart, pos)) {
        end = pos;
      }
      if (pos + 1 < n && s.charAt(pos) == '.' && isDomainChar(s.charAt(pos + 1))) {
        pos++;
      } else {
        return end;
      }
    }
  }

  private static boolean isTopLevel(String s, int start, int end) {
    if (end - start < 2) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!Character.isLetter(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocalChar(char c) {
    return Chars.isAsciiAlnum(c)
        || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
        || (c >= 0x80 && Character.isLetterOrDigit(c));
  }

  private static boolean isDomainChar(char c) {
    return Chars.isAsciiAlnum(c) || c == '-' || (c >= 0x80 && Character.isLetterOrDigit(c));
  }
}
