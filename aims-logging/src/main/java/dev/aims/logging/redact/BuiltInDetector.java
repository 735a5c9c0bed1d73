package dev.aims.logging.redact;

import java.util.List;
import java.util.function.Function;

/** The built-in detectors: stateless singletons, each delegating to its scanner. */
enum BuiltInDetector implements PiiDetector {
  EMAIL("email", EmailScanner::find),
  PHONE("phone", PhoneScanner::find),
  CARD("card", CardScanner::find),
  IBAN("iban", IbanScanner::find),
  IPV4("ipv4", IpScanner::findV4),
  IPV6("ipv6", IpScanner::findV6);

  private final String kind;
  private final Function<String, List<Match>> scanner;

  BuiltInDetector(String kind, Function<String, List<Match>> scanner) {
    this.kind = kind;
    this.scanner = scanner;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public List<Match> find(String text) {
    return text == null || text.isEmpty() ? List.of() : scanner.apply(text);
  }
}
