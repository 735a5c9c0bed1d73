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
