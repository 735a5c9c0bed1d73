package dev.aims.core.incident;

import dev.aims.core.Actor;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.Outcome;
import dev.aims.core.Verdict;
import dev.aims.core.policy.Reason;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.DriftEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.IncidentEvent;
import dev.aims.core.event.SystemEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The AI incidents of one {@link Aims} instance: open one from code, or let a trigger open it (a
 * stop-switch press, a drift alarm, a spike of rejections and overrides, a burst of guardrail
 * denials); classify it, link
 * decisions, report it to the authority, close it with the corrective action. Every step is
 * appended to the instance's decision log ({@code incident.*} events). A serious incident has a
 * deadline from its {@link ReportCategory}, counted on the instance's clock from when it was opened.
 *
 * <pre>{@code
 * Incidents incidents = Incidents.builder(aims).meterRegistry(registry).build();
 * Incident i = incidents.open("credit-scoring", IncidentKind.BIASED_OUTPUT, "refusals doubled for one group",
 *     Actor.of("olga", "AIMS_ADMIN"), List.of(decisionId));
 * incidents.classify(i.id(), ReportCategory.SERIOUS, olga);
 * incidents.reported(i.id(), "MSA-2026-0042", olga);
 * incidents.close(i.id(), "model 2.1 rolled back to 2.0", olga);
 * }</pre>
 *
 * Only open incidents are held in memory (closed ones are in the log), so memory is bounded by
 * how many are open at once.
 */
public final class Incidents {
  /** The boundary name of the stop switch's DENY reasons (see CallState). */
  /** Opens incidents automatically. Defaults: stop switch and drift alarms on, the spike off. */
  public static final class Builder {
    private final Aims aims;
    private @Nullable MeterRegistry registry;
    private @Nullable Clock clock;
    private boolean onStopSwitch = true;
    private boolean onDriftAlarm = true;
    private int spikeCount;
    private @Nullable Duration spikeWindow;
    private int denialCount;
    private @Nullable Duration denialWindow;

    private Builder(Aims aims) {
      this.aims = Objects.requireNonNull(aims, "aims");
    }

    /** Publishes {@code aims.incidents.open} and {@code aims.incidents.overdue}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock for deadlines; the instance's own by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder openOnStopSwitch(boolean open) {
      this.onStopSwitch = open;
      return this;
    }

    public Builder openOnDriftAlarm(boolean open) {
      this.onDriftAlarm = open;
      return this;
    }

    /**
     * Opens an {@link IncidentKind#OVERSIGHT_SPIKE} incident when {@code count} decisions of one
     * system end rejected or overridden within {@code window}.
     */
    public Builder openOnInterventionSpike(int count, Duration window) {
      checkBurst("openOnInterventionSpike", count, window);
      this.spikeCount = count;
      this.spikeWindow = window;
      return this;
    }

    /**
     * Opens an {@link IncidentKind#GUARDRAIL_DENIALS} incident when {@code count} decisions of one
     * system are denied by a decision boundary within {@code window} (denials by the stop switch
     * do not count: pressing it opens its own incident).
     */
    public Builder openOnGuardrailDenials(int count, Duration window) {
      checkBurst("openOnGuardrailDenials", count, window);
      this.denialCount = count;
      this.denialWindow = window;
      return this;
    }

    private static void checkBurst(String setting, int count, @Nullable Duration window) {
      if (count < 2) {
        throw new IllegalArgumentException(setting + " count must be at least 2 but was " + count);
      }
      if (window == null || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException(setting + " window must be positive but was " + window);
      }
    }

    public Incidents build() {
      Incidents incidents = new Incidents(this);
      aims.addEventListener(incidents::observe);
      MeterRegistry r = registry;
      if (r != null) {
        Gauge.builder(AimsMetricNames.INCIDENTS_OPEN, incidents, i -> i.openIncidents().size())
            .description("AI incidents open").register(r);
        Gauge.builder(AimsMetricNames.INCIDENTS_OVERDUE, incidents, i -> i.overdue().size())
            .description("Serious AI incidents not reported to the authority by their deadline").register(r);
      }
      return incidents;
    }
  }

  private final Aims aims;
  private final Clock clock;
  private final boolean onStopSwitch;
  private final boolean onDriftAlarm;
  private final int spikeCount;
  private final @Nullable Duration spikeWindow;
  private final int denialCount;
  private final @Nullable Duration denialWindow;
  private final Map<UUID, Incident> open = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> interventions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> denials = new ConcurrentHashMap<>();

  private Incidents(Builder b) {
    this.aims = b.aims;
    this.clock = b.clock != null ? b.clock : b.aims.clock();
    this.onStopSwitch = b.onStopSwitch;
    this.onDriftAlarm = b.onDriftAlarm;
    this.spikeCount = b.spikeCount;
    this.spikeWindow = b.spikeWindow;
    this.denialCount = b.denialCount;
    this.denialWindow = b.denialWindow;
  }

