package dev.aims.logging.redact;

/** Character classes shared by the built-in scanners. */
final class Chars {
  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** A letter or digit in any script, or {@code _}: text glued to a match makes it no match. */
  static boolean isWordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** True if the character before {@code index} is absent or not a word character. */
  static boolean boundaryBefore(String s, int index) {
    return index == 0 || !isWordChar(s.charAt(index - 1));
  }

  /** True if the character at {@code index} is absent or not a word character. */
  static boolean boundaryAt(String s, int index) {
    return index >= s.length() || !isWordChar(s.charAt(index));
  }

  /** A number like {@code 0.5} or {@code 1,5} continues across {@code index - 1}. */
  static boolean decimalBefore(String s, int index) {
    return index >= 2
        && (s.charAt(index - 1) == '.' || s.charAt(index - 1) == ',')
        && isDigit(s.charAt(index - 2));
  }

  /** A decimal point or comma followed by a digit starts at {@code index}. */
  static boolean decimalAt(String s, int index) {
    return index + 1 < s.length()
        && (s.charAt(index) == '.' || s.charAt(index) == ',')
        && isDigit(s.charAt(index + 1));
  }
}
