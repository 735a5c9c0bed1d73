package dev.aims.logging.redact;

import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayList;
import java.util.List;

/**
 * Payment card numbers: consecutive groups of digits joined by single spaces or dashes, 13 to 19
 * digits in all, passing the Luhn check. A candidate starts and ends at group edges, is not glued
 * to letters or digits, does not follow {@code +} (a phone number) and is not part of a decimal
 * number such as {@code 0.4111111111111111}. From each group the longest valid candidate wins.
 */
final class CardScanner {
  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;

  private CardScanner() {}

  static List<Match> find(String s) {
    List<Match> matches = new ArrayList<>(1);
    DigitGroups groups = new DigitGroups();
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!Chars.isDigit(s.charAt(i))) {
        i++;
        continue;
      }
      int spanEnd = groups.read(s, i, " -");
      boolean startOk = Chars.boundaryBefore(s, i)
          && !(i > 0 && s.charAt(i - 1) == '+')
          && !Chars.decimalBefore(s, i);
      boolean endOk = Chars.boundaryAt(s, spanEnd) && !Chars.decimalAt(s, spanEnd);
      addCandidates(s, groups, startOk, endOk, matches);
      i = spanEnd;
    }
    return matches;
  }

  private static void addCandidates(
      String s, DigitGroups groups, boolean startOk, boolean endOk, List<Match> matches) {
    int last = groups.size - 1;
    int g = startOk ? 0 : 1;
    while (g <= last) {
      int best = -1;
      int digits = 0;
      for (int h = g; h <= last; h++) {
        digits += groups.digits(h);
        if (digits > MAX_DIGITS) {
          break;
        }
        if (digits >= MIN_DIGITS
            && (h < last || endOk)
            && luhn(s, groups.starts[g], groups.ends[h])) {
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

  /** The Luhn (mod 10) check over the digits in {@code [start, end)}, separators skipped. */
  static boolean luhn(String s, int start, int end) {
    int sum = 0;
    boolean twice = false;
    for (int i = end - 1; i >= start; i--) {
      char c = s.charAt(i);
      if (!Chars.isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
