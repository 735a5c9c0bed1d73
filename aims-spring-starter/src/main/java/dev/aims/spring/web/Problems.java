package dev.aims.spring.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * RFC 9457 problem details for the AIMS HTTP API. Every problem has a stable {@code type}
 * ({@code urn:aims:problem:<slug>}, an identifier rather than a link), a short {@code title}, the
 * HTTP {@code status}, a {@code detail} that says what is wrong and what to do, and the request
 * path as {@code instance}. Refusals by the approval service also carry {@code refusal} (the enum
 * name) and {@code requestId}.
 *
 * <p>Written with AIMS's own Jackson so that the security filters (which run before Spring MVC's
 * message converters) and the controllers produce exactly the same JSON.
 */
final class Problems {
  /** {@code application/problem+json}. */
  static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
  static final String TYPE_PREFIX = "urn:aims:problem:";

  private Problems() {}

  /** The HTTP status a refusal of the approval service maps to. */
  static HttpStatus status(Refusal refusal) {
    return switch (refusal) {
      case NOT_AUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case MISSING_ROLE, SELF_REVIEW -> HttpStatus.FORBIDDEN;
      case UNKNOWN_REQUEST -> HttpStatus.NOT_FOUND;
      case RATIONALE_REQUIRED, RATIONALE_TOO_LONG -> HttpStatus.BAD_REQUEST;
      case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
      case ALREADY_DECIDED, DEADLINE_PASSED, DIGEST_MISMATCH, OVERRIDE_NOT_ALLOWED, NO_HIGHER_TIER, DUPLICATE,
          NOT_APPROVED, ALREADY_CONSUMED, POLICY_CHANGED, ALREADY_STOPPED, NOT_STOPPED -> HttpStatus.CONFLICT;
    };
  }

  private static final Map<Refusal, String> TITLES = Map.ofEntries(
      Map.entry(Refusal.NOT_AUTHENTICATED, "Not authenticated"),
      Map.entry(Refusal.UNKNOWN_REQUEST, "Unknown approval request"),
      Map.entry(Refusal.ALREADY_DECIDED, "Approval request already decided"),
      Map.entry(Refusal.DEADLINE_PASSED, "Deadline passed"),
      Map.entry(Refusal.SELF_REVIEW, "Requester cannot review own request"),
      Map.entry(Refusal.MISSING_ROLE, "Missing role"),
      Map.entry(Refusal.RATIONALE_REQUIRED, "Rationale required"),
      Map.entry(Refusal.RATIONALE_TOO_LONG, "Rationale too long"),
      Map.entry(Refusal.RATE_LIMITED, "Too many refused attempts"),
      Map.entry(Refusal.DIGEST_MISMATCH, "Action digest mismatch"),
      Map.entry(Refusal.OVERRIDE_NOT_ALLOWED, "Override not allowed"),
      Map.entry(Refusal.NO_HIGHER_TIER, "No higher tier"),
      Map.entry(Refusal.DUPLICATE, "Duplicate review"),
      Map.entry(Refusal.NOT_APPROVED, "Not approved"),
      Map.entry(Refusal.ALREADY_CONSUMED, "Approval already used"),
      Map.entry(Refusal.POLICY_CHANGED, "Policy changed"),
      Map.entry(Refusal.ALREADY_STOPPED, "System already stopped"),
      Map.entry(Refusal.NOT_STOPPED, "System not stopped"));

  static String title(Refusal refusal) {
    return TITLES.getOrDefault(refusal, refusal.name());
  }

  /** {@code not-authenticated} for {@code NOT_AUTHENTICATED}. */
  static String slug(Refusal refusal) {
    return slug(refusal.name());
  }

  /** {@code system-stopped} for {@code SYSTEM_STOPPED}. */
  static String slug(String enumName) {
    return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static ProblemDetail of(HttpStatus status, String slug, String title, String detail, @Nullable String path) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPE_PREFIX + slug));
    p.setTitle(title);
    if (path != null) {
      p.setInstance(URI.create(path));
    }
    return p;
  }

  static ProblemDetail refused(Refusal refusal, String detail, @Nullable Object requestId, @Nullable String path) {
    ProblemDetail p = of(status(refusal), slug(refusal), title(refusal), detail, path);
    p.setProperty("refusal", refusal.name());
    if (requestId != null) {
      p.setProperty("requestId", requestId.toString());
    }
    return p;
  }

  static ObjectNode json(ProblemDetail p) {
    ObjectNode n = ApprovalJson.MAPPER.createObjectNode();
    n.put("type", p.getType().toString());
    n.put("title", p.getTitle());
    n.put("status", p.getStatus());
    n.put("detail", p.getDetail());
    if (p.getInstance() != null) {
      n.put("instance", p.getInstance().toString());
    }
    Map<String, @Nullable Object> properties = p.getProperties();
    if (properties != null) {
      properties.forEach((k, v) -> n.set(k, ApprovalJson.MAPPER.valueToTree(v)));
    }
    return n;
  }

  static ResponseEntity<byte[]> response(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(PROBLEM_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(ApprovalJson.bytes(json(p)));
  }

  /** Writes the problem directly to a servlet response (for security filters). */
  static void write(jakarta.servlet.http.HttpServletResponse response, ProblemDetail p) throws IOException {
    byte[] body = ApprovalJson.bytes(json(p));
    response.setStatus(p.getStatus());
    response.setContentType(PROBLEM_JSON.toString());
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
