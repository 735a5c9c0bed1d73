package dev.aims.oversight;

import dev.aims.core.Actor;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated person (or service) acting on approval requests, as a {@link ReviewerContext}
 * reports it. Never built from text a request carries: the starter fills it from the Spring
 * Security principal.
 *
 * @param id the stable identity (user id, subject); compared with the request's requester and
 *     the other approvers for separation of duties by {@link #sameIdentity}
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

  /** Whether this reviewer is {@code other} by {@link #sameIdentity}. */
  public boolean is(@Nullable String other) {
    return sameIdentity(id, other);
  }

  /**
   * The one comparison of identities for separation of duties (requester against reviewer, an
   * approver against the approvers so far, a repeat against the decider): equal after Unicode NFKC
   * normalisation, stripping of surrounding whitespace and lower-casing ({@link Locale#ROOT}). Login
   * names are matched that loosely by common user stores (Spring Security's in-memory and JDBC
   * user managers ignore case), so {@code "Alice"}, {@code "alice "} and {@code "ALICE"} are one
   * person here too. When in doubt this errs towards "the same person", which refuses a review
   * rather than letting someone approve their own request. Null is nobody and matches nothing.
   */
  public static boolean sameIdentity(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return false;
    }
    return a.equals(b) || identityKey(a).equals(identityKey(b));
  }

  /** Whether {@code ids} holds {@code id} by {@link #sameIdentity}. */
  public static boolean containsIdentity(Collection<String> ids, @Nullable String id) {
    for (String each : ids) {
      if (sameIdentity(each, id)) {
        return true;
      }
    }
    return false;
  }

  /** The form {@link #sameIdentity} compares. */
  static String identityKey(String id) {
    return Normalizer.normalize(id, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
  }
}
