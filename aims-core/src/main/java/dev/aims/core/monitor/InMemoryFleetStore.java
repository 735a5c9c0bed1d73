package dev.aims.core.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@link FleetStore#inMemory()}: one lock, plain maps. */
final class InMemoryFleetStore implements FleetStore {
  private static final class Entry {
    final PendingDecision decision;
    boolean labelled;

    Entry(PendingDecision decision) {
      this.decision = decision;
    }
  }

  private final Map<String, Map<UUID, Entry>> pending = new HashMap<>();
  private final Map<String, Map<String, List<WindowSummary>>> summaries = new HashMap<>();

  @Override
  public synchronized void putPending(String system, List<PendingDecision> decisions) {
    Map<UUID, Entry> m = pending.computeIfAbsent(system, s -> new HashMap<>());
    for (PendingDecision d : decisions) {
      m.putIfAbsent(d.decisionId(), new Entry(d));
    }
  }

  @Override
  public synchronized LabelClaim claimLabel(String system, UUID decisionId, @Nullable PendingDecision local,
      Instant now) {
    Map<UUID, Entry> m = pending.computeIfAbsent(system, s -> new HashMap<>());
    Entry e = m.get(decisionId);
    if (e == null && local != null) {
      e = new Entry(local);
      m.put(decisionId, e);
    }
    if (e == null || (local == null && !e.decision.expiresAt().isAfter(now))) {
      return LabelClaim.UNKNOWN;
    }
    if (e.labelled) {
      return LabelClaim.DUPLICATE;
    }
    e.labelled = true;
    return new LabelClaim(FeedbackResult.RECORDED, e.decision.group(), e.decision.predicted());
  }

  @Override
  public synchronized long expirePending(String system, Instant now) {
    Map<UUID, Entry> m = pending.get(system);
    if (m == null) {
      return 0;
    }
    int before = m.size();
    m.values().removeIf(e -> !e.decision.expiresAt().isAfter(now));
    return before - m.size();
  }

  @Override
  public synchronized void publish(String system, String instance, List<WindowSummary> s) {
    summaries.computeIfAbsent(system, k -> new HashMap<>()).put(instance, List.copyOf(s));
  }

  @Override
  public synchronized List<WindowSummary> summaries(String system) {
    List<WindowSummary> out = new ArrayList<>();
    summaries.getOrDefault(system, Map.of()).values().forEach(out::addAll);
    return out;
  }
}
