package dev.aims.core.monitor;

import dev.aims.core.event.AimsEvent;
import dev.aims.core.policy.DecisionBoundary;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The drift and fairness monitors of one AI system. {@code Aims} creates one per system configured
 * with {@code Aims.builder().monitor(...)}, feeds it after every decision whose model returned an
 * output, and hands it late labels; read it with {@code aims.monitor(systemId)}.
 *
 * <p>Recording is lock-free and allocation-free for drift (fairness with late labels adds one
 * cache entry per decision). Statistics are recomputed at most once per
 * {@link MonitorConfig#evaluationInterval()}, on the executor given at creation, and the Micrometer
 * gauges read the last figures. Alarm changes are handed to the event sink as
 * {@link dev.aims.core.event.DriftEvent}s.
 *
 * <p>A monitor can also be used on its own, e.g. for a model outside the governed path: create it
 * with {@link #create} and call {@link #record}.
 */
public interface Monitor extends MeterBinder {
  /** The id of the built-in boundary that turns ALLOW into REVIEW while a drift alarm is on. */
  String DRIFT_REVIEW_BOUNDARY = "aims.drift-review";

  /**
   * @param clock times windows and expiries
   * @param executor runs the periodic evaluation off the recording path
   * @param events receives {@code drift.alarm.raised}/{@code .cleared}; must not throw
   */
  static Monitor create(String system, MonitorConfig config, Clock clock, Executor executor,
      Consumer<? super AimsEvent> events) {
    return new SystemMonitor(system, config, clock, executor, events);
  }

  String system();

  MonitorConfig config();

  /**
   * Records one decision: each monitored input feature from {@code features} (numbers as
   * {@code Double}, categories as {@code String}; anything else, absent, NaN or infinite counts as
   * missing), each output feature from {@code output}, and the protected attribute's group with
   * the prediction for fairness. May trigger a periodic evaluation on the executor.
   */
  void record(UUID decisionId, Map<String, ?> features, @Nullable Object output,
      Map<String, String> protectedAttributes);

  /** Whether a late label for this decision would be taken: it is pending (labelled or not). */
  boolean awaitsLabel(UUID decisionId);

  /**
   * A late label: the actual outcome of a decision recorded earlier. Labelled once; a second label
   * is a {@link FeedbackResult#DUPLICATE} and changes nothing.
   *
   * @throws IllegalArgumentException if the fairness configuration cannot tell whether
   *     {@code actualOutcome} is favourable
   */
  FeedbackResult feedback(UUID decisionId, Object actualOutcome);

  /** Recomputes every figure now, on the calling thread (tests, or before a report). */
  void evaluateNow();

  /** The latest drift figures of every feature, in configuration order. */
  List<DriftReport> drift();

  /** @throws IllegalArgumentException if no such feature is monitored */
  DriftReport drift(String feature);

  /** The latest fairness figures, if fairness is configured. */
  Optional<FairnessReport> fairness();

  /**
   * The feature's figures over the whole fleet (scope {@code fleet}), from every instance's window
   * summary published within {@link FleetConfig#staleAfter()}; empty without fleet monitoring,
   * before the first fleet round, and for features whose reference is not fixed (first decisions,
   * rolling), whose bins differ per instance.
   *
   * @throws IllegalArgumentException if no such feature is monitored
   */
  Optional<DriftReport> fleetDrift(String feature);

  /** The fairness figures over the whole fleet, if fairness and fleet monitoring are configured. */
  Optional<FairnessReport> fleetFairness();

  /** How current this instance's fleet figures are, if fleet monitoring is configured. */
  Optional<FleetStatus> fleetStatus();

  /** Whether any drift alarm of the system is on. */
  boolean driftAlarm();

  /**
   * The feature's frozen reference, to write with {@link DriftSnapshot#write} and load later with
   * {@link Reference#snapshot(java.nio.file.Path)}; empty while a first-decisions reference fills,
   * and for rolling references.
   *
   * @throws IllegalArgumentException if no such feature is monitored
   */
  Optional<DriftSnapshot> snapshot(String feature);

  /** The drift review boundary, when {@link MonitorConfig#reviewOnDrift()} is on and drift is monitored. */
  Optional<DecisionBoundary> reviewBoundary();

  /**
   * Estimated heap held by the monitor, in parts: each drift feature by name, the fairness monitor
   * as {@code fairness:<attribute>} (its pending-label cache included), and the system monitor's own
   * objects as {@code monitor:<system>}; their sum is the monitor's heap (docs/monitoring.md, checked
   * against heap measurements by {@code MonitorHeapTest}).
   */
  Map<String, Long> estimatedBytes();
}
