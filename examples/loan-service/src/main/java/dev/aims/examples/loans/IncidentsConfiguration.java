package dev.aims.examples.loans;

import dev.aims.core.Aims;
import dev.aims.core.incident.Incidents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * AI incidents of the loan service (docs/operations.md has the runbooks): one is opened when the
 * stop switch is pressed, when a drift or fairness alarm fires, when reviewers reject or override
 * 5 loans within 10 minutes, and when boundaries deny 20 applications within 10 minutes. Their
 * gauges {@code aims.incidents.open} and {@code aims.incidents.overdue} feed the alert rules in
 * {@code examples/observability}. The starter does not make this bean yet, so the example does.
 */
@Configuration(proxyBeanMethods = false)
class IncidentsConfiguration {

  @Bean
  Incidents incidents(Aims aims, MeterRegistry registry) {
    return Incidents.builder(aims)
        .meterRegistry(registry)
        .openOnStopSwitch(true)
        .openOnDriftAlarm(true)
        .openOnInterventionSpike(5, Duration.ofMinutes(10))
        .openOnGuardrailDenials(20, Duration.ofMinutes(10))
        .build();
  }
}
