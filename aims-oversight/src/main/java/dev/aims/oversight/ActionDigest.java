package dev.aims.oversight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The digest an approval is bound to: hex SHA-256 of the canonical JSON (RFC 8785 style, as the
 * decision log uses) of {@code {"action": <parameters>, "decision_id": ..., "system": ...,
 * "use_case": ...}}. The decision id is inside, so an approval of one request never matches the
 * action of another; the parameters are inside, so an action changed after approval does not match.
 *
 * <p>The parameters are the action as it will run, not redacted (a redacted value could not tell
 * two actions apart). The digest is one-way, but low-entropy parameters can be guessed from it:
 * treat the approval store like the decision log.
 */
public final class ActionDigest {
  private static final ObjectMapper MAPPER = EventEncoder.newMapper();

  private ActionDigest() {}

  /** The digest of an action given as an application object (serialised like decision log payloads). */
  public static String of(UUID decisionId, String system, String useCase, Object parameters) {
    return ofJson(decisionId, system, useCase, toJson(parameters));
  }

  /** The digest of an action given as JSON. */
  public static String ofJson(UUID decisionId, String system, String useCase, JsonNode parameters) {
    Objects.requireNonNull(decisionId, "decisionId");
    ObjectNode bound = JsonNodeFactory.instance.objectNode();
    bound.set("action", Objects.requireNonNull(parameters, "parameters"));
    bound.put("decision_id", decisionId.toString());
    bound.put("system", Objects.requireNonNull(system, "system"));
    bound.put("use_case", Objects.requireNonNull(useCase, "useCase"));
    return EventEncoder.sha256Hex(CanonicalJson.write(bound).getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode toJson(Object parameters) {
    Objects.requireNonNull(parameters, "parameters");
    try {
      return MAPPER.valueToTree(parameters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the action parameters (" + parameters.getClass().getName()
          + ") cannot be written as JSON, so no approval can be bound to them: " + e.getMessage(), e);
    }
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
