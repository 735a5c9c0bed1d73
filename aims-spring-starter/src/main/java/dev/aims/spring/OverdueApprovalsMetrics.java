package dev.aims.spring;

import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauge {@value #NAME}: approval requests still PENDING after their tier's deadline, per system.
 * The expiry sweep ends such requests within its period, so a value above zero for longer than
 * that means the sweep is not running or not keeping up (the alert "approvals waiting past
 * deadline"). Counted from the store at each scrape; an unreadable store reports NaN.
 */
public final class OverdueApprovalsMetrics implements MeterBinder {
  /** The gauge's name. */
  public static final String NAME = "aims.approvals.overdue";
  private static final Logger LOG = LoggerFactory.getLogger(OverdueApprovalsMetrics.class);

  private final ApprovalService approvals;
  private final Collection<String> systems;
  private final Clock clock;

  public OverdueApprovalsMetrics(ApprovalService approvals, Collection<String> systems, Clock clock) {
    this.approvals = approvals;
    this.systems = List.copyOf(systems);
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String system : systems) {
      Gauge.builder(NAME, this, m -> m.overdue(system))
          .description("Approval requests pending past their deadline")
          .tag("system", system)
          .register(registry);
    }
  }

  double overdue(String system) {
    try {
      Instant now = clock.instant();
      long count = 0;
      UUID cursor = null;
      do {
        ApprovalPage page = approvals.list(ApprovalQuery.pending().system(system).after(cursor).limit(ApprovalQuery.MAX_LIMIT));
        for (ApprovalRequest r : page.items()) {
          if (r.deadline().isBefore(now)) {
            count++;
          }
        }
        cursor = page.next();
      } while (cursor != null);
      return count;
    } catch (RuntimeException e) {
      LOG.warn("AIMS: cannot count overdue approvals of system '{}': {}", system, e.toString());
      return Double.NaN;
    }
  }
}
