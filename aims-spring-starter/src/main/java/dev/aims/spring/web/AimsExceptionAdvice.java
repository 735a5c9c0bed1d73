package dev.aims.spring.web;

import dev.aims.core.AimsException;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionLogException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.ModelOutputException;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalStoreException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns an {@link AimsException} that leaves one of the application's controllers into an RFC 9457
 * problem ({@code application/problem+json}) with the decision id, instead of a 500: a DENY is 403,
 * a rejected (or expired) review 422, a call refused because the instance is shutting down 503
 * {@code shutting-down} with {@code Retry-After}, a stopped system, an unwritable decision log or an
 * unavailable approval store 503, an unusable model output 502, a refused approval action the
 * status of the AIMS API. Anything else AIMS throws (a programming or configuration error) is a
 * 500 whose detail does not expose the message, which is logged. Lowest precedence: the
 * application's own handlers win. Off with {@code aims.web.problem-details=false}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class AimsExceptionAdvice {
  private static final Logger LOG = LoggerFactory.getLogger(AimsExceptionAdvice.class);

  /** Seconds a client should wait before retrying a call refused at shutdown: another instance, or this one restarted, takes it. */
  static final int RETRY_AFTER_SECONDS = 5;

  @ExceptionHandler(AimsException.class)
  public ResponseEntity<byte[]> handle(AimsException e, HttpServletRequest request) {
    ResponseEntity<byte[]> r = Problems.response(problem(e, request.getRequestURI()));
    if (e instanceof DecisionRefusedException refused && refused.refusal() == DecisionRefusedException.Cause.SHUTDOWN) {
      return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
          .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)).body(r.getBody());
    }
    return r;
  }

  static ProblemDetail problem(AimsException e, String path) {
    ProblemDetail p;
    if (e instanceof DecisionDeniedException) {
      p = Problems.of(HttpStatus.FORBIDDEN, "decision-denied", "Decision denied", e.getMessage(), path);
    } else if (e instanceof DecisionRejectedException) {
      p = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "decision-rejected", "Decision rejected in review",
          e.getMessage(), path);
    } else if (e instanceof DecisionRefusedException r && r.refusal() == DecisionRefusedException.Cause.SHUTDOWN) {
      p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "The service is shutting down", e.getMessage(),
          path);
      p.setProperty("refusal", r.refusal().name());
    } else if (e instanceof DecisionRefusedException r) {
      p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "decision-refused-" + Problems.slug(r.refusal().name()),
          "Decision refused", e.getMessage(), path);
      p.setProperty("refusal", r.refusal().name());
    } else if (e instanceof DecisionLogException) {
      p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "decision-log-unavailable", "Decision log unavailable",
          e.getMessage(), path);
    } else if (e instanceof ApprovalStoreException) {
      p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "approval-store-unavailable", "Approval store unavailable",
          e.getMessage(), path);
    } else if (e instanceof ModelOutputException) {
      p = Problems.of(HttpStatus.BAD_GATEWAY, "model-output-unusable", "Model output unusable", e.getMessage(), path);
    } else if (e instanceof ApprovalRefusedException r) {
      return Problems.refused(r.refusal(), e.getMessage(), e.decisionId(), path);
    } else {
      LOG.error("AIMS failed on {}", path, e);
      p = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "aims-error", "AIMS error",
          "AIMS could not govern this request (" + e.getClass().getSimpleName() + "); the server log says why.", path);
    }
    if (e.decisionId() != null) {
      p.setProperty("decisionId", e.decisionId().toString());
    }
    return p;
  }
}
