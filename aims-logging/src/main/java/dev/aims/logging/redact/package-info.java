/**
 * Personal-data redaction for the decision log: field-path rules (mask, drop, keyed hash) and
 * detectors that find e-mail addresses, phone numbers, payment card numbers, IBANs and IP
 * addresses in free text. Start at {@link dev.aims.logging.redact.PersonalDataRedactor#builder()};
 * the rules are described in {@code docs/redaction.md}.
 */
@NullMarked
package dev.aims.logging.redact;

import org.jspecify.annotations.NullMarked;
