package dev.aims.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The subset of JSON Schema that tool definitions use and AIMS checks: a top-level object,
 * {@code required}, the {@code type} of each declared property and {@code additionalProperties:
 * false}. Other keywords are accepted and not checked.
 */
final class ArgumentsSchema {
  private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array", "null");

  static void requireSupported(String tool, JsonNode schema) {
    if (!schema.isObject()) {
      throw new IllegalArgumentException("input schema of tool '" + tool + "' must be a JSON object");
    }
    JsonNode props = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode type = p.getValue().path("type");
      if (type.isTextual() && !TYPES.contains(type.textValue())) {
        throw new IllegalArgumentException("input schema of tool '" + tool + "': property '" + p.getKey()
            + "' has unknown type '" + type.textValue() + "'");
      }
    }
  }

  /** Null when the arguments match; otherwise what is wrong, naming the argument. */
  static @Nullable String mismatch(JsonNode schema, JsonNode args) {
    if (!args.isObject()) {
      return "arguments must be a JSON object, were " + args.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
    for (JsonNode r : schema.path("required")) {
      if (!args.has(r.asText()) || args.get(r.asText()).isNull()) {
        return "required argument '" + r.asText() + "' is missing";
      }
    }
    JsonNode props = schema.path("properties");
    boolean closed = schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").booleanValue();
    for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      JsonNode p = props.get(a.getKey());
      if (p == null) {
        if (closed) {
          return "argument '" + a.getKey() + "' is not in the tool's input schema";
        }
        continue;
      }
      JsonNode type = p.path("type");
      if (type.isTextual() && !a.getValue().isNull() && !matches(type.textValue(), a.getValue())) {
        return "argument '" + a.getKey() + "' must be of type " + type.textValue() + ", was "
            + a.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  private static boolean matches(String type, JsonNode v) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "number" -> v.isNumber();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      default -> true;
    };
  }

  private ArgumentsSchema() {}
}
