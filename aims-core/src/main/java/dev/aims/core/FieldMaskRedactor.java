package dev.aims.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link Redactor#maskFields}: replaces the value at each path with {@value #MASK}. */
final class FieldMaskRedactor implements Redactor {
  static final String MASK = "[masked]";
  private static final TextNode MASK_NODE = TextNode.valueOf(MASK);

  private final List<String[]> paths;

  FieldMaskRedactor(List<String> paths) {
    this.paths = new ArrayList<>(paths.size());
    for (String p : paths) {
      Checks.requireText(p, "redaction path");
      String[] segments = p.split("\\.", -1);
      for (String s : segments) {
        Checks.requireArgument(!s.isEmpty(), "redaction path '%s' has an empty segment", p);
      }
      this.paths.add(segments);
    }
  }

  @Override
  public void redact(ObjectNode event) {
    for (String[] path : paths) {
      mask(event, path, 0);
    }
  }

  private static void mask(JsonNode node, String[] path, int depth) {
    if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        mask(element, path, depth);
      }
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    String segment = path[depth];
    boolean last = depth == path.length - 1;
    List<String> names = new ArrayList<>();
    if (segment.equals("*")) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        names.add(e.getKey());
      }
    } else if (object.has(segment)) {
      names.add(segment);
    }
    for (String name : names) {
      if (last) {
        object.set(name, MASK_NODE);
      } else {
        mask(object.get(name), path, depth + 1);
      }
    }
  }
}
