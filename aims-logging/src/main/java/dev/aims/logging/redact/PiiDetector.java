package dev.aims.logging.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds one kind of personal data in a string. {@link PersonalDataRedactor} replaces each match
 * with {@code [kind]}. Implementations are stateless or thread-safe, and return matches in
 * ascending order without overlaps (others are ignored by the redactor).
 *
 * <p>The built-in detectors ({@link #email()}, {@link #phone()}, {@link #card()}, {@link #iban()},
 * {@link #ipv4()}, {@link #ipv6()}) scan the text once without regular expressions, so their cost
 * is linear in the length of the text whatever it contains. Their exact rules are in
 * {@code docs/redaction.md}.
 */
public interface PiiDetector {

  /**
   * The name of what is found, used in the placeholder {@code [kind]}: lowercase letters, digits,
   * {@code _} or {@code -}, starting with a letter, at most 32 characters.
   */
  String kind();

  /** The spans of personal data in {@code text}, in ascending order and not overlapping. */
  List<Match> find(String text);

  /**
   * One span {@code [start, end)} of a string, in UTF-16 code units as {@link String#substring}.
   */
  record Match(int start, int end) {
    public Match {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException(
            "a match needs 0 <= start < end but was [" + start + ", " + end + ")");
      }
    }
  }

  /** E-mail addresses: {@code local@domain.tld}. */
  static PiiDetector email() {
    return BuiltInDetector.EMAIL;
  }

  /**
   * Phone numbers: {@code +} international forms and the common national forms written with
   * separators (trunk prefix {@code 0}, or North American {@code NXX-NXX-XXXX}); never a bare run
   * of digits, a date or an amount.
   */
  static PiiDetector phone() {
    return BuiltInDetector.PHONE;
  }

  /** Payment card numbers: 13 to 19 digits, grouped by spaces or dashes, Luhn-valid only. */
  static PiiDetector card() {
    return BuiltInDetector.CARD;
  }

  /** IBANs (ISO 13616), printed or electronic form, with a valid mod-97 check only. */
  static PiiDetector iban() {
    return BuiltInDetector.IBAN;
  }

  /** IPv4 addresses in dotted-decimal form, each octet 0 to 255. */
  static PiiDetector ipv4() {
    return BuiltInDetector.IPV4;
  }

  /** IPv6 addresses, full, {@code ::}-compressed, or with an embedded IPv4 tail. */
  static PiiDetector ipv6() {
    return BuiltInDetector.IPV6;
  }

  /**
   * All built-in detectors, in the order the redactor should run them: the most specific first
   * (e-mail, IBAN, card, IPv6, IPv4), phone last, so that a card or IBAN is not taken for a phone
   * number.
   */
  static List<PiiDetector> defaults() {
    return List.of(
        BuiltInDetector.EMAIL,
        BuiltInDetector.IBAN,
        BuiltInDetector.CARD,
        BuiltInDetector.IPV6,
        BuiltInDetector.IPV4,
        BuiltInDetector.PHONE);
  }

  /**
   * A detector that takes every non-empty match of a precompiled pattern, e.g. a customer number
   * format: {@code PiiDetector.ofPattern("customer-id", Pattern.compile("\\bC-\\d{8}\\b"))}. Its
   * cost is that of the pattern: prefer possessive or bounded quantifiers on large inputs.
   */
  static PiiDetector ofPattern(String kind, Pattern pattern) {
    String k = Kinds.require(kind);
    Objects.requireNonNull(pattern, "pattern must not be null");
    return new PiiDetector() {
      @Override
      public String kind() {
        return k;
      }

      @Override
      public List<Match> find(String text) {
        List<Match> matches = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          if (m.end() > m.start()) {
            matches.add(new Match(m.start(), m.end()));
          }
        }
        return matches;
      }

      @Override
      public String toString() {
        return "PiiDetector[" + k + ": " + pattern.pattern() + "]";
      }
    };
  }
}
