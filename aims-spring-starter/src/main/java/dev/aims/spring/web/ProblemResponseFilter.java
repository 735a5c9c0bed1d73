package dev.aims.spring.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs first for every request under {@code /aims/}, before Spring Security:
 *
 * <ul>
 *   <li>every response gets {@code Referrer-Policy: same-origin} and {@code X-Content-Type-Options: nosniff};
 *   <li>a state-changing request (POST, PUT, PATCH, DELETE) whose {@code Origin} is another site is
 *       refused with a 403 {@code cross-origin} problem, whatever its content type (browsers send
 *       {@code Origin} on every cross-site POST; clients that send none, such as scripts, pass);
 *   <li>a body over {@value JsonBody#MAX_BYTES} bytes is a 413 problem before anything reads it, and
 *       a form the container cannot parse is a 400 problem;
 *   <li>every error the container or Spring MVC would render ({@code sendError}: no such endpoint,
 *       a method the endpoint does not take, ...) and every exception that escapes is written as
 *       {@code application/problem+json} instead of the container's HTML error page.
 * </ul>
 */
final class ProblemResponseFilter extends OncePerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponseFilter.class);
  // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on the console's own
  // form posts, which the Origin check must refuse; same-origin still sends no referrer to another site
  static final String REFERRER_POLICY = "same-origin";

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("Referrer-Policy", REFERRER_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    boolean changing = switch (request.getMethod().toUpperCase(Locale.ROOT)) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
    if (changing) {
      String origin = request.getHeader(HttpHeaders.ORIGIN);
      if (origin != null && !sameOrigin(origin, request)) {
        Problems.write(response, Problems.of(HttpStatus.FORBIDDEN, "cross-origin", "Cross-site request refused",
            "this request comes from another site (Origin " + Ids.shorten(origin) + ", but this server is "
                + Ids.shorten(String.valueOf(request.getHeader(HttpHeaders.HOST)))
                + "); state-changing AIMS requests are accepted only from the console's own pages and from clients"
                + " that send no Origin", request.getRequestURI()));
        return;
      }
      if (request.getContentLengthLong() > JsonBody.MAX_BYTES) {
        Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Body too large",
            "the body is larger than " + JsonBody.MAX_BYTES + " bytes", request.getRequestURI()));
        return;
      }
      if (isForm(request.getContentType())) {
        try {
          request.getParameterMap(); // parse now, so a form the container cannot read is a problem, not its error page
        } catch (RuntimeException e) {
          Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "malformed-form", "Malformed form",
              "the form could not be read: " + e.getMessage(), request.getRequestURI()));
          return;
        }
      }
    }
    ProblemOnError wrapped = new ProblemOnError(request, response);
    try {
      chain.doFilter(request, wrapped);
    } catch (IOException | ServletException | RuntimeException e) {
      if (response.isCommitted()) {
        throw e;
      }
      LOG.error("AIMS web: {} {} failed", request.getMethod(), request.getRequestURI(), e);
      response.resetBuffer();
      Problems.write(response, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
          "the request failed inside the server (logged); nothing may have happened, try again",
          request.getRequestURI()));
    }
  }

  /** Whether the {@code Origin} header names the host (and port) this request was sent to. */
  static boolean sameOrigin(String origin, HttpServletRequest request) {
    URI uri;
    try {
      uri = URI.create(origin.trim());
    } catch (IllegalArgumentException e) {
      return false; // "null" (sandboxed frames, some redirects) and garbage are cross-site
    }
    if (uri.getHost() == null) {
      return false;
    }
    String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String host = request.getHeader(HttpHeaders.HOST);
    if (host != null && host.equalsIgnoreCase(authority)) {
      return true;
    }
    // behind a proxy with forwarded headers applied, the server name and port are the public ones
    return uri.getHost().equalsIgnoreCase(request.getServerName())
        && (uri.getPort() < 0 || uri.getPort() == request.getServerPort());
  }

  private static boolean isForm(@Nullable String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** Turns {@code sendError} into a problem written at once, instead of the container's error page. */
  private static final class ProblemOnError extends HttpServletResponseWrapper {
    private final HttpServletRequest request;

    ProblemOnError(HttpServletRequest request, HttpServletResponse response) {
      super(response);
      this.request = request;
    }

    @Override
    public void sendError(int sc) throws IOException {
      sendError(sc, null);
    }

    @Override
    public void sendError(int sc, @Nullable String msg) throws IOException {
      if (isCommitted()) {
        super.sendError(sc, msg);
        return;
      }
      resetBuffer();
      Problems.write((HttpServletResponse) getResponse(), problem(sc));
    }

    private ProblemDetail problem(int sc) {
      String path = request.getRequestURI();
      HttpStatus status = HttpStatus.resolve(sc);
      if (status == null) {
        status = sc >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
      }
      return switch (status) {
        case NOT_FOUND -> Problems.of(status, "not-found", "Not found", "there is no AIMS endpoint or page at "
            + Ids.shorten(path), path);
        case METHOD_NOT_ALLOWED -> {
          String allow = getHeader(HttpHeaders.ALLOW);
          yield Problems.of(status, "method-not-allowed", "Method not allowed", request.getMethod() + " is not"
              + " allowed on " + Ids.shorten(path) + (allow == null ? "" : "; use " + allow), path);
        }
        case CONTENT_TOO_LARGE -> Problems.of(status, "body-too-large", "Body too large",
            "the body is larger than this endpoint accepts", path);
        case UNSUPPORTED_MEDIA_TYPE -> Problems.of(status, "unsupported-media-type", "Unsupported media type",
            "send the body as " + MediaType.APPLICATION_JSON_VALUE, path);
        case NOT_ACCEPTABLE -> Problems.of(status, "not-acceptable", "Not acceptable",
            "AIMS answers with JSON (application/json, application/problem+json) or, for the console, HTML", path);
        default -> Problems.of(status, "http-" + sc, status.getReasonPhrase(), status.getReasonPhrase(), path);
      };
    }
  }
}
