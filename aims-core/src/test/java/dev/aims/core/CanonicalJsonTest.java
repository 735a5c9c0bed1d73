package dev.aims.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.event.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  final ObjectMapper mapper = new ObjectMapper();

  String canonical(String json) throws Exception {
    return CanonicalJson.write(mapper.readTree(json));
  }

  @Test
  void keysAreSortedAndWhitespaceRemovedAtEveryDepth() throws Exception {
    assertThat(canonical("{ \"b\": [ {\"z\":1, \"a\":2} ], \"a\" : true, \"\u00e9\": null }"))
        .isEqualTo("{\"a\":true,\"b\":[{\"a\":2,\"z\":1}],\"\u00e9\":null}");
  }

  /** Values from RFC 8785 and ECMAScript's Number::toString. */
  @ParameterizedTest
  @CsvSource({
    "1.0, 1", "-0.0, 0", "1E21, 1e+21", "1E20, 100000000000000000000", "0.000001, 0.000001",
    "1E-7, 1e-7", "123.456, 123.456", "4.5E-10, 4.5e-10", "-1.5, -1.5", "333333333.33333329, 333333333.3333333",
    "1e23, 1e+23", "5E-324, 5e-324"
  })
  void numbersAreWrittenInEcmaScriptForm(String in, String out) throws Exception {
    assertThat(canonical("[" + in + "]")).isEqualTo("[" + out + "]");
  }

  @Test
  void stringsUseShortEscapesAndLowerCaseHex() throws Exception {
    assertThat(CanonicalJson.write(mapper.getNodeFactory().textNode("a\"\\\b\f\n\r\t\u0001\u001f/\u2028é")))
        .isEqualTo("\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/\u2028é\"");
  }

  @Test
  void nanAndInfinitiesAreDeterministicStrings() {
    var array = mapper.createArrayNode().add(Double.NaN).add(Double.POSITIVE_INFINITY).add(Double.NEGATIVE_INFINITY);
    assertThat(CanonicalJson.write(array)).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\"]");
  }

  @Test
  void aLoneSurrogateIsEscapedSoTheBytesAreValidUtf8AndStable() throws Exception {
    String written = CanonicalJson.write(mapper.getNodeFactory().textNode("x\ud800y"));
    assertThat(written).isEqualTo("\"x\\ud800y\"");
    JsonNode reread = mapper.readTree(written);
    assertThat(CanonicalJson.write(reread)).isEqualTo(written);
  }

  @Test
  void theFormIsStableAcrossReserialisation() throws Exception {
    String json = "{\"n\":[1e300,0.1,12,-7.25e-8],\"s\":\"line\\nnext\",\"o\":{\"k\":[true,false,null]}}";
    String once = canonical(json);
    assertThat(canonical(once)).isEqualTo(once);
  }
}
