package dev.aims.core.monitor;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One system monitor's connection to its fleet store, and how its last round went. */
final class FleetLink {
  private static final Logger LOG = LoggerFactory.getLogger(FleetLink.class);

  private final FleetConfig config;
  private final String system;
  private final AtomicBoolean warned = new AtomicBoolean();
  final LongAdder failures = new LongAdder();
  volatile boolean stale;
  volatile @Nullable Instant lastSuccess;
  volatile List<String> instances = List.of();
  volatile long mismatched;

  FleetLink(String system, FleetConfig config) {
    this.system = system;
    this.config = config;
  }

  FleetStore store() {
    return config.store();
  }

  String instance() {
    return config.instance();
  }

  FleetConfig config() {
    return config;
  }

  /** Counts a failure; the first is logged, later ones only counted. */
  void failed(String what, RuntimeException e) {
    failures.increment();
    if (warned.compareAndSet(false, true)) {
      LOG.warn("AIMS fleet monitoring of system '{}': {}; local figures go on, fleet figures are stale until the"
          + " store answers again. Further fleet failures are counted (aims.monitor.fleet.failures), not logged.",
          system, what, e);
    }
  }

  FleetStatus status(long notShared) {
    return new FleetStatus(stale, lastSuccess, instances, failures.sum(), mismatched, notShared);
  }
}
