package dev.aims.core.action;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.policy.Ruling;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A proposed tool call as AIMS records it: the input of the tool call's decision (use case
 * {@code tool:<name>}) and what the reviewer is shown. The arguments are the redacted ones; the
 * digest is over them.
 *
 * @param arguments the redacted arguments, or null when they were not valid JSON
 * @param argumentsDigest {@code sha256:} + hex SHA-256 of the canonical JSON of the redacted arguments
 *     (for arguments that are not JSON: of the text as given)
 * @param callNumber the how-many-th call of this tool in its conversation
 */
public record ToolProposal(
    String tool,
    String description,
    @Nullable JsonNode arguments,
    String argumentsDigest,
    @Nullable UUID parentDecisionId,
    @Nullable String callId,
    int callNumber,
    @JsonIgnore Ruling ruling) {

  @Override
  public String toString() {
    return "ToolProposal[" + tool + " " + (arguments == null ? "<invalid arguments>" : arguments) + " " + argumentsDigest + "]";
  }
}
