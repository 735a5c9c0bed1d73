package dev.aims.spring.web;

import dev.aims.core.DecisionRefusedException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A governed call refused because the instance is shutting down (its caller waited for review):
 * HTTP 503 problem {@code urn:aims:problem:shutting-down} with {@code Retry-After}, on any endpoint
 * of the application. Other refusals are left to the application's own handlers (rethrown), and an
 * application handler for {@link DecisionRefusedException} comes first (this one has the lowest order).
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
final class ShutdownRefusals {
  /** Seconds a client should wait before retrying: another instance, or this one restarted, takes the call. */
  static final int RETRY_AFTER_SECONDS = 5;

  @ExceptionHandler(DecisionRefusedException.class)
  ResponseEntity<byte[]> refused(DecisionRefusedException e, HttpServletRequest request) {
    if (e.refusal() != DecisionRefusedException.Cause.SHUTDOWN) {
      throw e;
    }
    var p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "The service is shutting down",
        e.getMessage(), request.getRequestURI());
    p.setProperty("refusal", e.refusal().name());
    if (e.decisionId() != null) {
      p.setProperty("decisionId", e.decisionId().toString());
    }
    ResponseEntity<byte[]> r = Problems.response(p);
    return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)).body(r.getBody());
  }
}
