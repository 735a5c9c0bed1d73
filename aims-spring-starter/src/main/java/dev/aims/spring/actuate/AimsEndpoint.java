package dev.aims.spring.actuate;

import dev.aims.core.AiSystem;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.logging.Checkpoint;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.PostgresDecisionLog;
import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code aims} actuator endpoint ({@code GET /actuator/aims} when exposed): the AI system
 * register with each system's policy version, stop switch and pending approval count; the decision
 * log's health (failure, last checkpoint, lag and failure count from the meters); and the total of
 * pending approvals. Read-only: the stop switch is pressed through the approvals API, which records
 * who did it.
 */
@Endpoint(id = "aims")
public final class AimsEndpoint {
  /** Pending requests are counted a page at a time up to this many per system. */
  static final int MAX_COUNTED = 50_000;

  private final Aims aims;
  private final @Nullable ApprovalService approvals;
  private final @Nullable DecisionLog log;
  private final @Nullable MeterRegistry meters;

  /**
   * @param aims the governed systems
   * @param approvals where pending approvals are counted; null if there is no approval service
   * @param log the decision log whose health is shown; null if unknown
   * @param meters where the log's lag and failure meters are read; null if there is no registry
   */
  public AimsEndpoint(Aims aims, @Nullable ApprovalService approvals, @Nullable DecisionLog log,
      @Nullable MeterRegistry meters) {
    this.aims = Objects.requireNonNull(aims, "aims");
    this.approvals = approvals;
    this.log = log;
    this.meters = meters;
  }

  /** The whole report, as JSON-friendly maps, lists, strings and numbers. */
  @ReadOperation
  public Map<String, @Nullable Object> report() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    List<Map<String, @Nullable Object>> systems = new ArrayList<>();
    long pendingTotal = 0;
    boolean anyCapped = false;
    for (AiSystem s : aims.register().systems()) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("id", s.id());
      m.put("name", s.name());
      m.put("owner", s.owner());
      m.put("purpose", s.purpose());
      m.put("riskTier", s.riskTier().name());
      List<String> models = new ArrayList<>();
      for (ModelRef model : s.allowedModels()) {
        models.add(model.toString());
      }
      models.sort(null);
      m.put("allowedModels", models);
      m.put("anyModel", s.anyModel());
      m.put("onLogFailure", s.onLogFailure().name());
      m.put("reviewCadence", s.reviewCadence().toString());
      m.put("policyVersion", aims.policy(s.id()).version());
      m.put("stopped", aims.isStopped(s.id()));
      if (approvals != null) {
        long[] counted = countPending(approvals, s.id());
        m.put("pendingApprovals", counted[0]);
        if (counted[1] != 0) {
          m.put("pendingApprovalsCountedUpTo", MAX_COUNTED);
          anyCapped = true;
        }
        pendingTotal += counted[0];
      }
      systems.add(m);
    }
    out.put("systems", systems);
    out.put("log", log());
    Map<String, @Nullable Object> pending = new LinkedHashMap<>();
    pending.put("pending", approvals == null ? null : pendingTotal);
    if (anyCapped) {
      pending.put("atLeast", true);
    }
    out.put("approvals", pending);
    return out;
  }

  private Map<String, @Nullable Object> log() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    if (log == null) {
      m.put("type", null);
      m.put("failure", null);
    } else {
      m.put("type", log.getClass().getSimpleName());
      m.put("failure", log.failure().orElse(null));
      Checkpoint last = null;
      if (log instanceof FileDecisionLog file) {
        m.put("stream", file.stream());
        m.put("durability", file.durability().name());
        last = file.lastCheckpoint().orElse(null);
      } else if (log instanceof PostgresDecisionLog pg) {
        m.put("stream", pg.stream());
        m.put("durability", pg.durability().name());
        last = pg.lastCheckpoint().orElse(null);
      }
      m.put("lastCheckpoint", last == null ? null : checkpoint(last));
    }
    if (meters != null) {
      double lag = 0;
      boolean lagSeen = false;
      for (Gauge g : meters.find(AimsMetricNames.LOG_LAG).gauges()) {
        lag += g.value();
        lagSeen = true;
      }
      double failures = 0;
      boolean failuresSeen = false;
      for (Counter c : meters.find(AimsMetricNames.LOG_FAILURES).counters()) {
        failures += c.count();
        failuresSeen = true;
      }
      m.put("lag", lagSeen ? (long) lag : null);
      m.put("failures", failuresSeen ? (long) failures : 0L);
    }
    return m;
  }

  private static Map<String, @Nullable Object> checkpoint(Checkpoint c) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("stream", c.stream());
    m.put("seq", c.seq());
    m.put("ts", c.ts());
    m.put("toSeq", c.toSeq());
    m.put("count", c.count());
    m.put("head", c.head());
    m.put("signed", c.signature() != null);
    return m;
  }

  /** {count, 1 if the count stopped at the cap}. */
  private static long[] countPending(ApprovalService approvals, String system) {
    long n = 0;
    UUID after = null;
    do {
      ApprovalPage page = approvals.list(ApprovalQuery.pending().system(system).after(after).limit(ApprovalQuery.MAX_LIMIT));
      n += page.items().size();
      after = page.next();
    } while (after != null && n < MAX_COUNTED);
    return new long[] {n, after != null ? 1 : 0};
  }
}
