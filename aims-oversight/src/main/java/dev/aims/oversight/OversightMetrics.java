package dev.aims.oversight;

import dev.aims.oversight.ApprovalRefusedException.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's meters. A registry that throws never breaks a review: logged once, then ignored. */
final class OversightMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(OversightMetrics.class);
  static final String UNKNOWN_SYSTEM = "unknown";

  private final @Nullable MeterRegistry registry;
  private final Clock clock;
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();

  OversightMetrics(@Nullable MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Registers the open and overdue request gauges of a system the first time the system is seen. */
  void track(String system, ApprovalStore store) {
    MeterRegistry r = registry;
    if (r == null || !gauged.add(system)) {
      return;
    }
    guard(() -> Gauge.builder(ApprovalMetricNames.APPROVALS_PENDING, store, s -> openCount(s, system))
        .description("Approval requests PENDING in the store")
        .tag(ApprovalMetricNames.TAG_SYSTEM, system)
        .strongReference(true)
        .register(r));
    guard(() -> Gauge.builder(ApprovalMetricNames.APPROVALS_OVERDUE, store, s -> overdueCount(s, system))
        .description("Approval requests PENDING past their deadline, not yet swept")
        .tag(ApprovalMetricNames.TAG_SYSTEM, system)
        .strongReference(true)
        .register(r));
  }

  private double openCount(ApprovalStore store, String system) {
    try {
      return store.openCount(system);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private double overdueCount(ApprovalStore store, String system) {
    try {
      return store.overdueCount(system, clock.instant());
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  void refused(@Nullable String system, Refusal refusal) {
    increment(ApprovalMetricNames.APPROVALS_REFUSED, system, refusal.tag());
  }

  void rubberStamp(String system) {
    increment(ApprovalMetricNames.RUBBER_STAMPS, system, null);
  }

  private void increment(String name, @Nullable String system, @Nullable String reason) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    String s = system == null ? UNKNOWN_SYSTEM : system;
    Counter c = counters.computeIfAbsent(name + '|' + s + '|' + reason, k -> guard(() -> {
      Counter.Builder b = Counter.builder(name).tag(ApprovalMetricNames.TAG_SYSTEM, s);
      if (reason != null) {
        b.tag(ApprovalMetricNames.TAG_REASON, reason);
      }
      return b.register(r);
    }));
    if (c != null) {
      try {
        c.increment();
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  private <T> @Nullable T guard(java.util.function.Supplier<T> meter) {
    try {
      return meter.get();
    } catch (RuntimeException e) {
      failed(e);
      return null;
    }
  }

  private void failed(RuntimeException e) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("AIMS could not update an oversight meter; reviews go on. Further failures are not logged.", e);
    }
  }
}
