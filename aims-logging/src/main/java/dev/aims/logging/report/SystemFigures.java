package dev.aims.logging.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** What the counted records of one AI system show. Read-only once the report is built. */
public final class SystemFigures {
  /** Kinds of human intervention, in the order a report lists them (event types, or a type and a resolution). */
  public static final String REVIEW_REQUESTED = "approval.requested";
  public static final String GRANTED = "approval.granted";
  public static final String REJECTED = "approval.rejected";
  /**
   * {@code approval.cancelled} with an actor (or, in logs written before that type, {@code approval.rejected}
   * with resolution CANCELLED and an actor): withdrawn by the stop switch, not a rejection.
   */
  public static final String CANCELLED_BY_STOP_SWITCH = "approval.cancelled by the stop switch";
  /** {@code approval.cancelled} (or old {@code approval.rejected}/CANCELLED) without actor: withdrawn, not a rejection. */
  public static final String CANCELLED_OTHER = "approval.cancelled without actor";
  public static final String OVERRIDDEN = "decision.overridden";
  public static final String ESCALATED = "approval.escalated";
  public static final String EXPIRED = "approval.expired";

  /** One press of the stop switch. */
  public record Press(Instant ts, long seq, boolean stopped, String actor, String role, String reason) {}

  /** The drift (or fairness) alarm of one feature over the counted records. */
  public record Alarm(String feature, String statistic, long raised, long cleared, boolean onAtEnd,
      @Nullable Instant firstRaised, double lastValue, double threshold) {}

  /** A register or policy change and what changed. */
  public record Change(Instant ts, long seq, String type, String summary) {}

  /** How often one kind of intervention happened and how many distinct people did it. */
  public record Intervention(String kind, long count, int people) {}

  final String system;
  final Map<String, Map<String, Long>> verdictOutcome = new TreeMap<>();
  final Map<String, Long> interventionCounts = new LinkedHashMap<>();
  final Map<String, Set<String>> interventionPeople = new LinkedHashMap<>();
  final Set<String> reviewers = new HashSet<>();
  final List<Press> presses = new ArrayList<>();
  final Map<String, Alarm> alarms = new TreeMap<>();
  final List<Change> changes = new ArrayList<>();
  final Map<String, Long> outcomeLabels = new TreeMap<>();
  long records;

  SystemFigures(String system) {
    this.system = system;
    for (String kind : List.of(REVIEW_REQUESTED, GRANTED, REJECTED, OVERRIDDEN, ESCALATED, EXPIRED,
        CANCELLED_BY_STOP_SWITCH, CANCELLED_OTHER)) {
      interventionCounts.put(kind, 0L);
      interventionPeople.put(kind, new HashSet<>());
    }
  }

  public String system() {
    return system;
  }

  /** Counted records of this system, of every type. */
  public long records() {
    return records;
  }

  /** {@code decision.final} records. */
  public long decisions() {
    return verdictOutcome.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> byVerdict() {
    Map<String, Long> m = new TreeMap<>();
    verdictOutcome.forEach((v, outcomes) -> outcomes.values().forEach(n -> m.merge(v, n, Long::sum)));
    return m;
  }

  public Map<String, Long> byOutcome() {
    Map<String, Long> m = new TreeMap<>();
    verdictOutcome.values().forEach(outcomes -> outcomes.forEach((o, n) -> m.merge(o, n, Long::sum)));
    return m;
  }

  /** {@code decision.final} records with this verdict and outcome. */
  public long decisions(String verdict, String outcome) {
    return verdictOutcome.getOrDefault(verdict, Map.of()).getOrDefault(outcome, 0L);
  }

  /** Every kind of intervention seen (the fixed kinds always, others such as vote events when they occur). */
  public List<Intervention> interventions() {
    List<Intervention> list = new ArrayList<>();
    interventionCounts.forEach((k, n) -> list.add(new Intervention(k, n, interventionPeople.get(k).size())));
    return list;
  }

  public long interventions(String kind) {
    return interventionCounts.getOrDefault(kind, 0L);
  }

  /** Distinct people who took this kind of action. */
  public int people(String kind) {
    Set<String> s = interventionPeople.get(kind);
    return s == null ? 0 : s.size();
  }

  /** Distinct reviewers over every review action (grants, rejections, overrides, escalations, votes). */
  public int reviewers() {
    return reviewers.size();
  }

  public List<Press> stopsAndResumes() {
    return Collections.unmodifiableList(presses);
  }

  public Map<String, Alarm> alarms() {
    return Collections.unmodifiableMap(alarms);
  }

  public List<Change> changes() {
    return Collections.unmodifiableList(changes);
  }

  /** {@code outcome.recorded} by status (recorded, duplicate). */
  public Map<String, Long> outcomeLabels() {
    return Collections.unmodifiableMap(outcomeLabels);
  }

  void intervention(String kind, @Nullable String person, boolean reviewer) {
    interventionCounts.merge(kind, 1L, Long::sum);
    Set<String> people = interventionPeople.computeIfAbsent(kind, k -> new HashSet<>());
    if (person != null) {
      people.add(person);
      if (reviewer) {
        reviewers.add(person);
      }
    }
  }
}
