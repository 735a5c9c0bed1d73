package dev.aims.spring.web;

import dev.aims.core.Aims;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ReviewerContext;
import dev.aims.spring.AimsProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The approvals HTTP API, the reviewer console and their security, in servlet web applications
 * that have an {@link ApprovalService} ({@code aims.web.enabled}, default true;
 * {@code aims.web.console}, default true):
 *
 * <ul>
 *   <li>{@code GET /aims/approvals?status=&system=&after=&limit=}, {@code GET /aims/approvals/{id}};
 *   <li>{@code POST /aims/approvals/{id}/approve|reject|override|escalate} with a JSON body carrying
 *       the {@code rationale};
 *   <li>{@code POST /aims/systems/{id}/stop|resume} with {@code {"reason": "..."}} (admin role);
 *   <li>{@code GET /aims/console}, the reviewer console, and {@code GET /aims/login};
 *   <li>with Spring Security, the {@code aimsSecurityFilterChain} for {@code /aims/**}.
 * </ul>
 *
 * The reviewer is always the authenticated principal (through the {@link ReviewerContext}); errors
 * are RFC 9457 problem details. See docs/spring.md for the JSON shapes.
 */
@AutoConfiguration(afterName = {"dev.aims.spring.AimsAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(ApprovalService.class)
@ConditionalOnProperty(prefix = "aims.web", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AimsProperties.class)
@Import(AimsSecurityConfiguration.class)
public class AimsWebAutoConfiguration {

  /** Creates the auto-configuration; Spring does this. */
  public AimsWebAutoConfiguration() {}

  /** Problem details for every error under {@code /aims/}, the Origin check and the size bound; before Spring Security. */
  @Bean
  @ConditionalOnMissingBean(name = "aimsProblemResponseFilter")
  FilterRegistrationBean<ProblemResponseFilter> aimsProblemResponseFilter() {
    FilterRegistrationBean<ProblemResponseFilter> registration = new FilterRegistrationBean<>(new ProblemResponseFilter());
    registration.addUrlPatterns("/aims/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.setName("aimsProblemResponseFilter");
    return registration;
  }

  /**
   * {@code SameSite=Lax} on the session cookie (which the console shares with the application)
   * unless the application set {@code server.servlet.session.cookie.same-site} itself: a cross-site
   * POST then carries no session, on top of the CSRF token and the Origin check.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.web.server.servlet.CookieSameSiteSupplier")
  static class SessionCookieConfiguration {
    static final String SAME_SITE_PROPERTY = "server.servlet.session.cookie.same-site";

    @Bean
    @ConditionalOnMissingBean(name = "aimsSessionCookieSameSite")
    CookieSameSiteSupplier aimsSessionCookieSameSite(Environment environment) {
      if (environment.containsProperty(SAME_SITE_PROPERTY)) {
        return cookie -> null; // the application's own setting applies
      }
      return CookieSameSiteSupplier.ofLax()
          .whenHasName(environment.getProperty("server.servlet.session.cookie.name", "JSESSIONID"));
    }
  }

  @Bean
  @ConditionalOnMissingBean
  ReviewerRoles aimsReviewerRoles(AimsProperties properties) {
    return ReviewerRoles.from(properties);
  }

  @Bean
  @ConditionalOnMissingBean
  ApprovalsController aimsApprovalsController(ApprovalService approvals, ObjectProvider<Aims> aims,
      ObjectProvider<ReviewerContext> reviewers, ReviewerRoles roles) {
    return new ApprovalsController(approvals, aims.getIfAvailable(), reviewers.getIfAvailable(ReviewerContext::none),
        roles);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "aims.web", name = "console", havingValue = "true", matchIfMissing = true)
  ConsoleController aimsConsoleController(ApprovalService approvals, ObjectProvider<ReviewerContext> reviewers,
      ReviewerRoles roles, AimsProperties properties) {
    return new ConsoleController(approvals, reviewers.getIfAvailable(ReviewerContext::none), roles,
        properties.getOversight().getMinRationaleLength(), Clock.systemUTC());
  }
}
