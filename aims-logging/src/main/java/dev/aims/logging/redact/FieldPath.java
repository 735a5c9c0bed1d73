package dev.aims.logging.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A dotted path into an event body, e.g. {@code input.applicant.email}, with the same meaning as
 * {@link dev.aims.core.Redactor#maskFields}: arrays on the way are walked element by element,
 * {@code *} matches any field name, and an absent path matches nothing.
 */
final class FieldPath {
  private final String text;
  private final String[] segments;

  private FieldPath(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  static FieldPath parse(String path, String name) {
    Objects.requireNonNull(path, () -> name + " must not be null");
    if (path.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    String[] segments = path.split("\\.", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(name + " '" + path + "' has an empty segment");
      }
    }
    return new FieldPath(path, segments);
  }

  /** Calls {@code action} with (object, field name) for every field the path reaches. */
  void forEach(ObjectNode root, BiConsumer<ObjectNode, String> action) {
    visit(root, 0, action);
  }

  private void visit(JsonNode node, int depth, BiConsumer<ObjectNode, String> action) {
    if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        visit(element, depth, action);
      }
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    String segment = segments[depth];
    List<String> names = new ArrayList<>(1);
    if (segment.equals("*")) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        names.add(e.getKey());
      }
    } else if (object.has(segment)) {
      names.add(segment);
    }
    boolean last = depth == segments.length - 1;
    for (String name : names) {
      if (last) {
        action.accept(object, name);
      } else {
        visit(object.get(name), depth + 1, action);
      }
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
