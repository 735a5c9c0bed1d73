package dev.aims.spring.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.ModelRef;
import dev.aims.core.policy.Reason;
import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ReviewAttempt;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shape of approval requests on the HTTP API, written with AIMS's own Jackson so the shape
 * does not depend on how the application configured Spring's message converters. Instants are RFC
 * 3339 strings; the proposed (and overridden) output is embedded as JSON, not as a quoted string.
 */
final class ApprovalJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApprovalJson() {}

  static ObjectNode request(ApprovalRequest r) {
    ObjectNode n = NODES.objectNode();
    n.put("id", r.id().toString());
    n.put("system", r.system());
    n.put("useCase", r.useCase());
    n.set("model", model(r.model()));
    n.put("status", r.status().name());
    ArrayNode reasons = n.putArray("reasons");
    for (Reason reason : r.reasons()) {
      ObjectNode rn = reasons.addObject();
      rn.put("boundary", reason.boundary());
      rn.put("version", reason.version());
      rn.put("verdict", reason.verdict().name());
      rn.put("message", reason.message());
    }
    String input = r.input();
    n.set("input", input == null ? NODES.nullNode() : embedded(input));
    n.set("proposedOutput", embedded(r.proposedOutput()));
    n.put("requester", r.requester());
    n.put("requiredRole", r.requiredRole());
    n.put("approvalsRequired", r.approvalsRequired());
    ArrayNode approvedBy = n.putArray("approvedBy");
    r.approvedBy().forEach(approvedBy::add);
    n.put("deadline", instant(r.deadline()));
    n.put("requestedAt", instant(r.requestedAt()));
    n.set("decidedBy", actor(r.decidedBy()));
    n.put("rationale", r.rationale());
    n.put("decidedAt", instant(r.decidedAt()));
    n.put("tier", r.tier());
    n.put("policyVersion", r.policyVersion());
    n.put("actionDigest", r.actionDigest());
    String overridden = r.overriddenOutput();
    n.set("overriddenOutput", overridden == null ? NODES.nullNode() : embedded(overridden));
    return n;
  }

  /** One request with the exact action parameters its approval is bound to ({@code action}). */
  /**
   * One request with what a reviewer needs to decide it: the action parameters its approval is bound
   * to and every accepted vote so far (reviewer, role, tier, action, time, rationale); refused
   * attempts are only counted here, their details are in the decision log.
   */
  static ObjectNode request(ApprovalRequest r, @org.jspecify.annotations.Nullable String actionJson,
      List<ReviewAttempt> attempts) {
    ObjectNode n = request(r);
    n.set("action", actionJson == null ? NODES.nullNode() : embedded(actionJson));
    ArrayNode votes = n.putArray("votes");
    int refused = 0;
    for (ReviewAttempt a : attempts) {
      if (!a.accepted()) {
        refused++;
        continue;
      }
      ObjectNode v = votes.addObject();
      v.put("reviewer", a.reviewer());
      v.put("role", a.role());
      v.put("tier", a.tier());
      v.put("action", a.action().name());
      v.put("at", instant(a.at()));
      v.put("rationale", a.rationale());
    }
    n.put("refusedAttempts", refused);
    return n;
  }

  static ObjectNode page(ApprovalPage page) {
    ObjectNode n = NODES.objectNode();
    ArrayNode items = n.putArray("items");
    for (ApprovalRequest r : page.items()) {
      items.add(request(r));
    }
    n.put("next", page.next() == null ? null : page.next().toString());
    return n;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      // a tree of plain nodes always serialises; this would be a bug in this class
      throw new IllegalStateException("cannot write JSON response: " + e.getMessage(), e);
    }
  }

  /** Canonical JSON the oversight module produced; parsed back so it is embedded as a value. */
  static JsonNode embedded(String canonicalJson) {
    try {
      return MAPPER.readTree(canonicalJson);
    } catch (JsonProcessingException e) {
      // the store holds canonical JSON; if it ever does not, show the text rather than fail the listing
      return NODES.textNode(canonicalJson);
    }
  }

  private static JsonNode model(@Nullable ModelRef model) {
    if (model == null) {
      return NODES.nullNode();
    }
    ObjectNode m = NODES.objectNode();
    m.put("provider", model.provider());
    m.put("name", model.name());
    m.put("version", model.version());
    return m;
  }

  private static JsonNode actor(@Nullable Actor actor) {
    if (actor == null) {
      return NODES.nullNode();
    }
    ObjectNode a = NODES.objectNode();
    a.put("id", actor.id());
    a.put("role", actor.role());
    return a;
  }

  static @Nullable String instant(@Nullable Instant at) {
    return at == null ? null : at.toString();
  }
}
