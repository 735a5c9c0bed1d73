package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdherenceAndMetricsTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).meterRegistry(registry)
      .rubberStampFloor(Duration.ofSeconds(10)).sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();

  @AfterEach
  void close() {
    service.close();
  }

  UUID request() {
    UUID id = UUID.randomUUID();
    service.submit(reviewRequest(id, 80_000, clock.instant()));
    return id;
  }

  double rubberStamps() {
    var c = registry.find(ApprovalMetricNames.RUBBER_STAMPS).tag("system", SYSTEM).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void approvalsFasterThanTheFloorAreCountedAsRubberStampsPerReviewer() {
    UUID fast = request();
    reviewers.as(RITA, () -> service.approve(fast, WHY));
    UUID slow = request();
    clock.advance(Duration.ofMinutes(3));
    reviewers.as(RITA, () -> service.approve(slow, WHY));
    UUID rejected = request();
    clock.advance(Duration.ofSeconds(1));
    reviewers.as(RAJ, () -> service.reject(rejected, "amount too high for income"));

    assertThat(rubberStamps()).isEqualTo(1);
    ReviewerStats rita = service.reviewerStats("rita").orElseThrow();
    assertThat(rita.approvals()).isEqualTo(2);
    assertThat(rita.rubberStamps()).isEqualTo(1);
    assertThat(rita.approvalRatio()).isEqualTo(1.0);
    assertThat(rita.meanTimeToDecision()).isEqualTo(Duration.ofSeconds(90));
    assertThat(rita.maxTimeToDecision()).isEqualTo(Duration.ofMinutes(3));
    ReviewerStats raj = service.reviewerStats("raj").orElseThrow();
    assertThat(raj.approvalRatio()).isZero();
    assertThat(raj.rubberStamps()).isZero(); // a fast rejection is not a rubber stamp
    assertThat(service.reviewerStats()).extracting(ReviewerStats::reviewer).containsExactly("raj", "rita");
    assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
        .noneMatch(t -> t.getValue().equals("rita") || t.getValue().equals("raj")));
  }

  /** A request reaches RITA's tier now and she approves it {@code took} later. */
  void approvedAfter(Duration took) {
    UUID id = request();
    clock.advance(took);
    reviewers.as(RITA, () -> service.approve(id, WHY));
  }

  @Test
  void theMedianTimeToDecisionIsTheMiddleDecisionWhereTheMeanIsPulledByOneSlowOne() {
    approvedAfter(Duration.ofMinutes(1));
    approvedAfter(Duration.ofMinutes(20));
    approvedAfter(Duration.ofMinutes(3));

    ReviewerStats odd = service.reviewerStats("rita").orElseThrow();
    assertThat(odd.medianTimeToDecision()).isEqualTo(Duration.ofMinutes(3));
    assertThat(odd.meanTimeToDecision()).isEqualTo(Duration.ofMinutes(8));

    approvedAfter(Duration.ofMinutes(5));

    // an even count: halfway between the two middle ones
    assertThat(service.reviewerStats("rita").orElseThrow().medianTimeToDecision()).isEqualTo(Duration.ofMinutes(4));
    assertThat(service.reviewerStats("raj")).isEmpty();
  }

  @Test
  void beyondItsFixedSampleTheMedianStillRepresentsEveryDecisionNotOnlyTheFirstOnes() {
    // 100 slow decisions first, then 900 quick ones: the median of all 1,000 is quick. A sample that
    // kept only the first 128 would hold 100 slow ones and report 50 minutes.
    for (int i = 0; i < 100; i++) {
      approvedAfter(Duration.ofMinutes(50));
    }
    assertThat(service.reviewerStats("rita").orElseThrow().medianTimeToDecision()).isEqualTo(Duration.ofMinutes(50));
    for (int i = 0; i < 900; i++) {
      approvedAfter(Duration.ofSeconds(30));
    }

    ReviewerStats rita = service.reviewerStats("rita").orElseThrow();
    assertThat(rita.approvals()).isEqualTo(1_000);
    // a uniform sample of 128 holds ~13 slow decisions; 64 or more would take odds below 1e-25
    assertThat(rita.medianTimeToDecision()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rita.maxTimeToDecision()).isEqualTo(Duration.ofMinutes(50));
    assertThat(ReviewerStats.MEDIAN_SAMPLE).isEqualTo(128);
  }

  @Test
  void theStoreGaugeCountsOpenRequestsUnderItsOwnNameBesideCoresGauge() {
    UUID a = request();
    request();

    assertThat(registry.get(ApprovalMetricNames.APPROVALS_PENDING).tag("system", SYSTEM).gauge().value()).isEqualTo(2);
    reviewers.as(RITA, () -> service.approve(a, WHY));
    assertThat(registry.get(ApprovalMetricNames.APPROVALS_PENDING).tag("system", SYSTEM).gauge().value()).isEqualTo(1);
    assertThat(ApprovalMetricNames.APPROVALS_PENDING).isEqualTo("aims.approvals.pending");
  }

  @Test
  void requestsPendingPastTheirDeadlineAreCountedUntilTheSweepEndsThem() {
    request();
    request();
    Gauge overdue = registry.get(ApprovalMetricNames.APPROVALS_OVERDUE).tag("system", SYSTEM).gauge();
    assertThat(overdue.value()).isZero();
    clock.advance(Duration.ofMinutes(61)); // the tier's deadline is one hour
    assertThat(overdue.value()).isEqualTo(2);
    service.sweep();
    assertThat(overdue.value()).isZero();
    assertThat(ApprovalMetricNames.APPROVALS_OVERDUE).isEqualTo("aims.approvals.overdue");
  }
}
