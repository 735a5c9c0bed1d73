package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.PendingDecision;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ReviewResult.Effect;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code DecisionCall.submit} with the approval service: the caller holds a handle, not a thread. */
class PendingDecisionTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final TestReviewers reviewers = new TestReviewers();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).decisionLog(log)
      .encoder(encoder()).sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();
  final Aims aims = aims(service, log, clock, "p-1");

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void aSubmittedDecisionIsPendingUntilAReviewerApprovesThroughTheService() throws Exception {
    PendingDecision<Score> pending = largeLoan(aims, 80_000).submit(Fixtures::score);

    assertThat(pending.isDone()).isFalse();
    ApprovalRequest request = service.find(pending.decisionId()).orElseThrow();
    assertThat(request.status()).isEqualTo(ApprovalStatus.PENDING);

    ReviewResult result = reviewers.as(RITA, () -> service.approve(pending.decisionId(), WHY));

    assertThat(result.effect()).isEqualTo(Effect.DECIDED);
    Decision<Score> d = pending.decision().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(pending.isDone()).isTrue();
    assertThat(d.id()).isEqualTo(pending.decisionId());
    assertThat(d.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(d.review().actor()).isEqualTo(RITA.as(REVIEWER_ROLE));
    assertThat(log.events()).extracting(AimsEvent::type).containsSubsequence(EventTypes.DECISION_PROPOSED,
        EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_GRANTED, EventTypes.DECISION_FINAL);
  }

  @Test
  void aRejectionThroughTheServiceFailsTheHandle() {
    PendingDecision<Score> pending = largeLoan(aims, 80_000).submit(Fixtures::score);

    reviewers.as(RITA, () -> service.reject(pending.decisionId(), "income not verified by payslips"));

    assertThat(pending.decision().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS)
        .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(DecisionRejectedException.class);
  }
}
