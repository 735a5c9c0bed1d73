package dev.aims.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.ClassUtils;

/**
 * The hidden CSRF field of a console form, from the token Spring Security's {@code CsrfFilter} put
 * on the request; empty when Spring Security is absent or CSRF protection is off. Spring Security
 * classes are touched only when they are on the classpath.
 */
final class CsrfField {
  private static final boolean SECURITY_WEB = ClassUtils.isPresent(
      "org.springframework.security.web.csrf.CsrfToken", CsrfField.class.getClassLoader());

  private CsrfField() {}

  static String hidden(HttpServletRequest request) {
    return SECURITY_WEB ? Tokens.hidden(request) : "";
  }

  private static final class Tokens {
    static String hidden(HttpServletRequest request) {
      Object attr = request.getAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
      if (attr instanceof org.springframework.security.web.csrf.CsrfToken token) {
        return "<input type=\"hidden\" name=\"" + Html.escape(token.getParameterName()) + "\" value=\""
            + Html.escape(token.getToken()) + "\">";
      }
      return "";
    }
  }
}
