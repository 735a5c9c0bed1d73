package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.testing.TestClock;
import dev.aims.oversight.ApprovalRefusedException.Refusal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rationales need letters or digits, have an upper bound, and refused attempts are bounded. */
class RationaleBoundsTest {
  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ApprovalService service = ApprovalService.builder().clock(clock).reviewers(reviewers).meterRegistry(registry)
      .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer().requiring(2)).build();
  final UUID id = UUID.randomUUID();

  RationaleBoundsTest() {
    service.submit(reviewRequest(id, 80_000, clock.instant()));
  }

  @AfterEach
  void close() {
    service.close();
  }

  Refusal refusalOf(Reviewer who, String rationale) {
    try {
      reviewers.as(who, () -> service.approve(id, rationale));
    } catch (ApprovalRefusedException e) {
      return e.refusal();
    }
    throw new AssertionError("approval with rationale of " + rationale.length() + " chars was accepted");
  }

  double refused(String reason) {
    var c = registry.find(ApprovalMetricNames.APPROVALS_REFUSED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void tenNoBreakSpacesAreNoRationale() {
    assertThatThrownBy(() -> reviewers.as(RITA, () -> service.approve(id, "\u00A0".repeat(10))))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.RATIONALE_REQUIRED))
        .hasMessageContaining("needs a rationale of at least 10 letters or digits (it has 0; spaces, control and"
            + " format characters do not count)");
    assertThat(service.find(id).orElseThrow().approvedBy()).isEmpty();
  }

  @Test
  void fifteenControlCharactersOrZeroWidthPaddingAreNoRationale() {
    assertThat(refusalOf(RITA, "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000E\u000F"
        + "\u0085\u0090\u009C\u009F")).isEqualTo(Refusal.RATIONALE_REQUIRED);
    assertThat(refusalOf(RITA, "o\u200Bk\u200B \u2060f\u200Di\uFEFFn\u00ADe !!!")).isEqualTo(Refusal.RATIONALE_REQUIRED);
    assertThat(refusalOf(RITA, "\u2003\u3000\t\r\n\u2028\u2029\u202F\u205F\u180E")).isEqualTo(Refusal.RATIONALE_REQUIRED);
    assertThat(RationalePolicy.visibleCharacters("Einkommen geprüft ✓")).isEqualTo(16);
    reviewers.as(RITA, () -> service.approve(id, "Einkommen geprüft"));
    assertThat(service.find(id).orElseThrow().approvedBy()).containsExactly("rita");
  }

  @Test
  void aRationaleOverFourKibibytesIsRefusedAndItsStoredAttemptIsCut() {
    String tooLong = "a".repeat(4 * 1024 + 1);
    assertThatThrownBy(() -> reviewers.as(RITA, () -> service.approve(id, tooLong)))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.RATIONALE_TOO_LONG))
        .hasMessageContaining("is longer than 4096 bytes");
    // multi-byte: 1,366 euro signs are 4,098 bytes (and no letters: the length is checked first)
    assertThat(refusalOf(RAJ, "€".repeat(1366))).isEqualTo(Refusal.RATIONALE_TOO_LONG);
    assertThat(refusalOf(RAJ, "x".repeat(1024 * 1024))).isEqualTo(Refusal.RATIONALE_TOO_LONG);
    assertThat(service.attempts(id)).hasSize(3).allSatisfy(a ->
        assertThat(a.rationale().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096));
    assertThat(refused("rationale_too_long")).isEqualTo(3);

    reviewers.as(RITA, () -> service.approve(id, "b".repeat(4096)));
    assertThat(service.find(id).orElseThrow().approvedBy()).containsExactly("rita");
  }

  @Test
  void tenThousandRefusedAttemptsOnOneRequestStoreABoundedNumberAndAreAllCounted() {
    for (int i = 0; i < 10_000; i++) {
      Reviewer who = Reviewer.of("reviewer-" + (i % 1_000), REVIEWER_ROLE); // 10 each: under the rate limit
      assertThat(refusalOf(who, "no")).isEqualTo(Refusal.RATIONALE_REQUIRED);
    }
    assertThat(service.attempts(id)).hasSize(RationalePolicy.DEFAULT_MAX_REFUSED_PER_REQUEST);
    assertThat(refused("rationale_required")).isEqualTo(10_000);
    reviewers.as(RITA, () -> service.approve(id, WHY));
    assertThat(service.attempts(id)).last().satisfies(a -> assertThat(a.accepted()).isTrue());
  }

  @Test
  void aReviewerWithTooManyRefusalsIsRateLimitedUntilTheWindowEnds() {
    for (int i = 0; i < RationalePolicy.DEFAULT_MAX_REFUSALS_PER_REVIEWER; i++) {
      assertThat(refusalOf(RITA, "short")).isEqualTo(Refusal.RATIONALE_REQUIRED);
    }
    assertThatThrownBy(() -> reviewers.as(Reviewer.of("Rita", REVIEWER_ROLE), () -> service.approve(id, WHY)))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.RATE_LIMITED))
        .hasMessageContaining("reviewer 'Rita' made 30 refused attempts within PT1M; further actions are refused until");
    assertThat(refused("rate_limited")).isEqualTo(1);
    assertThat(service.attempts(id)).hasSize(30);
    reviewers.as(RAJ, () -> service.approve(id, WHY)); // others are not limited

    clock.advance(Duration.ofMinutes(1));
    reviewers.as(RITA, () -> service.approve(id, WHY));
    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void thePolicyIsValidatedAndSetOnce() {
    assertThatThrownBy(() -> RationalePolicy.ofDefaults().withMaxBytes(5))
        .hasMessageContaining("maxBytes must be >= minVisible (10) but was 5");
    assertThatThrownBy(() -> ApprovalService.builder().reviewers(reviewers).minRationaleLength(5)
        .rationale(RationalePolicy.ofDefaults()).build())
        .hasMessageContaining("rationale(...) or minRationaleLength(...), not both");
  }
}
