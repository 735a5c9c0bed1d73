package dev.aims.spring.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.DecisionLogException;
import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.oversight.ApprovalStoreException;
import dev.aims.oversight.ReviewResult;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import dev.aims.spring.web.ConsolePage.Flash;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reviewer console: {@code GET /aims/console} lists PENDING requests (a page at a time) and the
 * most recently decided ones; each request has a form posting to
 * {@code /aims/console/requests/{id}} with {@code action} = approve | reject | override | escalate,
 * a required {@code rationale} and, for override, the replacement {@code output} as JSON. Every post
 * is answered with a 303 redirect back to the console and a one-time status message
 * (post/redirect/get). {@code GET /aims/login} is the sign-in page of the AIMS security chain.
 */
@RestController
final class ConsoleController {
  static final String FLASH = ConsoleController.class.getName() + ".flash";
  /** Pending requests per console page. */
  static final int PAGE = 50;
  /** Decided requests shown. */
  static final int RECENT = 20;
  /** At most this many decided requests are read per console view to find the most recent ones. */
  static final int RECENT_SCAN = 5_000;

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final ApprovalService approvals;
  private final ReviewerContext reviewers;
  private final ReviewerRoles roles;
  private final int minRationale;
  private final Clock clock;

  ConsoleController(ApprovalService approvals, ReviewerContext reviewers, ReviewerRoles roles, int minRationale,
      Clock clock) {
    this.approvals = approvals;
    this.reviewers = reviewers;
    this.roles = roles;
    this.minRationale = minRationale;
    this.clock = clock;
  }

  @GetMapping("/aims/console")
  ResponseEntity<byte[]> console(@RequestParam(required = false) @Nullable String after, HttpServletRequest request) {
    Reviewer who = reviewers.current();
    ResponseEntity<byte[]> refused = refuseUnlessReviewer(who);
    if (refused != null) {
      return refused;
    }
    String nonce = nonce();
    UUID cursor = null;
    Flash flash = takeFlash(request);
    if (after != null && !after.isBlank()) {
      try {
        cursor = Ids.parse(after, "the page cursor 'after'");
      } catch (InvalidInputException e) {
        flash = new Flash(false, e.getMessage());
      }
    }
    ApprovalPage page = approvals.list(ApprovalQuery.pending().after(cursor).limit(PAGE));
    String html = ConsolePage.console(request.getContextPath(), java.util.Objects.requireNonNull(who),
        CsrfField.hidden(request), flash,
        page.items(), page.next(), cursor == null, recentlyDecided(), minRationale, clock.instant(), nonce,
        requestId -> approvals.action(requestId).orElse(null), approvals::attempts);
    return html(HttpStatus.OK, html, nonce);
  }

  @PostMapping("/aims/console/requests/{id}")
  ResponseEntity<byte[]> act(@PathVariable String id, HttpServletRequest request) {
    Flash flash;
    try {
      UUID requestId = Ids.parse(id, "the approval request id");
      flash = act(requestId, request);
    } catch (InvalidInputException e) {
      flash = new Flash(false, e.getMessage());
    } catch (ApprovalRefusedException e) {
      flash = new Flash(false, Problems.title(e.refusal()) + ": " + e.getMessage());
    } catch (ApprovalStoreException | DecisionLogException e) {
      flash = new Flash(false, "Your action could not be recorded, so it did not happen; try again. ("
          + e.getMessage() + ")");
    }
    request.getSession(true).setAttribute(FLASH, flash);
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .location(URI.create(request.getContextPath() + "/aims/console"))
        .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
  }

  @GetMapping("/aims/login")
  ResponseEntity<byte[]> login(HttpServletRequest request) {
    String nonce = nonce();
    return html(HttpStatus.OK, ConsolePage.login(request.getContextPath(), CsrfField.hidden(request),
        request.getParameter("error") != null, request.getParameter("logout") != null, nonce), nonce);
  }

  private Flash act(UUID id, HttpServletRequest request) {
    String action = request.getParameter("action");
    String rationale = request.getParameter("rationale");
    String why = rationale == null ? "" : rationale.trim();
    if (action == null) {
      throw InvalidInputException.badRequest("invalid-action", "Invalid action",
          "Choose Approve, Reject or Override (the form sent no action).");
    }
    ReviewResult result = switch (action.toLowerCase(Locale.ROOT)) {
      case "approve" -> {
        String digest = request.getParameter("actionDigest");
        yield digest == null || digest.isBlank() ? approvals.approve(id, why) : approvals.approve(id, why, digest);
      }
      case "reject" -> approvals.reject(id, why);
      case "escalate" -> approvals.escalate(id, why);
      case "override" -> approvals.override(id, why, overrideOutput(request.getParameter("output")));
      default -> throw InvalidInputException.badRequest("invalid-action", "Invalid action",
          "Unknown action '" + Ids.shorten(action) + "'; use approve, reject, override or escalate.");
    };
    return new Flash(true, describe(action.toLowerCase(Locale.ROOT), result));
  }

