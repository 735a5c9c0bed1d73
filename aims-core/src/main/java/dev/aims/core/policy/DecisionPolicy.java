package dev.aims.core.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The versioned set of boundaries in force for one AI system. The version goes into every
 * decision record and into {@code policy.changed} events.
 */
public record DecisionPolicy(String version, List<DecisionBoundary> boundaries) {

  public DecisionPolicy {
    Objects.requireNonNull(version, "policy version must not be null");
    if (version.isBlank()) {
      throw new IllegalArgumentException("policy version must not be blank");
    }
    boundaries = List.copyOf(Objects.requireNonNull(boundaries, "boundaries"));
    Set<String> ids = new HashSet<>();
    for (DecisionBoundary b : boundaries) {
      if (!ids.add(b.id())) {
        throw new IllegalArgumentException("policy " + version + " has two boundaries with id '" + b.id() + "'");
      }
    }
  }

  public static DecisionPolicy of(String version, DecisionBoundary... boundaries) {
    return new DecisionPolicy(version, List.of(boundaries));
  }

  /** The policy of a system nobody configured: no boundaries beyond AIMS's model change control. */
  public static DecisionPolicy none() {
    return new DecisionPolicy("none", List.of());
  }

  public List<BoundaryRef> refs() {
    List<BoundaryRef> refs = new ArrayList<>(boundaries.size());
    for (DecisionBoundary b : boundaries) {
      refs.add(b.ref());
    }
    return refs;
  }
}
