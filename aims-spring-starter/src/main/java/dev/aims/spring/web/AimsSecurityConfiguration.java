package dev.aims.spring.web;

import dev.aims.oversight.ApprovalRefusedException.Refusal;
import dev.aims.spring.AimsProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The Spring Security filter chain of everything under {@code /aims/**}, contributed when Spring
 * Security's web configuration is active and the application has no bean named
 * {@value #CHAIN}:
 *
 * <ul>
 *   <li>every request is authenticated: HTTP Basic for the API, form login at {@code /aims/login}
 *       for the console;
 *   <li>{@code POST /aims/systems/{id}/stop|resume} need the admin role; everything else needs a
 *       reviewer role (the default reviewer role, any configured tier role, or the admin role);
 *   <li>unauthenticated API calls get a 401 problem (with {@code WWW-Authenticate: Basic}),
 *       unauthenticated console pages a redirect to the sign-in page, a missing role a 403 problem;
 *   <li>CSRF tokens are required on every state-changing request except API calls whose
 *       {@code Content-Type} is {@code application/json}: a cross-site HTML form cannot send that
 *       content type, and a cross-site script can only send it after a CORS preflight the
 *       application does not grant, so the browser's ambient credentials cannot be abused.
 * </ul>
 *
 * <p>Its order, {@value #ORDER}, puts it before Spring Boot's default chain and before application
 * chains declared without an order; an application that wants to secure {@code /aims/**} itself
 * defines its own bean named {@value #CHAIN}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class})
@ConditionalOnBean(HttpSecurity.class)
class AimsSecurityConfiguration {
  /** The bean name an application uses to replace this chain. */
  static final String CHAIN = "aimsSecurityFilterChain";
  /** Before Spring Boot's default chain ({@code LOWEST_PRECEDENCE - 5}) and unordered application chains. */
  static final int ORDER = Ordered.LOWEST_PRECEDENCE - 15;

  @Bean(name = CHAIN)
  @ConditionalOnMissingBean(name = CHAIN)
  @Order(ORDER)
  SecurityFilterChain aimsSecurityFilterChain(HttpSecurity http, AimsProperties properties) throws Exception {
    ReviewerRoles roles = ReviewerRoles.from(properties);
    boolean console = properties.getWeb().isConsole();
    AuthenticationEntryPoint problem401 = AimsSecurityConfiguration::unauthenticated;
    AccessDeniedHandler problem403 = (request, response, e) -> denied(request, response, e, roles);
    RequestMatcher consolePage = request -> path(request).startsWith("/aims/console");

    http.securityMatcher("/aims/**")
        .authorizeHttpRequests(a -> {
          if (console) {
            a.requestMatchers("/aims/login").permitAll();
          }
          a.requestMatchers(HttpMethod.POST, "/aims/systems/*/stop", "/aims/systems/*/resume")
              .access(AuthorityAuthorizationManager.hasAnyAuthority(authorities(Set.of(roles.admin()))));
          a.anyRequest().access(AuthorityAuthorizationManager.hasAnyAuthority(authorities(roles.reviewers())));
        })
        .httpBasic(b -> b.realmName("AIMS").authenticationEntryPoint(problem401))
        .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)))
        // its own session attribute: another chain of the application that renders a form (its own
        // login page, reached by e.g. the browser's favicon request) would otherwise replace the token
        // of a console form that is already on screen, and the form's post would fail
        .csrf(c -> c.csrfTokenRepository(csrfTokens()).ignoringRequestMatchers(AimsSecurityConfiguration::jsonApiCall))
        .exceptionHandling(e -> {
          if (console) {
            e.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/aims/login"), consolePage);
          }
          e.defaultAuthenticationEntryPointFor(problem401, request -> true);
          e.accessDeniedHandler(problem403);
        });
    HttpSessionRequestCache cache = new HttpSessionRequestCache();
    cache.setRequestMatcher(request -> "GET".equals(request.getMethod()) && consolePage.matches(request));
    // its own session attribute: the application's chain saves the requests it sends to its own login
    // (an /error dispatch, the favicon); signing in to the console must never return to one of those
    cache.setSessionAttrName(AimsSecurityConfiguration.class.getName() + ".SAVED_REQUEST");
    http.requestCache(r -> r.requestCache(cache));
    if (console) {
      http.formLogin(f -> f.loginPage("/aims/login").loginProcessingUrl("/aims/login")
              .defaultSuccessUrl("/aims/console").failureUrl("/aims/login?error"))
          .logout(l -> l.logoutUrl("/aims/logout").logoutSuccessUrl("/aims/login?logout"));
    } else {
      http.formLogin(f -> f.disable()).logout(l -> l.disable());
    }
    return http.build();
  }

  /** {@code ROLE_X} and {@code X} for each role, as the reviewer context strips the prefix. */
  private static String[] authorities(Set<String> roles) {
    List<String> out = new ArrayList<>();
    for (String r : roles) {
      out.add("ROLE_" + r);
      out.add(r);
    }
    return out.toArray(String[]::new);
  }

  /** An API call with a JSON body: exempt from CSRF tokens (see the class comment). */
  static boolean jsonApiCall(HttpServletRequest request) {
    String p = path(request);
    return (p.startsWith("/aims/approvals/") || p.startsWith("/aims/systems/")) && JsonBody.isJson(request.getContentType());
  }

  private static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String ctx = request.getContextPath();
    return ctx != null && !ctx.isEmpty() && uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
  }

  private static void unauthenticated(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
      org.springframework.security.core.AuthenticationException e) throws java.io.IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"AIMS\"");
    Problems.write(response, Problems.refused(Refusal.NOT_AUTHENTICATED, "this endpoint needs an authenticated"
        + " user: send HTTP Basic credentials (or sign in to the console at /aims/login)", null, request.getRequestURI()));
  }

  private static void denied(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
      org.springframework.security.access.AccessDeniedException e, ReviewerRoles roles) throws java.io.IOException {
    ProblemDetail p;
    if (e instanceof CsrfException) {
      p = Problems.of(HttpStatus.FORBIDDEN, "csrf", "Missing or invalid CSRF token", "this request needs a valid"
          + " CSRF token: reload the console and submit the form again (API clients send Content-Type:"
          + " application/json instead)", request.getRequestURI());
    } else {
      String who = request.getUserPrincipal() == null ? "the user" : "'" + request.getUserPrincipal().getName() + "'";
      String p0 = path(request);
      boolean switchCall = p0.startsWith("/aims/systems/");
      p = Problems.refused(Refusal.MISSING_ROLE, who + " holds none of the roles "
          + (switchCall ? "[" + roles.admin() + "] that may stop or resume an AI system"
              : roles.reviewers() + " that may review approval requests"), null, request.getRequestURI());
    }
    Problems.write(response, p);
  }

  /** The console's CSRF tokens, kept in the session under a name no other chain uses. */
  static HttpSessionCsrfTokenRepository csrfTokens() {
    HttpSessionCsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
    tokens.setSessionAttributeName(AimsSecurityConfiguration.class.getName() + ".CSRF_TOKEN");
    return tokens;
  }
}
