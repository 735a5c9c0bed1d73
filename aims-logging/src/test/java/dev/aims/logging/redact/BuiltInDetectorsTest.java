package dev.aims.logging.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInDetectorsTest {

  static List<String> found(PiiDetector detector, String text) {
    return detector.find(text).stream().map(m -> text.substring(m.start(), m.end())).toList();
  }

  @Nested
  class Email {
    final PiiDetector email = PiiDetector.email();

    @Test
    void findsAddressesInProse() {
      assertThat(found(email, "Write to jane.doe@example.com or <j.smith+loans@mail.example.co.uk>."))
          .containsExactly("jane.doe@example.com", "j.smith+loans@mail.example.co.uk");
    }

    @Test
    void findsInternationalisedAddresses() {
      assertThat(found(email, "contact: józef.müller@bücher.de")).containsExactly("józef.müller@bücher.de");
    }

    @Test
    void stopsBeforeATrailingFullStopOrNumericLabel() {
      assertThat(found(email, "mail jane@example.com.")).containsExactly("jane@example.com");
      assertThat(found(email, "mail jane@example.com.123")).containsExactly("jane@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "user@localhost", "@handle on social media", "a@b", "jane@example.c", "foo@bar.123",
        "jane@-example.com", "price 5 @ 3.50", "jane@.com", "no at sign at all"})
    void keepsTextThatIsNotAnAddress(String text) {
      assertThat(email.find(text)).isEmpty();
    }

    @Test
    void rejectsALocalPartLongerThan64Characters() {
      assertThat(email.find("x".repeat(65) + "@example.com")).isEmpty();
      assertThat(found(email, "x".repeat(64) + "@example.com")).hasSize(1);
    }
  }

  @Nested
  class Phone {
    final PiiDetector phone = PiiDetector.phone();

    @ParameterizedTest
    @ValueSource(strings = {
        "+49 30 1234567", "+4930123456", "+44 (0)20 7946 0958", "+1 (415) 555-2671",
        "030 1234567", "(030) 123-4567", "0171-2345678", "06 12 34 56 78", "0049 30 1234567",
        "030/1234567", "(415) 555-2671", "415-555-2671", "415.555.2671", "1-800-555-0199"})
    void findsInternationalAndCommonNationalForms(String number) {
      assertThat(found(phone, "call " + number + " today")).containsExactly(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "on 2024-01-15", "on 15.01.2024", "on 01/02/2024", "EUR 1.500.000", "EUR 1 500 000",
        "amount 1500000", "p = 0.1234567", "order 12345678", "at 12:30:45", "ISBN 978-3-16-148410-0",
        "id 123e4567-e89b-12d3-a456-426614174000", "(555) 123-4567", "call 123-456-7890",
        "+0 30 1234567", "v2.0.12345678", "+49 30", "version 10.2.3.4567", "0.5 1234567"})
    void keepsDatesAmountsIdsAndNumbersWithoutAPhoneShape(String text) {
      assertThat(found(phone, text)).isEmpty();
    }

    @Test
    void keepsTheDateNextToANumber() {
      assertThat(found(phone, "01.02.2024 0301234567 and 2024-01-15 030 1234567"))
          .containsExactly("030 1234567");
    }

    @Test
    void findsANumberAfterUnrelatedDigits() {
      assertThat(found(phone, "room 12 030 1234567")).containsExactly("030 1234567");
    }

    @Test
    void needsAtLeastSevenDigits() {
      assertThat(found(phone, "030 123")).isEmpty();
      assertThat(found(phone, "030 1234")).containsExactly("030 1234");
    }
  }

  @Nested
  class Card {
    final PiiDetector card = PiiDetector.card();

    @ParameterizedTest
    @ValueSource(strings = {
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004",
        "3782 822463 10005", "4222222222222", "6011000990139424"})
    void findsLuhnValidNumbersOf13To19Digits(String number) {
      assertThat(found(card, "card: " + number + ".")).containsExactly(number);
    }

    @Test
    void keepsANumberThatFailsTheLuhnCheck() {
      assertThat(card.find("card 4111 1111 1111 1112")).isEmpty();
    }

    @Test
    void findsTheCardWhenOtherDigitGroupsTouchIt() {
      assertThat(found(card, "ref 12345 4111 1111 1111 1111 exp 12 27"))
          .containsExactly("4111 1111 1111 1111");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "41111111111111111111", "p=0.4111111111111111", "+4111111111111111", "x4111111111111111",
        "4111111111111111abc", "4111111111111111.25", "411111111111"})
    void keepsDigitsThatAreNotACardOnTheirOwn(String text) {
      assertThat(card.find(text)).isEmpty();
    }
  }

  @Nested
  class Iban {
    final PiiDetector iban = PiiDetector.iban();

    @ParameterizedTest
    @ValueSource(strings = {
        "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
        "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606", "gb82west12345698765432"})
    void findsIbansWithAValidCheck(String number) {
      assertThat(found(iban, "IBAN: " + number + ", thanks")).containsExactly(number);
    }

    @Test
    void keepsAnIbanWithAWrongCheck() {
      assertThat(iban.find("IBAN DE88 3704 0044 0532 0130 00")).isEmpty();
    }

    @Test
    void stopsWhereTheValidIbanEndsEvenIfMoreCapitalsFollow() {
      assertThat(found(iban, "DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"))
          .containsExactly("DE89 3704 0044 0532 0130 00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XDE89370400440532013000", "DE8937040044", "ISO 13616 DE89"})
    void keepsTextThatOnlyLooksLikeAnIban(String text) {
      assertThat(iban.find(text)).isEmpty();
    }
  }

  @Nested
  class Ipv4 {
    final PiiDetector ipv4 = PiiDetector.ipv4();

    @Test
    void findsAddressesWithOctetsUpTo255() {
      assertThat(found(ipv4, "from 192.168.0.1 and 10.0.0.255. Then 0.0.0.0, 255.255.255.255"))
          .containsExactly("192.168.0.1", "10.0.0.255", "0.0.0.0", "255.255.255.255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3.4.5", "010.1.1.1", "1.2.3", "1.2.3.1000", "v1.2.3.4", "1..2.3.4"})
    void keepsWhatIsNotADottedQuad(String text) {
      assertThat(ipv4.find(text)).isEmpty();
    }
  }

  @Nested
  class Ipv6 {
    final PiiDetector ipv6 = PiiDetector.ipv6();

    @ParameterizedTest
    @ValueSource(strings = {
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::1", "fe80::1", "::1", "2001:db8::",
        "::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7:8", "dead:beef:cafe::"})
    void findsFullAndCompressedForms(String address) {
      assertThat(found(ipv6, "peer " + address + " connected")).containsExactly(address);
    }

    @Test
    void findsAddressesInUrlsAndWithZones() {
      assertThat(found(ipv6, "http://[2001:db8::1]:443/ and fe80::1%eth0, last fe80::2:"))
          .containsExactly("2001:db8::1", "fe80::1", "fe80::2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "std::vector", "at 10:30:00", "1:2:3", "2001:db8:::1", "2001:db8::1::2", "12345::1",
        "00:1a:2b:3c:4d:5e", "a :: b", "a::b", "1:2:3:4:5:6:7:8:9", "::ffff:256.0.2.128",
        "1:2:3:4:5:6:7::8:9"})
    void keepsWhatDoesNotParseAsAnAddress(String text) {
      assertThat(ipv6.find(text)).isEmpty();
    }
  }

  @Test
  void everyBuiltInDetectorIgnoresEmptyText() {
    for (PiiDetector d : PiiDetector.defaults()) {
      assertThat(d.find("")).isEmpty();
    }
  }

  @Test
  void theDefaultsRunTheMostSpecificDetectorsFirst() {
    assertThat(PiiDetector.defaults()).extracting(PiiDetector::kind)
        .containsExactly("email", "iban", "card", "ipv6", "ipv4", "phone");
  }
}
