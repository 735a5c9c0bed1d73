package dev.aims.logging.redact;

import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Phone numbers. The text is read as spans of groups: digit runs, or {@code (} 1 to 5 digits
 * {@code )}, joined by one of {@code space . - /} (a parenthesised group may also touch the next
 * one). A candidate is a run of whole groups, not glued to letters or digits and not part of a
 * decimal number, and is a phone number if it is one of:
 *
 * <ul>
 *   <li>international: {@code +} then 7 to 15 digits (a {@code (0)} trunk group not counted), the
 *       first digit 1 to 9, in any grouping, e.g. {@code +49 30 1234567}, {@code +44 (0)20 7946 0958};
 *   <li>national with trunk prefix: at least two groups, 7 to 15 digits, the first digit {@code 0},
 *       e.g. {@code 030 1234567}, {@code (030) 123-4567}, {@code 06 12 34 56 78}, {@code 0049 30 1234567};
 *       a lone {@code 0} followed by {@code .} is a decimal, not a trunk prefix;
 *   <li>North American: optionally {@code 1}, then exactly three groups of 3, 3 and 4 digits whose
 *       first and second groups start with 2 to 9, e.g. {@code (415) 555-2671}, {@code 1-800-555-0199}.
 * </ul>
 *
 * Three groups shaped like a date (1–2, 1–2 and 4 digits, or 4, 1–2 and 1–2, with the same
 * separator twice) are never part of a phone number. Bare digit runs are never national numbers,
 * so amounts, ids and timestamps written without separators are kept. From each group the longest
 * valid candidate wins; work per group is bounded, so the scan is linear.
 */
final class PhoneScanner {
  private static final int MIN_DIGITS = 7;
  private static final int MAX_DIGITS = 15;
  private static final String SEPARATORS = " .-/";

  private PhoneScanner() {}

