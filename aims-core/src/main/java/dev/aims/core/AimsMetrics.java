package dev.aims.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AIMS's meters for one AI system. Meters are looked up once and cached, so the hot path is an
 * array read and an increment. A registry that throws never breaks a governed call: the failure
 * is logged once and the meter is tried again next time.
 */
final class AimsMetrics implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(AimsMetrics.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final Resolution[] RESOLUTIONS = Resolution.values();

  private final String system;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile @Nullable MeterRegistry registry;
  private final Counter[] decisions = new Counter[VERDICTS.length * OUTCOMES.length];
  private final Timer[] decisionDuration = new Timer[OUTCOMES.length];
  private final Timer[] modelDuration = new Timer[2];
  private final Timer[] approvalWait = new Timer[RESOLUTIONS.length];
  private @Nullable Counter logAppends;
  private @Nullable Counter logFailures;

  private final java.util.function.BooleanSupplier stopped;

  AimsMetrics(String system, java.util.function.BooleanSupplier stopped) {
    this.system = system;
    this.stopped = stopped;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    guard(
        () ->
            Gauge.builder(AimsMetricNames.APPROVALS_WAITING, pending, AtomicInteger::get)
                .description("Governed calls of this instance waiting for a review")
                .tag(AimsMetricNames.TAG_SYSTEM, system)
                .register(registry));
    guard(
        () ->
            Gauge.builder(AimsMetricNames.SYSTEM_STOPPED, stopped, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while the system's stop switch is engaged, else 0")
                .tag(AimsMetricNames.TAG_SYSTEM, system)
                .register(registry));
    // registered at zero, so that the first failure after a start is an increase a rate() alert can see
    logFailures = guard(() -> Counter.builder(AimsMetricNames.LOG_FAILURES).tag(AimsMetricNames.TAG_SYSTEM, system)
        .register(registry));
  }

  void decided(Verdict verdict, Outcome outcome, long nanos) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    int i = verdict.ordinal() * OUTCOMES.length + outcome.ordinal();
    Counter c = decisions[i];
    if (c == null) {
      c = decisions[i] = guard(() -> Counter.builder(AimsMetricNames.DECISIONS)
          .description("Governed AI decisions")
          .tags(AimsMetricNames.TAG_SYSTEM, system,
              AimsMetricNames.TAG_VERDICT, verdict.name().toLowerCase(java.util.Locale.ROOT),
              AimsMetricNames.TAG_OUTCOME, outcome.tag())
          .register(r));
    }
    Timer t = decisionDuration[outcome.ordinal()];
    if (t == null) {
      t = decisionDuration[outcome.ordinal()] = guard(() -> Timer.builder(AimsMetricNames.DECISION_DURATION)
          .description("Whole governed call, review wait included")
          .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_OUTCOME, outcome.tag())
          .register(r));
    }
    try {
      if (c != null) {
        c.increment();
      }
      if (t != null) {
        t.record(nanos, TimeUnit.NANOSECONDS);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void modelCalled(boolean success, long nanos) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    int i = success ? 0 : 1;
    Timer t = modelDuration[i];
    if (t == null) {
      t = modelDuration[i] = guard(() -> Timer.builder(AimsMetricNames.MODEL_DURATION)
          .description("The model call alone")
          .tags(AimsMetricNames.TAG_SYSTEM, system, AimsMetricNames.TAG_OUTCOME, success ? "success" : "failure")
          .register(r));
    }
    record(t, nanos);
  }

  void reviewStarted() {
    pending.incrementAndGet();
  }

  void reviewEnded(@Nullable Resolution resolution, long nanos) {
    pending.decrementAndGet();
    MeterRegistry r = registry;
    if (r == null || resolution == null) {
      return;
    }
    Timer t = approvalWait[resolution.ordinal()];
    if (t == null) {
      t = approvalWait[resolution.ordinal()] = guard(() -> Timer.builder(AimsMetricNames.APPROVAL_WAIT)
          .description("Wait for a human review")
          .tags(AimsMetricNames.TAG_SYSTEM, system,
              AimsMetricNames.TAG_RESOLUTION, resolution.name().toLowerCase(java.util.Locale.ROOT))
          .register(r));
    }
    record(t, nanos);
  }

  void logAppended(boolean success) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    Counter c = success ? logAppends : logFailures;
    if (c == null) {
      String name = success ? AimsMetricNames.LOG_APPENDS : AimsMetricNames.LOG_FAILURES;
      c = guard(() -> Counter.builder(name).tag(AimsMetricNames.TAG_SYSTEM, system).register(r));
      if (success) {
        logAppends = c;
      } else {
        logFailures = c;
      }
    }
    if (c != null) {
      try {
        c.increment();
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  private static void record(@Nullable Timer t, long nanos) {
    if (t != null) {
      try {
        t.record(nanos, TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  private static <T> @Nullable T guard(Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      failed(e);
      return null;
    }
  }

  private static void failed(RuntimeException e) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("AIMS could not update a meter; governed calls go on without it. Further meter failures are not"
          + " logged.", e);
    }
  }
}
