package dev.aims.examples.loans;

import dev.aims.spring.AimsProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Requesters ({@code LOAN_REQUESTER}) post applications; reviewers and admins
 * (AIMS's {@code aims.oversight.reviewer-role} and {@code admin-role}) use {@code /aims/**}, the
 * approvals API and the console; Prometheus scrapes {@code /actuator/prometheus} without
 * credentials (keep that port on an internal network). Browsers log in with a form (the session is
 * CSRF-protected); scripts use HTTP Basic, and a request that carries Basic credentials needs no
 * CSRF token because no browser session is involved.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
  /** Role of users who may request loan decisions. */
  public static final String REQUESTER_ROLE = "LOAN_REQUESTER";

  @Bean
  SecurityFilterChain loanSecurity(HttpSecurity http, AimsProperties aims) throws Exception {
    String reviewer = aims.getOversight().getReviewerRole();
    String admin = aims.getOversight().getAdminRole();
    RequestMatcher basicAuth = request -> {
      String header = request.getHeader("Authorization");
      return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    };
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
            // a browser asks for the favicon of every page; sent to a login page, that request would
            // start a session of its own and replace the console's session cookie mid-sign-in
            .requestMatchers("/favicon.ico", "/error").permitAll()
            .requestMatchers("/loans/**").hasRole(REQUESTER_ROLE)
            // the starter's own chain (aimsSecurityFilterChain, ordered first) secures /aims/**;
            // this rule only applies if an application removes that chain
            .requestMatchers("/aims/**").hasAnyRole(reviewer, admin)
            .requestMatchers("/actuator/**").hasRole(admin)
            .anyRequest().authenticated())
        .httpBasic(Customizer.withDefaults())
        .formLogin(Customizer.withDefaults())
        .csrf(c -> c.ignoringRequestMatchers(basicAuth));
    return http.build();
  }

  /**
   * The demo users from {@code loans.demo-users}; at least one is required. Their passwords are
   * hashed with BCrypt at cost 4, not the default 10: scripts authenticate every request with HTTP
   * Basic, and at cost 10 the hash check, not the decision, would be what the load script measures.
   * Real users come from an identity provider and never reach this store.
   */
  @Bean
  UserDetailsService demoUserStore(DemoUsers users) {
    BCryptPasswordEncoder demoHash = new BCryptPasswordEncoder(4);
    if (users.getDemoUsers().isEmpty()) {
      throw new IllegalStateException("loans.demo-users is empty: configure at least one user (name, password, roles)");
    }
    List<UserDetails> details = new ArrayList<>();
    for (int i = 0; i < users.getDemoUsers().size(); i++) {
      DemoUsers.User u = users.getDemoUsers().get(i);
      if (u.getName().isBlank() || u.getPassword().isBlank()) {
        throw new IllegalStateException("loans.demo-users[" + i + "] needs a name and a password");
      }
      details.add(User.withUsername(u.getName())
          .password("{bcrypt}" + demoHash.encode(u.getPassword()))
          .roles(u.getRoles().toArray(String[]::new))
          .build());
    }
    return new InMemoryUserDetailsManager(details);
  }

  /** Checks {@code {bcrypt}}, {@code {argon2}}, ... hashes by their prefix. */
  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
