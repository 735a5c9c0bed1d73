package dev.aims.oversight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the requests of one AI system are reviewed: an escalation chain of tiers, each with the role
 * its reviewers must hold and how long it has, and how many distinct reviewers must approve (k of
 * n). When the last tier's deadline passes the request EXPIRES: the chain always ends in deny.
 *
 * <pre>{@code
 * ReviewPolicy.of("AIMS_REVIEWER", Duration.ofHours(4))
 *     .thenEscalateTo("AIMS_SENIOR_REVIEWER", Duration.ofHours(2))
 *     .requiring(2);                       // two-person rule
 * }</pre>
 *
 * @param tiers the escalation chain, first tier first; never empty
 * @param approvalsRequired distinct approvers needed at the tier that decides (1 to 10)
 */
public record ReviewPolicy(List<Tier> tiers, int approvalsRequired) {
  /** The most approvers one request can require. */
  public static final int MAX_APPROVALS = 10;

  /**
   * One step of the escalation chain.
   *
   * @param role the role a reviewer at this tier must hold
   * @param deadline how long this tier has, from the moment the request reaches it
   */
  public record Tier(String role, Duration deadline) {
    public Tier {
      Objects.requireNonNull(role, "role must not be null");
      if (role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      Objects.requireNonNull(deadline, "deadline must not be null");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline of tier '" + role + "' must be positive but was " + deadline);
      }
    }
  }

  public ReviewPolicy {
    tiers = List.copyOf(Objects.requireNonNull(tiers, "tiers"));
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("a review policy needs at least one tier");
    }
    if (approvalsRequired < 1 || approvalsRequired > MAX_APPROVALS) {
      throw new IllegalArgumentException(
          "approvalsRequired must be between 1 and " + MAX_APPROVALS + " but was " + approvalsRequired);
    }
  }

  /** One tier, one approver. */
  public static ReviewPolicy of(String role, Duration deadline) {
    return new ReviewPolicy(List.of(new Tier(role, deadline)), 1);
  }

  /** This chain with one more tier at its end. */
  public ReviewPolicy thenEscalateTo(String role, Duration deadline) {
    List<Tier> more = new ArrayList<>(tiers);
    more.add(new Tier(role, deadline));
    return new ReviewPolicy(more, approvalsRequired);
  }

  /** This chain needing {@code approvers} distinct approvers ({@code 2}: the two-person rule). */
  public ReviewPolicy requiring(int approvers) {
    return new ReviewPolicy(tiers, approvers);
  }

  public Tier tier(int index) {
    return tiers.get(index);
  }

  /** Whether a request at tier {@code index} can still be escalated. */
  public boolean hasTierAfter(int index) {
    return index + 1 < tiers.size();
  }
}
