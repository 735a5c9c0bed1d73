package dev.aims.spring.web;

import org.springframework.http.HttpStatus;

/** Bad input to the HTTP API (malformed JSON, a bad id, an unknown status...): a 4xx problem, never a 500. */
final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String slug;
  private final String title;

  InvalidInputException(HttpStatus status, String slug, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  static InvalidInputException badRequest(String slug, String title, String detail) {
    return new InvalidInputException(HttpStatus.BAD_REQUEST, slug, title, detail);
  }

  HttpStatus status() {
    return status;
  }

  String slug() {
    return slug;
  }

  String title() {
    return title;
  }
}
