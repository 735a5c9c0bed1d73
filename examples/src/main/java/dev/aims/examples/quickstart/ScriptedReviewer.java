package dev.aims.examples.quickstart;

import dev.aims.core.Actor;
import dev.aims.core.ApprovalGate;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.ReviewRequest;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A human reviewer, scripted. AIMS hands every REVIEW decision to an {@link ApprovalGate}; a real
 * application plugs in {@code aims-oversight}, which queues the request for a person and completes
 * the stage when they decide. This one decides at once, by rule:
 *
 * <ul>
 *   <li>score at least {@value #APPROVE_AT}: approve;
 *   <li>score below {@value #REJECT_BELOW}: reject;
 *   <li>in between: override the model with a counter-offer (a smaller loan).
 * </ul>
 */
public final class ScriptedReviewer implements ApprovalGate {
  static final double APPROVE_AT = 0.55;
  static final double REJECT_BELOW = 0.45;

  /** In a real deployment the actor comes from the reviewer's authenticated session. */
  private static final Actor REVIEWER = Actor.of("reviewer-1", "AIMS_REVIEWER");

  private final Clock clock;

  public ScriptedReviewer(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CompletionStage<ReviewOutcome> submit(ReviewRequest request) {
    Score proposed = (Score) request.proposedOutput();
    double p = proposed.probability();
    ReviewOutcome outcome;
    if (p >= APPROVE_AT) {
      outcome = ReviewOutcome.approved(REVIEWER,
          String.format(Locale.ROOT, "score %.3f is at least %.2f; affordability checked", p, APPROVE_AT),
          clock.instant());
    } else if (p < REJECT_BELOW) {
      outcome = ReviewOutcome.rejected(REVIEWER,
          String.format(Locale.ROOT, "score %.3f is below %.2f for a large loan", p, REJECT_BELOW),
          clock.instant());
    } else {
      outcome = ReviewOutcome.overridden(REVIEWER,
          String.format(Locale.ROOT, "score %.3f is borderline; offer a smaller loan", p),
          new Score(p, Score.Recommendation.COUNTER_OFFER),
          clock.instant());
    }
    return CompletableFuture.completedFuture(outcome);
  }
}
