package dev.aims.oversight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request as a store holds it: the reviewers' view plus what only AIMS sees.
 *
 * @param actionJson the action the request is bound to, canonical JSON, unredacted (it is what runs)
 * @param overrideJson an override's output, canonical JSON, unredacted
 * @param approvedDigest the digest of the action that was approved (the override's for an override)
 * @param owner the instance whose caller waits for the request
 * @param ownerLease until when the owner vouches it is alive; after it, others settle the request
 * @param consumedAt when the approval was used (authorised or continued); an approval is used once
 * @param settled whether the end of the request was handed to a caller or settled as an orphan
 * @param attempts the in-memory store's record of reviewer actions (the PostgreSQL store keeps a table)
 * @param idempotencyKey the caller's key scoped by system, use case and requester, or null; one
 *     request per key
 */
record StoredRequest(
    ApprovalRequest request,
    String actionJson,
    @Nullable String overrideJson,
    @Nullable String approvedDigest,
    String owner,
    Instant ownerLease,
    @Nullable Instant consumedAt,
    boolean settled,
    List<ReviewAttempt> attempts,
    @Nullable String idempotencyKey) {

  /** The in-memory store keeps at most this many attempts per request (the newest); refusals are also counted. */
  static final int MAX_ATTEMPTS_KEPT = 64;

  StoredRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(actionJson, "actionJson");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(ownerLease, "ownerLease");
    attempts = List.copyOf(attempts);
  }

  static StoredRequest created(ApprovalRequest request, String actionJson, String owner, Instant lease,
      @Nullable String idempotencyKey) {
    return new StoredRequest(request, actionJson, null, null, owner, lease, null, false, List.of(), idempotencyKey);
  }

  StoredRequest with(ApprovalRequest next, @Nullable String override, @Nullable String digest) {
    return new StoredRequest(next, actionJson, override != null ? override : overrideJson,
        digest != null ? digest : approvedDigest, owner, ownerLease, consumedAt, settled, attempts, idempotencyKey);
  }

  StoredRequest withAttempt(ReviewAttempt attempt) {
    List<ReviewAttempt> more = new ArrayList<>(attempts.size() + 1);
    more.addAll(attempts.size() >= MAX_ATTEMPTS_KEPT ? attempts.subList(1, attempts.size()) : attempts);
    more.add(attempt);
    return new StoredRequest(request, actionJson, overrideJson, approvedDigest, owner, ownerLease, consumedAt,
        settled, more, idempotencyKey);
  }

  StoredRequest settledNow() {
    return new StoredRequest(request, actionJson, overrideJson, approvedDigest, owner, ownerLease, consumedAt,
        true, attempts, idempotencyKey);
  }

  StoredRequest consumed(Instant at) {
    return new StoredRequest(request, actionJson, overrideJson, approvedDigest, owner, ownerLease, at, settled,
        attempts, idempotencyKey);
  }

  /** This request now waited for by a caller of {@code newOwner} (a retry with the same idempotency key). */
  StoredRequest adoptedBy(String newOwner, Instant lease) {
    return new StoredRequest(request, actionJson, overrideJson, approvedDigest, newOwner, lease, consumedAt, settled,
        attempts, idempotencyKey);
  }

  /** The same new request made {@code by} later, its lease too. */
  StoredRequest shifted(java.time.Duration by) {
    return new StoredRequest(request.shifted(by), actionJson, overrideJson, approvedDigest, owner, ownerLease.plus(by),
        consumedAt, settled, attempts, idempotencyKey);
  }

  /** The JSON of the action that runs if approved: the override's output, else the proposed action. */
  String approvedActionJson() {
    return overrideJson != null ? overrideJson : actionJson;
  }
}
