package dev.aims.core;

import dev.aims.core.policy.Reason;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A governed decision whose output may be acted upon: ALLOWED by the boundaries, or APPROVED or
 * OVERRIDDEN by a reviewer. (Denied, rejected, refused and failed decisions are thrown as named
 * exceptions instead, and are in the log all the same.)
 *
 * @param verdict what the boundaries said
 * @param output the model's output, or the reviewer's replacement when OVERRIDDEN
 * @param reasons the REVIEW reasons, if any
 * @param latency the whole governed call, including any wait for a reviewer
 * @param modelLatency the model call alone
 * @param review the human review, when there was one
 */
public record Decision<O>(
    UUID id,
    String system,
    String useCase,
    Verdict verdict,
    Outcome outcome,
    O output,
    List<Reason> reasons,
    @Nullable ModelRef model,
    @Nullable ModelRef responseModel,
    String policyVersion,
    Duration latency,
    Duration modelLatency,
    @Nullable TokenUsage usage,
    @Nullable ReviewOutcome review) {

  public Decision {
    reasons = List.copyOf(reasons);
  }
}