  private static JsonNode overrideOutput(@Nullable String output) {
    if (output == null || output.isBlank()) {
      throw InvalidInputException.badRequest("output-required", "Output required",
          "Override needs the replacement output: enter it as JSON in 'Replacement output'.");
    }
    try {
      return ApprovalJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(output);
    } catch (JsonProcessingException e) {
      throw InvalidInputException.badRequest("malformed-json", "Malformed JSON",
          "The replacement output is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String describe(String action, ReviewResult result) {
    ApprovalRequest r = result.request();
    return switch (result.effect()) {
      case DECIDED -> "Request " + r.id() + " " + switch (action) {
        case "reject" -> "rejected.";
        case "override" -> "approved with your replacement output.";
        default -> "approved.";
      };
      case COUNTED -> "Your approval of request " + r.id() + " was counted: " + r.approvedBy().size() + " of "
          + r.approvalsRequired() + " approvals.";
      case ESCALATED -> "Request " + r.id() + " was escalated; it now needs the role " + r.requiredRole() + ".";
      case DUPLICATE -> "You already did this for request " + r.id() + "; nothing changed.";
    };
  }

  /**
   * The most recently decided requests, newest decision first, among the {@link #RECENT_SCAN} newest
   * requests (a request is decided within its chain's deadlines of being made, so the latest
   * decisions are among the latest requests).
   */
  private List<ApprovalRequest> recentlyDecided() {
    Comparator<ApprovalRequest> byDecidedAt = Comparator.comparing(
        (ApprovalRequest r) -> r.decidedAt() == null ? Instant.MIN : r.decidedAt());
    PriorityQueue<ApprovalRequest> newest = new PriorityQueue<>(RECENT + 1, byDecidedAt);
    int read = 0;
    UUID cursor = null;
    do {
      ApprovalPage page = approvals.list(ApprovalQuery.all().newestFirst().after(cursor).limit(ApprovalQuery.MAX_LIMIT));
      for (ApprovalRequest r : page.items()) {
        if (r.status() == ApprovalStatus.PENDING) {
          continue;
        }
        newest.add(r);
        if (newest.size() > RECENT) {
          newest.poll();
        }
      }
      read += page.items().size();
      cursor = page.next();
    } while (cursor != null && read < RECENT_SCAN);
    List<ApprovalRequest> out = new ArrayList<>(newest);
    out.sort(byDecidedAt.reversed());
    return out;
  }

  private @Nullable ResponseEntity<byte[]> refuseUnlessReviewer(@Nullable Reviewer who) {
    String nonce = nonce();
    if (who == null) {
      return html(HttpStatus.UNAUTHORIZED, ConsolePage.message("Sign in needed",
          "The reviewer console needs an authenticated reviewer. Sign in and try again.", nonce), nonce);
    }
    if (!roles.canReview(who)) {
      return html(HttpStatus.FORBIDDEN, ConsolePage.message("Not a reviewer", "You are signed in as " + who.id()
          + ", but you hold none of the roles " + roles.reviewers() + " that may use the reviewer console.", nonce),
          nonce);
    }
    return null;
  }

  private static @Nullable Flash takeFlash(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    Object f = session.getAttribute(FLASH);
    session.removeAttribute(FLASH);
    return f instanceof Flash flash ? flash : null;
  }

  /**
   * The console's Content-Security-Policy: nothing loads but the page's own style and script, which
   * carry this response's nonce; forms post only to this server; no framing.
   */
  static String contentSecurityPolicy(String nonce) {
    return "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "'; img-src 'self';"
        + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  }

  /** 128 random bits, fresh for every response. */
  private static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  private static ResponseEntity<byte[]> html(HttpStatus status, String html, String nonce) {
    return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Content-Security-Policy", contentSecurityPolicy(nonce))
        .header("Referrer-Policy", ProblemResponseFilter.REFERRER_POLICY)
        .body(html.getBytes(StandardCharsets.UTF_8));
  }
}