  static List<Match> find(String s) {
    List<Match> matches = new ArrayList<>(1);
    Groups groups = new Groups();
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      boolean plus = c == '+' && i + 1 < n && Chars.isDigit(s.charAt(i + 1));
      if (!plus && !Chars.isDigit(c) && parenEnd(s, i) < 0) {
        i++;
        continue;
      }
      int first = plus ? i + 1 : i;
      int spanEnd = groups.read(s, first);
      boolean boundary = Chars.boundaryBefore(s, i) && !Chars.decimalBefore(s, i);
      boolean endOk = Chars.boundaryAt(s, spanEnd) && !Chars.decimalAt(s, spanEnd);
      int next = 0;
      if (plus && boundary) {
        int h = longestInternational(groups, endOk);
        if (h >= 0) {
          matches.add(new Match(i, groups.ends[h]));
          next = h + 1;
        } else {
          next = 1;
        }
      } else if (plus || !boundary || (i > 0 && s.charAt(i - 1) == '+')) {
        next = 1;
      }
      addNational(s, groups, next, endOk, matches);
      i = spanEnd;
    }
    return matches;
  }

  private static int longestInternational(Groups groups, boolean endOk) {
    if (groups.firstDigit(0) == '0') {
      return -1; // country codes start with 1 to 9
    }
    int best = -1;
    int digits = 0;
    for (int h = 0; h < groups.size; h++) {
      boolean trunk = groups.paren[h] && groups.digits(h) == 1 && groups.firstDigit(h) == '0';
      digits += trunk ? 0 : groups.digits(h);
      if (digits > MAX_DIGITS) {
        break;
      }
      if (digits >= MIN_DIGITS && (h < groups.size - 1 || endOk)) {
        best = h;
      }
    }
    return best;
  }

  private static void addNational(
      String s, Groups groups, int from, boolean endOk, List<Match> matches) {
    int last = groups.size - 1;
    int g = from;
    while (g <= last) {
      int best = -1;
      int digits = 0;
      for (int h = g; h <= last && !groups.date[h]; h++) {
        digits += groups.digits(h);
        if (digits > MAX_DIGITS) {
          break;
        }
        if (h > g
            && digits >= MIN_DIGITS
            && (h < last || endOk)
            && (isTrunkForm(s, groups, g) || isNorthAmerican(groups, g, h))) {
          best = h;
        }
      }
      if (best >= 0) {
        matches.add(new Match(groups.starts[g], groups.ends[best]));
        g = best + 1;
      } else {
        g++;
      }
    }
  }

  private static boolean isTrunkForm(String s, Groups groups, int g) {
    if (groups.firstDigit(g) != '0') {
      return false;
    }
    boolean loneZeroThenPoint = !groups.paren[g]
        && groups.digits(g) == 1
        && groups.ends[g] < s.length()
        && s.charAt(groups.ends[g]) == '.';
    return !loneZeroThenPoint;
  }

  private static boolean isNorthAmerican(Groups groups, int g, int h) {
    int area = g;
    if (h - g == 3 && !groups.paren[g] && groups.digits(g) == 1 && groups.firstDigit(g) == '1') {
      area = g + 1;
    }
    return h - area == 2
        && groups.digits(area) == 3
        && groups.digits(area + 1) == 3
        && groups.digits(area + 2) == 4
        && !groups.paren[area + 1]
        && !groups.paren[area + 2]
        && groups.firstDigit(area) >= '2'
        && groups.firstDigit(area + 1) >= '2';
  }

  /** The index after {@code (digits)} at {@code p} with 1 to 5 digits, or -1. */
  static int parenEnd(String s, int p) {
    if (p >= s.length() || s.charAt(p) != '(') {
      return -1;
    }
    int q = p + 1;
    while (q < s.length() && q - p <= 5 && Chars.isDigit(s.charAt(q))) {
      q++;
    }
    int digits = q - p - 1;
    return digits >= 1 && digits <= 5 && q < s.length() && s.charAt(q) == ')' ? q + 1 : -1;
  }

  /** The groups of one span; reused across spans of one scan. */
  private static final class Groups {
    int[] starts = new int[8];
    int[] ends = new int[8];
    char[] separators = new char[8];
    boolean[] paren = new boolean[8];
    boolean[] date = new boolean[8];
    int size;
    private String text = "";

    /** Reads the span starting at {@code pos}; returns its end. */
    int read(String s, int pos) {
      text = s;
      size = 0;
      int n = s.length();
      while (true) {
        int start = pos;
        boolean inParens = s.charAt(pos) == '(';
        if (inParens) {
          pos = parenEnd(s, pos);
        } else {
          while (pos < n && Chars.isDigit(s.charAt(pos))) {
            pos++;
          }
        }
        add(start, pos, inParens);
        if (pos + 1 < n && SEPARATORS.indexOf(s.charAt(pos)) >= 0 && startsGroup(s, pos + 1)) {
          separators[size - 1] = s.charAt(pos);
          pos++;
        } else if (inParens && pos < n && Chars.isDigit(s.charAt(pos))) {
          separators[size - 1] = 0;
        } else {
          markDates();
          return pos;
        }
      }
    }

    private static boolean startsGroup(String s, int p) {
      return Chars.isDigit(s.charAt(p)) || parenEnd(s, p) > 0;
    }

    private void add(int start, int end, boolean inParens) {
      if (size == starts.length) {
        int grown = size * 2;
        starts = Arrays.copyOf(starts, grown);
        ends = Arrays.copyOf(ends, grown);
        separators = Arrays.copyOf(separators, grown);
        paren = Arrays.copyOf(paren, grown);
        date = Arrays.copyOf(date, grown);
      }
      starts[size] = start;
      ends[size] = end;
      separators[size] = 0;
      paren[size] = inParens;
      date[size] = false;
      size++;
    }

    private void markDates() {
      for (int k = 0; k + 2 < size; k++) {
        if (paren[k] || paren[k + 1] || paren[k + 2] || separators[k] != separators[k + 1]) {
          continue;
        }
        int a = digits(k);
        int b = digits(k + 1);
        int c = digits(k + 2);
        boolean dayFirst = a <= 2 && b <= 2 && c == 4;
        boolean yearFirst = a == 4 && b <= 2 && c <= 2;
        if (dayFirst || yearFirst) {
          date[k] = true;
          date[k + 1] = true;
          date[k + 2] = true;
        }
      }
    }

    int digits(int group) {
      return ends[group] - starts[group] - (paren[group] ? 2 : 0);
    }

    char firstDigit(int group) {
      return text.charAt(starts[group] + (paren[group] ? 1 : 0));
    }
  }
}
