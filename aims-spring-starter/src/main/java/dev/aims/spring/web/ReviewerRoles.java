package dev.aims.spring.web;

import dev.aims.oversight.Reviewer;
import dev.aims.spring.AimsProperties;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may see approval requests and who may press the stop switch: any of {@code reviewers} (the
 * default reviewer role, every role a configured review tier names, and the admin role), and the
 * {@code admin} role. Which tier role may approve a given request is the approval service's call.
 */
record ReviewerRoles(Set<String> reviewers, String admin) {
  ReviewerRoles {
    reviewers = Set.copyOf(reviewers);
    Objects.requireNonNull(admin, "admin");
  }

  static ReviewerRoles from(AimsProperties properties) {
    AimsProperties.Oversight o = properties.getOversight();
    Set<String> roles = new LinkedHashSet<>();
    roles.add(o.getReviewerRole());
    roles.add(o.getAdminRole());
    for (AimsProperties.SystemProperties s : properties.getSystems().values()) {
      for (AimsProperties.Tier t : s.getReview().getTiers()) {
        if (t.getRole() != null && !t.getRole().isBlank()) {
          roles.add(t.getRole());
        }
      }
    }
    return new ReviewerRoles(roles, o.getAdminRole());
  }

  boolean canReview(@Nullable Reviewer who) {
    return who != null && holdsAny(who.roles(), reviewers);
  }

  boolean isAdmin(@Nullable Reviewer who) {
    return who != null && who.hasRole(admin);
  }

  private static boolean holdsAny(Collection<String> held, Set<String> wanted) {
    for (String r : held) {
      if (wanted.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
