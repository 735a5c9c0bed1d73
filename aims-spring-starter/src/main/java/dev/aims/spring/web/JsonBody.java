package dev.aims.spring.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The JSON object body of an API POST, read strictly: the content type must be
 * {@code application/json} (which a cross-site HTML form cannot send, see the security notes), the
 * body must be one JSON object no bigger than {@value #MAX_BYTES} bytes with no duplicate keys, and
 * only the fields the endpoint knows are accepted, so that a typo or an attempt to name the
 * reviewer in the body is refused instead of ignored.
 */
final class JsonBody {
  static final int MAX_BYTES = 1 << 20;
  private static final ObjectReader READER = ApprovalJson.MAPPER.reader()
      .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  static JsonBody read(HttpServletRequest request, Set<String> allowedFields) throws IOException {
    String contentType = request.getContentType();
    if (!isJson(contentType)) {
      throw new InvalidInputException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
          "Unsupported media type", "the body must be a JSON object sent with Content-Type: application/json, but "
              + (contentType == null ? "no Content-Type was sent" : "Content-Type was '" + contentType + "'"));
    }
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Body too large",
          "the body is larger than " + MAX_BYTES + " bytes");
    }
    if (isBlank(bytes)) {
      throw InvalidInputException.badRequest("missing-body", "Missing body",
          "the body is empty; send a JSON object with the fields " + allowedFields);
    }
    JsonNode tree;
    try {
      tree = READER.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw InvalidInputException.badRequest("malformed-json", "Malformed JSON",
          "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw InvalidInputException.badRequest("malformed-json", "Malformed JSON",
          "the body must be a JSON object with the fields " + allowedFields + ", but was a JSON "
              + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowedFields.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw InvalidInputException.badRequest("unknown-field", "Unknown field", "unknown field(s) " + unknown
          + " in the body; this endpoint accepts " + allowedFields
          + " (the reviewer is always the authenticated user, never a field of the body)");
    }
    return new JsonBody(object);
  }

  /** The field as text; null when absent or JSON null; 400 when it is not a string. */
  @Nullable String text(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw InvalidInputException.badRequest("invalid-field", "Invalid field",
          "field '" + field + "' must be a JSON string, but was a JSON "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return v.textValue();
  }

  /** The field as text, 400 naming it when absent or blank. */
  String requiredText(String field, String slug, String title, String what) {
    String v = text(field);
    if (v == null || v.isBlank()) {
      throw InvalidInputException.badRequest(slug, title, "field '" + field + "' is required: " + what);
    }
    return v;
  }

  /** Any JSON value; null when absent. */
  @Nullable JsonNode value(String field) {
    return node.get(field);
  }

  static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return "application".equalsIgnoreCase(type.getType()) && "json".equalsIgnoreCase(type.getSubtype());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
