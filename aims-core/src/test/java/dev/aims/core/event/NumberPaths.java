package dev.aims.core.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A double's canonical text by each of the three ways AIMS writes it: {@link CanonicalJson#numberV2},
 * the tree path ({@link CanonicalJson#write} of a {@link DoubleNode}) and the one pass (Jackson
 * writing the value into a {@link CanonicalGenerator}). Not thread-safe: one per test.
 */
final class NumberPaths {
  private final ObjectMapper mapper = EventEncoder.newMapper();
  private final CanonicalWriter writer = new CanonicalWriter();

  /** What RFC 8785 gives for a double whose ECMAScript {@code String(x)} is {@code ecmaScript}: NaN and infinities as strings. */
  static String canonicalOf(double d, String ecmaScript) {
    return Double.isFinite(d) ? ecmaScript : '"' + ecmaScript + '"';
  }

  String tree(double d) {
    return CanonicalJson.write(DoubleNode.valueOf(d));
  }

  /** {@code value} written by Jackson straight into the one-pass writer. */
  String onePass(Object value) {
    writer.reset(false);
    try {
      mapper.writeValue(writer.generator(mapper), value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new String(writer.buf, 0, writer.len, StandardCharsets.UTF_8);
  }

  /** Empty if all three ways write {@code expected} for {@code d}, else what each wrote. */
  String disagreement(double d, String expected) {
    String v2 = CanonicalJson.numberV2(d);
    String tree = tree(d);
    String onePass = onePass(d);
    if (v2.equals(expected) && tree.equals(expected) && onePass.equals(expected)) {
      return "";
    }
    return String.format("%016x expected %s, numberV2 %s, tree %s, one pass %s",
        Double.doubleToRawLongBits(d), expected, v2, tree, onePass);
  }
}