  public static Builder builder(Aims aims) {
    return new Builder(aims);
  }

  /**
   * Opens an incident of a registered system and records {@code incident.opened}.
   *
   * @throws dev.aims.core.UnknownSystemException if the system is not registered
   */
  public Incident open(String system, IncidentKind kind, String summary, Actor openedBy, List<UUID> decisions) {
    Objects.requireNonNull(openedBy, "openedBy");
    return open(system, kind, summary, openedBy, null, decisions);
  }

  private synchronized Incident open(String system, IncidentKind kind, String summary, @Nullable Actor by,
      @Nullable String trigger, List<UUID> decisions) {
    aims.register().get(Objects.requireNonNull(system, "system"));
    Objects.requireNonNull(kind, "kind");
    if (summary == null || summary.isBlank()) {
      throw new IllegalArgumentException("an incident needs a summary saying what happened");
    }
    Incident i = new Incident(UUID.randomUUID(), system, kind, summary, clock.instant(), by, trigger, decisions,
        null, null, null, null, null, null, null);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("summary", summary);
    if (trigger != null) {
      d.put("trigger", trigger);
    }
    d.put("decision_ids", i.decisions().stream().map(UUID::toString).toList());
    step(EventTypes.INCIDENT_OPENED, i, by, d);
    open.put(i.id(), i);
    return i;
  }

  /** Classifies an open incident as not serious: no report is due. */
  public synchronized Incident classifyNotSerious(UUID id, Actor by) {
    Incident i = require(id);
    if (i.reportedAt() != null) {
      throw new IllegalStateException("incident " + id + " was reported to the authority; it stays serious");
    }
    Incident c = new Incident(i.id(), i.system(), i.kind(), i.summary(), i.openedAt(), i.openedBy(), i.trigger(),
        i.decisions(), false, null, null, null, null, null, null);
    step(EventTypes.INCIDENT_CLASSIFIED, c, Objects.requireNonNull(by, "by"), Map.of("serious", false));
    open.put(id, c);
    return c;
  }

  /** Classifies an open incident as serious: its report is due {@code category.deadline()} after it was opened. */
  public synchronized Incident classify(UUID id, ReportCategory category, Actor by) {
    Incident i = require(id);
    Objects.requireNonNull(category, "category");
    Instant deadline = i.openedAt().plus(category.deadline());
    Incident c = new Incident(i.id(), i.system(), i.kind(), i.summary(), i.openedAt(), i.openedBy(), i.trigger(),
        i.decisions(), true, category, deadline, i.reportedAt(), i.reportReference(), null, null);
    step(EventTypes.INCIDENT_CLASSIFIED, c, Objects.requireNonNull(by, "by"),
        Map.of("serious", true, "category", category.name(), "deadline", deadline.toString()));
    open.put(id, c);
    return c;
  }

  /** Links more decisions to an open incident. */
  public synchronized Incident link(UUID id, List<UUID> decisions, Actor by) {
    Incident i = require(id);
    List<UUID> all = new ArrayList<>(i.decisions());
    decisions.stream().filter(d -> !all.contains(d)).forEach(all::add);
    Incident c = new Incident(i.id(), i.system(), i.kind(), i.summary(), i.openedAt(), i.openedBy(), i.trigger(),
        all, i.serious(), i.category(), i.deadline(), i.reportedAt(), i.reportReference(), null, null);
    step(EventTypes.INCIDENT_LINKED, c, Objects.requireNonNull(by, "by"),
        Map.of("decision_ids", decisions.stream().map(UUID::toString).toList()));
    open.put(id, c);
    return c;
  }

