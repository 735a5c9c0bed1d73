package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class InstrumentationTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .build();
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();

  Aims.Builder builder() {
    return Aims.builder()
        .register(creditScoring())
        .policy("credit-scoring", DecisionPolicy.of("p",
            NumericThreshold.onFeature("large-loan", "amount").above(50_000, Verdict.DENY)))
        .decisionLog(log)
        .openTelemetry(otel);
  }

  @Test
  void decisionsAreCountedByVerdictAndOutcomeAndTimed() {
    Aims aims = builder().meterRegistry(registry).build();
    for (int i = 0; i < 3; i++) {
      aims.system("credit-scoring").useCase("score").input(applicant(10)).feature("amount", 10).call(Fixtures::score);
    }
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(applicant(60_000))
        .feature("amount", 60_000).call(Fixtures::score)).isInstanceOf(DecisionDeniedException.class);

    assertThat(registry.get(AimsMetricNames.DECISIONS)
        .tags("system", "credit-scoring", "verdict", "allow", "outcome", "allowed").counter().count()).isEqualTo(3);
    assertThat(registry.get(AimsMetricNames.DECISIONS)
        .tags("system", "credit-scoring", "verdict", "deny", "outcome", "denied").counter().count()).isEqualTo(1);
    assertThat(registry.get(AimsMetricNames.DECISION_DURATION).tag("outcome", "allowed").timer().count()).isEqualTo(3);
    assertThat(registry.get(AimsMetricNames.MODEL_DURATION).tag("outcome", "success").timer().count()).isEqualTo(3);
    assertThat(registry.get(AimsMetricNames.LOG_APPENDS).counter().count()).isEqualTo(4);
    assertThat(registry.get(AimsMetricNames.APPROVALS_WAITING).gauge().value()).isZero();
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getName()).startsWith("aims.");
      assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getValue()).doesNotContain("@", "jane"));
    }
  }

  @Test
  void theStopSwitchAndLogFailuresAreMetersFromTheStartSoAlertsCanSeeThem() {
    Aims aims = builder().meterRegistry(registry).build();
    assertThat(registry.get(AimsMetricNames.LOG_FAILURES).tag("system", "credit-scoring").counter().count())
        .as("the log failure counter exists at zero before the first failure").isZero();
    Gauge stopped = registry.get(AimsMetricNames.SYSTEM_STOPPED).tag("system", "credit-scoring").gauge();
    assertThat(stopped.value()).isZero();
    aims.stop("credit-scoring", "incident 7", Actor.of("carol", "AIMS_ADMIN"));
    assertThat(stopped.value()).isEqualTo(1);
    aims.resume("credit-scoring", "fixed", Actor.of("carol", "AIMS_ADMIN"));
    assertThat(stopped.value()).isZero();
  }

  /** A registry whose meters all fail, as a misconfigured or broken backend might. */
  static final class ThrowingRegistry extends SimpleMeterRegistry {
    @Override
    protected Counter newCounter(Meter.Id id) {
      throw new IllegalStateException("backend down");
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      throw new IllegalStateException("backend down");
    }
  }

  @Test
  void aMeterRegistryThatThrowsNeverBreaksTheCall() {
    Aims aims = builder().meterRegistry(new ThrowingRegistry()).build();

    for (int i = 0; i < 3; i++) {
      Decision<Score> d = aims.system("credit-scoring").useCase("score").input(applicant(10)).feature("amount", 10)
          .call(Fixtures::score);
      assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    }
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(3);
  }

  @Test
  void eachCallHasASpanWithGenAiAttributesAndItsIdsAreInTheRecord() {
    Aims aims = builder().build();

    Decision<Score> d = aims.system("credit-scoring").useCase("score").input(applicant(10)).feature("amount", 10)
        .invoke(a -> ModelResult.of(score(a)).withUsage(TokenUsage.of(12, 3))
            .withResponseModel(SCORER));

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("predict scorer");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("predict");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("acme");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("scorer");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("scorer");
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12);
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(3);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.decision.id"))).isEqualTo(d.id().toString());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.verdict"))).isEqualTo("ALLOW");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.input"))).isNull();
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.output"))).isNull();
    DecisionEvent recorded = log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).get(0);
    assertThat(recorded.traceId()).isEqualTo(span.getTraceId());
    assertThat(recorded.spanId()).isEqualTo(span.getSpanId());
  }

  @Test
  void theModelCallRunsInsideTheSpan() {
    Aims aims = builder().build();
    String[] inner = new String[1];
    aims.system("credit-scoring").useCase("score").input(applicant(10)).feature("amount", 10).call(a -> {
      inner[0] = io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId();
      return score(a);
    });
    assertThat(inner[0]).isEqualTo(spans.getFinishedSpanItems().get(0).getSpanId());
  }

  @Test
  void contentGoesOnSpansOnlyWhenOptedInAndThenRedacted() {
    Aims aims = builder().captureContentOnSpans(true).redactor(Redactor.maskFields("input.email")).build();
    aims.system("credit-scoring").useCase("score").input(applicant(10)).feature("amount", 10).call(Fixtures::score);

    String input = spans.getFinishedSpanItems().get(0).getAttributes().get(AttributeKey.stringKey("aims.input"));
    assertThat(input).contains("\"amount\":10").contains("[masked]").doesNotContain("jane.doe");
  }

  @Test
  void aDeniedDecisionMarksTheSpanAsAnError() {
    Aims aims = builder().build();
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("score").input(applicant(60_000))
        .feature("amount", 60_000).call(Fixtures::score)).isInstanceOf(DecisionDeniedException.class);
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.outcome"))).isEqualTo("denied");
  }

  @Test
  void withoutRegistryOrOpenTelemetryTheCoreRunsAlone() {
    Aims aims = Aims.builder().register(creditScoring()).build();
    assertThat(aims.system("credit-scoring").useCase("score").input(applicant(1)).call(Fixtures::score).outcome())
        .isEqualTo(Outcome.ALLOWED);
  }
}
