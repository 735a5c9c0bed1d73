package dev.aims.examples.loans;

import dev.aims.core.AimsException;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import java.net.URI;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns AIMS verdicts and bad input into RFC 9457 problem responses with the decision id. */
@RestControllerAdvice(assignableTypes = LoanController.class)
public class LoanErrors {

  /** A boundary denied the loan: 422. */
  @ExceptionHandler(DecisionDeniedException.class)
  public ProblemDetail denied(DecisionDeniedException e) {
    return problem(HttpStatus.UNPROCESSABLE_CONTENT, "denied", e);
  }

  /** A reviewer rejected it or the review expired: 422. */
  @ExceptionHandler(DecisionRejectedException.class)
  public ProblemDetail rejected(DecisionRejectedException e) {
    return problem(HttpStatus.UNPROCESSABLE_CONTENT, "rejected", e);
  }

  /** The system is stopped, or the decision could not be recorded: 503, try later. */
  @ExceptionHandler(DecisionRefusedException.class)
  public ProblemDetail refused(DecisionRefusedException e) {
    ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "refused", e);
    p.setProperty("cause", e.refusal().name());
    return p;
  }

  /** Any other governance failure: 500 with its message. */
  @ExceptionHandler(AimsException.class)
  public ProblemDetail governance(AimsException e) {
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, "governance-error", e);
  }

  /** Malformed JSON or an invalid field: 400 naming the field. */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  public ProblemDetail unreadable(HttpMessageNotReadableException e) {
    Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, root.getMessage());
    p.setType(URI.create("urn:aims:loans:invalid-application"));
    return p;
  }

  private static ProblemDetail problem(HttpStatus status, String kind, AimsException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    p.setType(URI.create("urn:aims:loans:" + kind));
    if (e.decisionId() != null) {
      p.setProperty("decisionId", e.decisionId().toString());
    }
    return p;
  }
}