  /** Records that a serious incident was reported to the authority, with the authority's reference. */
  public synchronized Incident reported(UUID id, String reference, Actor by) {
    Incident i = require(id);
    if (!Boolean.TRUE.equals(i.serious())) {
      throw new IllegalStateException("incident " + id + " is not classified serious; classify it before reporting");
    }
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("a report needs the authority's reference");
    }
    Instant now = clock.instant();
    Incident c = new Incident(i.id(), i.system(), i.kind(), i.summary(), i.openedAt(), i.openedBy(), i.trigger(),
        i.decisions(), true, i.category(), i.deadline(), now, reference, null, null);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("reference", reference);
    d.put("late", i.overdue(now));
    step(EventTypes.INCIDENT_REPORTED, c, Objects.requireNonNull(by, "by"), d);
    open.put(id, c);
    return c;
  }

  /**
   * Closes an incident with the corrective action taken. It must be classified, and a serious one
   * reported first.
   */
  public synchronized Incident close(UUID id, String correctiveAction, Actor by) {
    Incident i = require(id);
    if (i.serious() == null) {
      throw new IllegalStateException("incident " + id + " is not classified; classify it before closing");
    }
    if (i.serious() && i.reportedAt() == null) {
      throw new IllegalStateException("incident " + id + " is serious and not reported to the authority;"
          + " report it before closing");
    }
    if (correctiveAction == null || correctiveAction.isBlank()) {
      throw new IllegalArgumentException("closing an incident needs the corrective action taken");
    }
    Incident c = new Incident(i.id(), i.system(), i.kind(), i.summary(), i.openedAt(), i.openedBy(), i.trigger(),
        i.decisions(), i.serious(), i.category(), i.deadline(), i.reportedAt(), i.reportReference(), clock.instant(),
        correctiveAction);
    step(EventTypes.INCIDENT_CLOSED, c, Objects.requireNonNull(by, "by"), Map.of("corrective_action", correctiveAction));
    open.remove(id);
    return c;
  }

  public Optional<Incident> find(UUID id) {
    return Optional.ofNullable(open.get(id));
  }

  /** Open incidents, oldest first. */
  public List<Incident> openIncidents() {
    return open.values().stream().sorted(Comparator.comparing(Incident::openedAt)).toList();
  }

  /** Serious open incidents past their deadline and not reported, on the clock now. */
  public List<Incident> overdue() {
    Instant now = clock.instant();
    return openIncidents().stream().filter(i -> i.overdue(now)).toList();
  }

  private Incident require(UUID id) {
    Incident i = open.get(Objects.requireNonNull(id, "id"));
    if (i == null) {
      throw new IllegalArgumentException("no open incident " + id + " (closed ones are in the decision log)");
    }
    return i;
  }

  private void step(String type, Incident i, @Nullable Actor by, Map<String, Object> details) {
    aims.record(new IncidentEvent(type, clock.instant(), i.id(), i.system(), i.kind().name(), by, details));
  }

  // ---- triggers ----------------------------------------------------------------------------------

  private void observe(AimsEvent e) {
    if (onStopSwitch && e instanceof SystemEvent s && s.type().equals(EventTypes.SYSTEM_STOPPED)) {
      open(s.system(), IncidentKind.STOP_SWITCH, "stop switch pressed by " + s.actor().id() + ": " + s.reason(),
          null, "stop-switch", List.of());
    } else if (onDriftAlarm && e instanceof DriftEvent d && d.type().equals(EventTypes.DRIFT_ALARM_RAISED)) {
      String trigger = "drift:" + d.feature();
      boolean already = open.values().stream().anyMatch(i -> i.system().equals(d.system())
          && trigger.equals(i.trigger()));
      if (!already) {
        open(d.system(), IncidentKind.DRIFT, "drift alarm on " + d.feature() + " (" + d.statistic() + " "
            + d.value() + ", threshold " + d.threshold() + ")", null, trigger, List.of());
      }
    } else if (spikeWindow != null && e instanceof DecisionEvent d && d.type().equals(EventTypes.DECISION_FINAL)
        && (d.outcome() == Outcome.REJECTED || d.outcome() == Outcome.OVERRIDDEN)) {
      spike(d);
    } else if (denialWindow != null && e instanceof DecisionEvent d && d.type().equals(EventTypes.DECISION_FINAL)
        && d.verdict() == Verdict.DENY && deniedByBoundary(d)) {
      denied(d);
    }
  }

  private static boolean deniedByBoundary(DecisionEvent d) {
    return d.reasons().stream().anyMatch(r -> r.verdict() == Verdict.DENY && !Reason.STOP_SWITCH_BOUNDARY.equals(r.boundary()));
  }

  private void denied(DecisionEvent d) {
    Duration window = Objects.requireNonNull(denialWindow);
    if (burst(denials, d, denialCount, window)) {
      String boundaries = d.reasons().stream().filter(r -> r.verdict() == Verdict.DENY).map(r -> r.boundary())
          .distinct().collect(java.util.stream.Collectors.joining(", "));
      open(d.system(), IncidentKind.GUARDRAIL_DENIALS, denialCount + " decisions denied by decision boundaries"
          + " within " + window + " (last by " + boundaries + ")", null, "guardrail-denials", List.of(d.decisionId()));
    }
  }

  /** Adds the decision's time to its system's window; true (and the window emptied) when it holds {@code count}. */
  private static boolean burst(Map<String, Deque<Instant>> bySystem, DecisionEvent d, int count, Duration window) {
    Deque<Instant> times = bySystem.computeIfAbsent(d.system(), s -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(d.ts());
      while (!times.isEmpty() && times.peekFirst().isBefore(d.ts().minus(window))) {
        times.removeFirst();
      }
      if (times.size() >= count) {
        times.clear();
        return true;
      }
      return false;
    }
  }

  private void spike(DecisionEvent d) {
    Duration window = Objects.requireNonNull(spikeWindow);
    if (burst(interventions, d, spikeCount, window)) {
      open(d.system(), IncidentKind.OVERSIGHT_SPIKE, spikeCount + " decisions rejected or overridden within "
          + window, null, "intervention-spike", List.of(d.decisionId()));
    }
  }
}
