package dev.aims.benchmarks;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a caller pays for a governed call on the ALLOW path, beside what it pays without AIMS.
 *
 * <ul>
 *   <li>{@link #bareCall}: the model alone.
 *   <li>{@link #handWritten}: the instrumentation a user would write instead of AIMS: a Micrometer
 *       {@link Observation} (timer through {@link DefaultMeterObservationHandler}) and an
 *       OpenTelemetry span with the GenAI attributes, around the same call.
 *   <li>{@link #aims}: the same call through {@code Aims}, with the same kind of meter registry and
 *       tracer, one input boundary the input never trips, and an in-memory decision log.
 * </ul>
 *
 * Each benchmark runs in its own JVM (JMH forks per benchmark), so the three never share JIT
 * profiles or meters. Run it as described in {@code docs/performance.md}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 6, time = 6)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class GovernedCallBenchmark {
  static final String SYSTEM = "credit-scoring";
  static final String USE_CASE = "score";
  static final ModelRef MODEL = ModelRef.of("acme", "scorer", "2.1");

  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");

  /** Far above any amount the benchmark sends, so every call stays on the ALLOW path. */
  private static final double LARGE_LOAN = 50_000;

  private final CreditModel model = new CreditModel();
  // Not final, so the JIT cannot fold the input into a constant.
  private CreditModel.Applicant applicant = new CreditModel.Applicant(58_000, 12_000, 0.31);

  private OpenTelemetrySdk handOtel;
  private Tracer handTracer;
  private ObservationRegistry observations;

  private OpenTelemetrySdk aimsOtel;
  private InMemoryDecisionLog decisionLog;
  private Aims aims;

  @Setup(Level.Trial)
  public void setUp() {
    handOtel = tracing();
    handTracer = handOtel.getTracer("credit-app");
    observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));

    aimsOtel = tracing();
    decisionLog = InMemoryDecisionLog.keepingLast(1024);
    aims = Aims.builder()
        .register(AiSystem.builder(SYSTEM)
            .owner("risk-team")
            .riskTier(RiskTier.HIGH)
            .purpose("score consumer loan applications")
            .allowModel(MODEL)
            .build())
        .policy(SYSTEM, DecisionPolicy.of("2026-11",
            NumericThreshold.onFeature("large-loan", "amount").above(LARGE_LOAN, Verdict.REVIEW)))
        .meterRegistry(new SimpleMeterRegistry())
        .openTelemetry(aimsOtel)
        .decisionLog(decisionLog)
        .build();

    // Fail fast if the setup ever leaves the ALLOW path: the numbers would mean something else.
    Decision<CreditModel.Score> d = aims();
    if (d.verdict() != Verdict.ALLOW || d.outcome() != Outcome.ALLOWED || decisionLog.appendedCount() == 0) {
      throw new IllegalStateException("benchmark is not on the ALLOW path: " + d);
    }
    // ... and AIMS's span must be a recording SDK span, as the hand-written one is
    var last = (dev.aims.core.event.DecisionEvent) decisionLog.events().get(decisionLog.events().size() - 1);
    if (last.traceId() == null) {
      throw new IllegalStateException("AIMS's span is not recording; the comparison would be unfair");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aims.close();
    handOtel.close();
    aimsOtel.close();
  }

  /**
   * Spans are sampled and recorded, and each ended span is handed to a processor, as an exporter
   * would get it (the SDK skips recording altogether when no processor is registered). Nothing
   * leaves the process.
   */
  private static OpenTelemetrySdk tracing() {
    SpanProcessor endOnly = new SpanProcessor() {
      @Override
      public void onStart(io.opentelemetry.context.Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        ended++;
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).addSpanProcessor(endOnly).build())
        .build();
  }

  /** Ended spans, so the processor's work cannot be optimised away. */
  static volatile long ended;

  @Benchmark
  public CreditModel.Score bareCall() {
    return model.score(applicant);
  }

  @Benchmark
  public CreditModel.Score handWritten() {
    CreditModel.Applicant in = applicant;
    Span span = handTracer.spanBuilder("predict " + MODEL.name())
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(OPERATION, "predict")
        .setAttribute(PROVIDER, MODEL.provider())
        .setAttribute(REQUEST_MODEL, MODEL.name())
        .startSpan();
    Observation observation = Observation.createNotStarted("gen_ai.client.operation", observations)
        .lowCardinalityKeyValue("system", SYSTEM)
        .lowCardinalityKeyValue("gen_ai.operation.name", "predict")
        .lowCardinalityKeyValue("gen_ai.request.model", MODEL.name())
        .start();
    try (Scope ignored = span.makeCurrent(); Observation.Scope ignored2 = observation.openScope()) {
      CreditModel.Score score = model.score(in);
      span.setAttribute(RESPONSE_MODEL, MODEL.name());
      return score;
    } catch (RuntimeException e) {
      span.recordException(e);
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
      span.end();
    }
  }

  @Benchmark
  public Decision<CreditModel.Score> aims() {
    CreditModel.Applicant in = applicant;
    return aims.system(SYSTEM).useCase(USE_CASE)
        .input(in)
        .feature("income", in.income())
        .feature("amount", in.amount())
        .call(model::score);
  }
}
