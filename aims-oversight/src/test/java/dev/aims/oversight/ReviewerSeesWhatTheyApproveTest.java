package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.event.EventEncoder;
import dev.aims.core.Redactor;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request keeps the redacted input; the exact action parameters the digest binds are readable. */
class ReviewerSeesWhatTheyApproveTest {
  final TestReviewers reviewers = new TestReviewers();
  final ApprovalService service = ApprovalService.builder().clock(clock()).reviewers(reviewers)
      .encoder(new EventEncoder(s -> Redactor.maskFields("input.email"), EventEncoder.DEFAULT_MAX_PAYLOAD_BYTES))
      .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void theRequestShowsTheRedactedInputAndTheExactActionItsDigestBinds() {
    UUID id = UUID.randomUUID();
    Map<String, Object> transfer = Map.of("amount", 80_000, "account", "DE02 1203 0000 0000 2020 51");
    service.submit(reviewRequest(id, 80_000, clock().instant(), "p-1", transfer));

    ApprovalRequest r = service.find(id).orElseThrow();
    assertThat(r.input()).contains("\"id\":\"a-1\"", "\"amount\":80000").doesNotContain("jane.doe@example.com");
    String action = service.action(id).orElseThrow();
    assertThat(action).isEqualTo("{\"account\":\"DE02 1203 0000 0000 2020 51\",\"amount\":80000}");
    assertThat(ActionDigest.of(id, SYSTEM, USE_CASE, transfer)).isEqualTo(r.actionDigest());
    assertThat(service.action(UUID.randomUUID())).isEmpty();
  }
}
