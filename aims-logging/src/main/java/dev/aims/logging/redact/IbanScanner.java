package dev.aims.logging.redact;

import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayList;
import java.util.List;

/**
 * IBANs (ISO 13616): two letters, two check digits from 02 to 98, then 11 to 30 letters or digits
 * (the BBAN); single spaces may separate any two characters, as in the printed form
 * {@code DE89 3704 0044 0532 0130 00}. Letters may be in either case. The candidate must not be
 * glued to other letters or digits, and must pass the mod-97 check (the number formed by moving
 * the first four characters to the end, letters as 10 to 35, leaves remainder 1 when divided by
 * 97). Where text continues after an IBAN, e.g. {@code DE89... BIC COBADEFF}, the longest candidate
 * that ends at a space and passes the check wins. The country code and the per-country length are
 * not checked.
 */
final class IbanScanner {
  private static final int MIN_BBAN = 11;
  private static final int MAX_BBAN = 30;

  private IbanScanner() {}

  static List<Match> find(String s) {
    List<Match> matches = new ArrayList<>(1);
    int n = s.length();
    int[] ends = new int[MAX_BBAN];
    int i = 0;
    while (i + 4 <= n) {
      if (!startsCandidate(s, i)) {
        i++;
        continue;
      }
      int count = collectEnds(s, i + 4, ends);
      int end = -1;
      for (int k = count - 1; k >= 0 && end < 0; k--) {
        if (mod97(s, i, ends[k]) == 1) {
          end = ends[k];
        }
      }
      if (end > 0) {
        matches.add(new Match(i, end));
        i = end;
      } else {
        i++;
      }
    }
    return matches;
  }

  private static boolean startsCandidate(String s, int i) {
    if (!Chars.isAsciiLetter(s.charAt(i))
        || !Chars.isAsciiLetter(s.charAt(i + 1))
        || !Chars.isDigit(s.charAt(i + 2))
        || !Chars.isDigit(s.charAt(i + 3))
        || !Chars.boundaryBefore(s, i)) {
      return false;
    }
    int check = (s.charAt(i + 2) - '0') * 10 + (s.charAt(i + 3) - '0');
    return check >= 2 && check <= 98;
  }

  /**
   * Reads up to 30 BBAN characters from {@code pos} and stores in {@code ends} every position,
   * after at least 11 of them, where a candidate may end (at a word boundary).
   *
   * @return how many ends were stored
   */
  private static int collectEnds(String s, int pos, int[] ends) {
    int n = s.length();
    int chars = 0;
    int count = 0;
    while (chars < MAX_BBAN) {
      if (pos + 1 < n && s.charAt(pos) == ' ' && Chars.isAsciiAlnum(s.charAt(pos + 1))) {
        pos++;
      }
      if (pos >= n || !Chars.isAsciiAlnum(s.charAt(pos))) {
        break;
      }
      pos++;
      chars++;
      if (chars >= MIN_BBAN && Chars.boundaryAt(s, pos)) {
        ends[count++] = pos;
      }
    }
    return count;
  }

  /** The ISO 7064 mod-97-10 remainder of the candidate {@code [start, end)}, spaces skipped. */
  private static int mod97(String s, int start, int end) {
    int remainder = 0;
    for (int i = start + 4; i < end; i++) {
      remainder = append(remainder, s.charAt(i));
    }
    for (int i = start; i < start + 4; i++) {
      remainder = append(remainder, s.charAt(i));
    }
    return remainder;
  }

  private static int append(int remainder, char c) {
    if (Chars.isDigit(c)) {
      return (remainder * 10 + (c - '0')) % 97;
    }
    if (Chars.isAsciiLetter(c)) {
      return (remainder * 100 + (Character.toUpperCase(c) - 'A' + 10)) % 97;
    }
    return remainder;
  }
}
