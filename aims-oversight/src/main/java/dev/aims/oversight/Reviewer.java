package dev.aims.oversight;

import dev.aims.core.Actor;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated person (or service) acting on approval requests, as a {@link ReviewerContext}
 * reports it. Never built from text a request carries: the starter fills it from the Spring
 * Security principal.
 *
 * @param id the stable identity (user id, subject); compared with the request's requester for
 *     separation of duties
 * @param roles the roles the identity holds, e.g. {@code AIMS_REVIEWER}, {@code AIMS_ADMIN}
 */
public record Reviewer(String id, Set<String> roles) {
  public Reviewer {
    Objects.requireNonNull(id, "reviewer id must not be null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("reviewer id must not be blank");
    }
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
  }

  public static Reviewer of(String id, String... roles) {
    return new Reviewer(id, Set.of(roles));
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** This reviewer acting in one role, as recorded in events. */
  public Actor as(String role) {
    return Actor.of(id, role);
  }
}
