package dev.aims.spring;

import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerContext;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The reviewer of the calling thread from Spring Security: the authenticated principal's name and
 * its authorities, with the {@code ROLE_} prefix removed (so {@code hasRole("AIMS_REVIEWER")} and
 * the AIMS role {@code AIMS_REVIEWER} are the same thing). Anonymous means nobody.
 */
final class SecurityReviewerContext implements ReviewerContext {

  @Override
  public @Nullable Reviewer current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return null;
    }
    Set<String> roles = new LinkedHashSet<>();
    for (GrantedAuthority a : auth.getAuthorities()) {
      String name = a.getAuthority();
      if (name != null) {
        roles.add(name.startsWith("ROLE_") ? name.substring(5) : name);
      }
    }
    return new Reviewer(auth.getName(), roles);
  }

  @Override
  public String toString() {
    return "Spring Security reviewer context";
  }
}
