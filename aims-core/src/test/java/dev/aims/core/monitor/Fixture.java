package dev.aims.core.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the SciPy fixtures written by src/test/python/make_fixtures.py. */
final class Fixture {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixture() {}

  static JsonNode read(String name) {
    try (InputStream in = Fixture.class.getResourceAsStream("/monitor/" + name)) {
      if (in == null) {
        throw new IllegalStateException("fixture /monitor/" + name + " is missing; run make_fixtures.py");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> cases(String name) {
    List<JsonNode> cases = new ArrayList<>();
    read(name).get("cases").forEach(cases::add);
    return cases;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }
}
