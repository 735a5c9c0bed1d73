package dev.aims.oversight;

import dev.aims.core.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** An in-memory store that says whether it was closed and can be made to fail its writes. */
final class ObservedStore extends ApprovalStore {
  private final ApprovalStore inner = ApprovalStore.inMemory();
  volatile boolean closed;
  volatile @Nullable Supplier<RuntimeException> failApply;

  @Override void open(Clock clock, String instance, ChangeListener changes) { inner.open(clock, instance, changes); }
  @Override StoredRequest create(StoredRequest request) { return inner.create(request); }
  @Override boolean adopt(UUID id, String owner, Instant lease) { return inner.adopt(id, owner, lease); }
  @Override List<StoredRequest> abandoned(Instant now, int limit) { return inner.abandoned(now, limit); }
  @Override @Nullable StoredRequest find(UUID id) { return inner.find(id); }
  @Override ApprovalPage list(ApprovalQuery query) { return inner.list(query); }
  @Override List<ReviewAttempt> attempts(UUID id) { return inner.attempts(id); }

  @Override
  Lifecycle.@Nullable Step apply(UUID id, BiFunction<StoredRequest, Instant, Lifecycle.Step> rule) {
    Supplier<RuntimeException> f = failApply;
    if (f != null) {
      throw f.get();
    }
    return inner.apply(id, rule);
  }

  @Override List<Lifecycle.Step> sweep(Instant now, int limit) { return inner.sweep(now, limit); }
  @Override List<UUID> pendingOf(String system) { return inner.pendingOf(system); }
  @Override long openCount(String system) { return inner.openCount(system); }
  @Override long overdueCount(String system, Instant now) { return inner.overdueCount(system, now); }
  @Override boolean settle(UUID id) { return inner.settle(id); }
  @Override boolean settleOrphan(UUID id) { return inner.settleOrphan(id); }
  @Override List<StoredRequest> settleEnded(Collection<UUID> ids) { return inner.settleEnded(ids); }
  @Override boolean consume(UUID id, Instant now) { return inner.consume(id, now); }
  @Override List<StoredRequest> unsettled(Instant now, int limit) { return inner.unsettled(now, limit); }
  @Override void renewLeases(Instant until) { inner.renewLeases(until); }
  @Override void releaseLeases() { inner.releaseLeases(); }
  @Override List<UUID> ended(List<UUID> ids) { return inner.ended(ids); }
  @Override List<SystemControl> controls() { return inner.controls(); }

  @Override
  SystemControl press(String system, boolean stop, String reason, Actor actor, Instant at, String instance,
      long expectedVersion) {
    return inner.press(system, stop, reason, actor, at, instance, expectedVersion);
  }

  @Override
  public void close() {
    closed = true;
    inner.close();
  }
}
