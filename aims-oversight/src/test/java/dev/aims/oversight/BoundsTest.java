package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.DecisionRefusedException;
import dev.aims.core.testing.TestClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundsTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final ApprovalStore store = ApprovalStore.inMemory(10_000, 100, Duration.ofHours(1));
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).store(store)
      .encoder(encoder()).sweepEvery(Duration.ZERO).policy(SYSTEM, ReviewPolicy.of(REVIEWER_ROLE, Duration.ofDays(7)))
      .build();

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void tenThousandPendingRequestsAreHeldRefusedBeyondTheCapAndListedPageByPage() throws Exception {
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      UUID id = new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L | i);
      ids.add(id);
      assertThat(service.submit(reviewRequest(id, 80_000, clock.instant()))).isNotDone();
    }

    CompletableFuture<?> overCap = service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant()))
        .toCompletableFuture();
    assertThat(overCap).isCompletedExceptionally();
    assertThat(overCap).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOf(DecisionRefusedException.class).withMessageContaining("maximum of 10000 pending");

    Set<UUID> seen = new HashSet<>();
    List<UUID> inOrder = new java.util.ArrayList<>();
    int pages = 0;
    ApprovalPage page = service.list(ApprovalQuery.pending().system(SYSTEM).limit(500));
    while (true) {
      pages++;
      for (ApprovalRequest r : page.items()) {
        seen.add(r.id());
        inOrder.add(r.id());
      }
      if (page.next() == null) {
        break;
      }
      page = service.list(ApprovalQuery.pending().system(SYSTEM).limit(500).after(page.next()));
    }
    assertThat(pages).isEqualTo(20);
    assertThat(seen).hasSize(10_000);
    assertThat(inOrder).isEqualTo(ids);

    // resolved requests are kept up to maxResolved, then for the retention time only
    for (UUID id : ids) {
      reviewers.as(RITA, () -> service.reject(id, "batch cleanup of test load"));
    }
    assertThat(service.list(ApprovalQuery.pending()).items()).isEmpty();
    assertThat(((InMemoryApprovalStore) store).size()).isLessThanOrEqualTo(100);
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(((InMemoryApprovalStore) store).size()).isZero();
    assertThat(service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant()))).isNotDone();
  }

  @Test
  void aLargeOutputIsShownAsADigestAndAnOversizedActionIsRefused() throws Exception {
    String big = "x".repeat(100_000);
    UUID id = UUID.randomUUID();
    var request = new dev.aims.core.ReviewRequest(id, creditScoring(), USE_CASE, SCORER, null, big,
        java.util.Map.of(), List.of(), null, clock.instant(), "p-1", null);
    service.submit(request);
    assertThat(service.find(id).orElseThrow().proposedOutput()).contains("aims_truncated").hasSizeLessThan(2_000);

    String huge = "y".repeat(300_000);
    var tooBig = new dev.aims.core.ReviewRequest(UUID.randomUUID(), creditScoring(), USE_CASE, SCORER, null,
        huge, java.util.Map.of(), List.of(), null, clock.instant(), "p-1", null);
    assertThat(service.submit(tooBig).toCompletableFuture()).isCompletedExceptionally();
  }
}
