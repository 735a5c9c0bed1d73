package dev.aims.spring.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Registers {@link AimsExceptionAdvice} in a servlet web application, so AIMS exceptions reaching
 * the application's controllers become problem details; independent of the AIMS API
 * ({@code aims.web.enabled}). Off with {@code aims.web.problem-details=false}.
 */
@AutoConfiguration(afterName = "dev.aims.spring.AimsAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(prefix = "aims", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AimsProblemAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "aims.web", name = "problem-details", havingValue = "true", matchIfMissing = true)
  public AimsExceptionAdvice aimsExceptionAdvice() {
    return new AimsExceptionAdvice();
  }
}
