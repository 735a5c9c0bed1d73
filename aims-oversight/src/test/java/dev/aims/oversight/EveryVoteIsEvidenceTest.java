package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.Outcome;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.ApprovalEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each vote that counts is its own event in the decision log, with actor, role, rationale and time. */
class EveryVoteIsEvidenceTest {
  final TestClock clock = clock();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final TestReviewers reviewers = new TestReviewers();
  final TestNotifier notices = new TestNotifier();
  final ExecutorService callers = Executors.newCachedThreadPool();
  ApprovalService service;
  Aims aims;

  void start(ReviewPolicy policy) {
    service = ApprovalService.builder().clock(clock).reviewers(reviewers).notifier(notices)
        .sweepEvery(Duration.ZERO).policy(SYSTEM, policy).build();
    aims = aims(service, log, clock, "p-1");
  }

  @AfterEach
  void stop() {
    callers.shutdownNow();
    service.close();
  }

  List<ApprovalEvent> approvalEvents(java.util.UUID id) {
    return log.events().stream().filter(ApprovalEvent.class::isInstance).map(ApprovalEvent.class::cast)
        .filter(e -> e.decisionId().equals(id)).toList();
  }

  @Test
  void everyApproverOfATwoPersonDecisionIsInTheLogWithRoleRationaleAndTime() throws Exception {
    start(ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1)).requiring(2));
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    clock.advance(Duration.ofMinutes(3));
    Instant firstVote = clock.instant();
    reviewers.as(RITA, () -> service.approve(r.id(), "payslips match the declared income"));
    clock.advance(Duration.ofMinutes(2));
    reviewers.as(RAJ, () -> service.approve(r.id(), WHY));

    assertThat(call.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(approvalEvents(r.id())).extracting(AimsEvent::type).containsExactly(EventTypes.APPROVAL_REQUESTED,
        EventTypes.APPROVAL_COUNTED, EventTypes.APPROVAL_GRANTED);
    ApprovalEvent counted = approvalEvents(r.id()).get(1);
    assertThat(counted.actor()).isEqualTo(RITA.as(REVIEWER_ROLE));
    assertThat(counted.rationale()).isEqualTo("payslips match the declared income");
    assertThat(counted.ts()).isEqualTo(firstVote);
    assertThat(counted.details()).containsEntry("approvals", 1).containsEntry("approvals_required", 2)
        .containsEntry("tier", 0).containsEntry("required_role", REVIEWER_ROLE);
    ApprovalEvent granted = approvalEvents(r.id()).get(2);
    assertThat(granted.actor()).isEqualTo(RAJ.as(REVIEWER_ROLE));
    assertThat(granted.rationale()).isEqualTo(WHY);
    assertThat(granted.details()).containsEntry("approvers", List.of("rita", "raj"));
  }

  @Test
  void anApprovalThatCountedStaysInTheLogWhenAnotherReviewerRejects() throws Exception {
    start(ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1)).requiring(2));
    Future<Decision<Score>> call = callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    reviewers.as(RITA, () -> service.approve(r.id(), "payslips match the declared income"));
    reviewers.as(RAJ, () -> service.reject(r.id(), "debt ratio is over the limit"));

    assertThat(call).failsWithin(Duration.ofSeconds(10));
    assertThat(approvalEvents(r.id())).extracting(AimsEvent::type).containsExactly(EventTypes.APPROVAL_REQUESTED,
        EventTypes.APPROVAL_COUNTED, EventTypes.APPROVAL_REJECTED);
    assertThat(approvalEvents(r.id())).extracting(ApprovalEvent::actor).containsExactly(null,
        RITA.as(REVIEWER_ROLE), RAJ.as(REVIEWER_ROLE));
  }

  @Test
  void aRepeatedApprovalIsNotASecondVoteInTheLog() throws Exception {
    start(ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1)).requiring(2));
    callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    reviewers.as(RITA, () -> service.approve(r.id(), WHY));
    reviewers.as(RITA, () -> service.approve(r.id(), WHY));

    assertThat(approvalEvents(r.id())).extracting(AimsEvent::type)
        .containsExactly(EventTypes.APPROVAL_REQUESTED, EventTypes.APPROVAL_COUNTED);
  }

  @Test
  void aReviewerEscalationIsItsOwnEventWithActorAndRationale() {
    start(ReviewPolicy.of(REVIEWER_ROLE, Duration.ofHours(1)).thenEscalateTo(SENIOR_ROLE, Duration.ofHours(1)));
    callers.submit(() -> largeLoan(aims, 80_000).call(Fixtures::score));
    ApprovalRequest r = notices.nextRequest();

    reviewers.as(RITA, () -> service.escalate(r.id(), "needs a senior look at the collateral"));

    assertThat(log.events(EventTypes.APPROVAL_ESCALATED, ApprovalEvent.class)).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo(RITA.as(REVIEWER_ROLE));
      assertThat(e.rationale()).isEqualTo("needs a senior look at the collateral");
      assertThat(e.details()).containsEntry("cause", "reviewer");
    });
  }
}
