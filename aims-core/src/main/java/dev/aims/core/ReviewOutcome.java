package dev.aims.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The end of a human review, as an {@link ApprovalGate} reports it.
 *
 * @param actor the reviewer, from an authenticated context; required unless EXPIRED or CANCELLED
 * @param rationale required when a person decided
 * @param overriddenOutput the reviewer's replacement output; required for OVERRIDDEN only
 * @param approvers for an approval, the ids of every reviewer whose approval counted towards it
 *     (k of them for a k-of-n decision, the deciding one last); empty otherwise or when not known
 */
public record ReviewOutcome(
    Resolution resolution,
    @Nullable Actor actor,
    @Nullable String rationale,
    @Nullable Object overriddenOutput,
    Instant decidedAt,
    List<String> approvers) {

  /** An outcome that names no approvers beyond its actor. */
  public ReviewOutcome(Resolution resolution, @Nullable Actor actor, @Nullable String rationale,
      @Nullable Object overriddenOutput, Instant decidedAt) {
    this(resolution, actor, rationale, overriddenOutput, decidedAt, List.of());
  }

  public ReviewOutcome {
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(decidedAt, "decidedAt");
    approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers"));
    boolean byPerson =
        resolution == Resolution.APPROVED || resolution == Resolution.OVERRIDDEN || resolution == Resolution.REJECTED;
    if (byPerson && actor == null) {
      throw new IllegalArgumentException(resolution + " needs the reviewer (actor)");
    }
    if (byPerson && (rationale == null || rationale.isBlank())) {
      throw new IllegalArgumentException(resolution + " needs a rationale");
    }
    if ((resolution == Resolution.OVERRIDDEN) != (overriddenOutput != null)) {
      throw new IllegalArgumentException("an overridden output goes with OVERRIDDEN and only with it");
    }
  }

  public static ReviewOutcome approved(Actor actor, String rationale, Instant at) {
    return new ReviewOutcome(Resolution.APPROVED, actor, rationale, null, at);
  }

  /** An approval by k reviewers: {@code actor} decided it, {@code approvers} lists all k, the actor last. */
  public static ReviewOutcome approved(Actor actor, String rationale, Instant at, List<String> approvers) {
    return new ReviewOutcome(Resolution.APPROVED, actor, rationale, null, at, approvers);
  }

  public static ReviewOutcome rejected(Actor actor, String rationale, Instant at) {
    return new ReviewOutcome(Resolution.REJECTED, actor, rationale, null, at);
  }

  public static ReviewOutcome overridden(Actor actor, String rationale, Object output, Instant at) {
    return new ReviewOutcome(Resolution.OVERRIDDEN, actor, rationale, output, at);
  }

  public static ReviewOutcome expired(Instant at) {
    return new ReviewOutcome(Resolution.EXPIRED, null, null, null, at);
  }

  public boolean approves() {
    return resolution == Resolution.APPROVED || resolution == Resolution.OVERRIDDEN;
  }
}
