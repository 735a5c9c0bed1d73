package dev.aims.spring.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.AimsException;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLogException;
import dev.aims.core.UnknownSystemException;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.oversight.ApprovalStoreException;
import dev.aims.oversight.ReviewResult;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The approvals API and the stop switch over HTTP (docs/architecture.md, "HTTP"). Every reviewer action is
 * taken as the authenticated principal, through the {@link ApprovalService}; nothing in a body can
 * name the reviewer. Errors are problem details; bad input is always a 4xx.
 */
@RestController
final class ApprovalsController {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalsController.class);
  private static final Set<String> RATIONALE_ONLY = Set.of("rationale");
  private static final Set<String> APPROVE_FIELDS = Set.of("rationale", "actionDigest");
  private static final Set<String> OVERRIDE_FIELDS = Set.of("rationale", "output");
  private static final Set<String> REASON_ONLY = Set.of("reason");

  private final ApprovalService approvals;
  private final @Nullable Aims aims;
  private final ReviewerContext reviewers;
  private final ReviewerRoles roles;

  ApprovalsController(ApprovalService approvals, @Nullable Aims aims, ReviewerContext reviewers, ReviewerRoles roles) {
    this.approvals = approvals;
    this.aims = aims;
    this.reviewers = reviewers;
    this.roles = roles;
  }

  // ---- reading ----------------------------------------------------------------------------------

  @GetMapping("/aims/approvals")
  ResponseEntity<byte[]> list(@RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable String system, @RequestParam(required = false) @Nullable String after,
      @RequestParam(required = false) @Nullable String limit) {
    requireReader();
    ApprovalQuery q = new ApprovalQuery(status(status), system(system), after == null ? null : Ids.parse(after, "after"),
        limit(limit));
    return json(ApprovalJson.page(approvals.list(q)));
  }

  @GetMapping("/aims/approvals/{id}")
  ResponseEntity<byte[]> get(@PathVariable String id) {
    requireReader();
    UUID requestId = Ids.parse(id, "the approval request id");
    return approvals.find(requestId)
        .map(r -> json(ApprovalJson.request(r, approvals.action(requestId).orElse(null), approvals.attempts(requestId))))
        .orElseThrow(() -> new ApprovalRefusedException(Refusal.UNKNOWN_REQUEST, "no approval request " + requestId
            + " (it never existed, or it was resolved and is no longer retained)", requestId));
  }

  // ---- reviewer actions -------------------------------------------------------------------------

  @PostMapping("/aims/approvals/{id}/approve")
  ResponseEntity<byte[]> approve(@PathVariable String id, HttpServletRequest request) throws IOException {
    UUID requestId = Ids.parse(id, "the approval request id");
    JsonBody body = JsonBody.read(request, APPROVE_FIELDS);
    String rationale = rationale(body);
    String digest = body.text("actionDigest");
    ReviewResult result = digest == null ? approvals.approve(requestId, rationale)
        : approvals.approve(requestId, rationale, digest);
    return result(result);
  }

  @PostMapping("/aims/approvals/{id}/reject")
  ResponseEntity<byte[]> reject(@PathVariable String id, HttpServletRequest request) throws IOException {
    UUID requestId = Ids.parse(id, "the approval request id");
    JsonBody body = JsonBody.read(request, RATIONALE_ONLY);
    return result(approvals.reject(requestId, rationale(body)));
  }

  @PostMapping("/aims/approvals/{id}/override")
  ResponseEntity<byte[]> override(@PathVariable String id, HttpServletRequest request) throws IOException {
    UUID requestId = Ids.parse(id, "the approval request id");
    JsonBody body = JsonBody.read(request, OVERRIDE_FIELDS);
    String rationale = rationale(body);
    JsonNode output = body.value("output");
    if (output == null || output.isNull()) {
      throw InvalidInputException.badRequest("output-required", "Output required",
          "field 'output' is required: the JSON value that replaces the model's output");
    }
    return result(approvals.override(requestId, rationale, output));
  }

  @PostMapping("/aims/approvals/{id}/escalate")
  ResponseEntity<byte[]> escalate(@PathVariable String id, HttpServletRequest request) throws IOException {
    UUID requestId = Ids.parse(id, "the approval request id");
    JsonBody body = JsonBody.read(request, RATIONALE_ONLY);
    return result(approvals.escalate(requestId, rationale(body)));
  }

  // ---- stop switch ------------------------------------------------------------------------------

  @PostMapping("/aims/systems/{id}/stop")
  ResponseEntity<byte[]> stop(@PathVariable String id, HttpServletRequest request) throws IOException {
    String reason = JsonBody.read(request, REASON_ONLY).requiredText("reason", "reason-required", "Reason required",
        "why the system is being stopped, for the decision log");
    checkSystemForAdmin(id);
    int cancelled = approvals.stop(id, reason);
    ObjectNode n = ApprovalJson.MAPPER.createObjectNode();
    n.put("system", id);
    n.put("stopped", true);
    n.put("cancelledRequests", cancelled);
    return json(n);
  }

  @PostMapping("/aims/systems/{id}/resume")
  ResponseEntity<byte[]> resume(@PathVariable String id, HttpServletRequest request) throws IOException {
    String reason = JsonBody.read(request, REASON_ONLY).requiredText("reason", "reason-required", "Reason required",
        "why the system may run again, for the decision log");
    checkSystemForAdmin(id);
    approvals.resume(id, reason);
    ObjectNode n = ApprovalJson.MAPPER.createObjectNode();
    n.put("system", id);
    n.put("stopped", aims != null && aims.isStopped(id));
    return json(n);
  }

  // ---- errors -----------------------------------------------------------------------------------

  @ExceptionHandler(ApprovalRefusedException.class)
  ResponseEntity<byte[]> refused(ApprovalRefusedException e, HttpServletRequest request) {
    return Problems.response(Problems.refused(e.refusal(), e.getMessage(), e.decisionId(), request.getRequestURI()));
  }

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<byte[]> invalid(InvalidInputException e, HttpServletRequest request) {
    return Problems.response(Problems.of(e.status(), e.slug(), e.title(), e.getMessage(), request.getRequestURI()));
  }

  @ExceptionHandler(UnknownSystemException.class)
  ResponseEntity<byte[]> unknownSystem(UnknownSystemException e, HttpServletRequest request) {
    return Problems.response(Problems.of(HttpStatus.NOT_FOUND, "unknown-system", "Unknown AI system", e.getMessage(),
        request.getRequestURI()));
  }

  /** The approval store or the decision log cannot be reached: the action did not happen; try again. */
  @ExceptionHandler({ApprovalStoreException.class, DecisionLogException.class})
  ResponseEntity<byte[]> unavailable(AimsException e, HttpServletRequest request) {
    LOG.warn("AIMS approvals API: {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString());
    return Problems.response(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "governance-unavailable",
        "Governance storage unavailable", e.getMessage(), request.getRequestURI()));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Reading approval requests needs the same roles as acting on them (outputs can be sensitive). */
  private void requireReader() {
    Reviewer who = reviewers.current();
    if (who == null) {
      throw new ApprovalRefusedException(Refusal.NOT_AUTHENTICATED,
          "reading approval requests needs an authenticated reviewer", null);
    }
    if (!roles.canReview(who)) {
      throw new ApprovalRefusedException(Refusal.MISSING_ROLE, "'" + who.id() + "' holds none of the roles "
          + roles.reviewers() + " that may read approval requests", null);
    }
  }

  /** An admin stopping an unknown system gets a 404 before anything is written; others get the service's refusal. */
  private void checkSystemForAdmin(String system) {
    if (aims != null && roles.isAdmin(reviewers.current()) && aims.register().find(system).isEmpty()) {
      throw unknownSystem(system);
    }
  }

  private @Nullable String system(@Nullable String system) {
    if (system == null || system.isBlank()) {
      return null;
    }
    if (aims != null && aims.register().find(system).isEmpty()) {
      throw unknownSystem(system);
    }
    return system;
  }

  private UnknownSystemException unknownSystem(String system) {
    Aims a = java.util.Objects.requireNonNull(aims);
    return new UnknownSystemException(system, a.register().systems().stream().map(s -> s.id()).toList());
  }

  private static @Nullable ApprovalStatus status(@Nullable String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return ApprovalStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.badRequest("invalid-status", "Invalid status", "status must be one of "
          + Arrays.toString(ApprovalStatus.values()) + ", but was '" + Ids.shorten(status) + "'");
    }
  }

  private static int limit(@Nullable String limit) {
    if (limit == null || limit.isBlank()) {
      return ApprovalQuery.DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(limit.trim());
      if (n >= 1 && n <= ApprovalQuery.MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidInputException.badRequest("invalid-limit", "Invalid limit",
        "limit must be a whole number from 1 to " + ApprovalQuery.MAX_LIMIT + ", but was '" + Ids.shorten(limit) + "'");
  }

  /**
   * A missing rationale is passed on as empty text: the approval service refuses it with
   * RATIONALE_REQUIRED (naming the minimum length) and records the refused attempt.
   */
  private static String rationale(JsonBody body) {
    String r = body.text("rationale");
    return r == null ? "" : r;
  }

  private static ResponseEntity<byte[]> result(ReviewResult result) {
    ObjectNode n = ApprovalJson.MAPPER.createObjectNode();
    n.put("effect", result.effect().name());
    n.set("request", ApprovalJson.request(result.request()));
    return json(n);
  }

  private static ResponseEntity<byte[]> json(JsonNode node) {
    // approval requests carry (redacted) model outputs: never cached by browsers or proxies
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(ApprovalJson.bytes(node));
  }
}
