package dev.aims.examples.loans;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A loan-decision REST service governed by AIMS. {@code POST /loans/decisions} scores an
 * application with a (deterministic, illustrative) credit model; AIMS logs every decision, sends
 * loans above 50,000 to a human reviewer, and publishes drift and fairness figures at
 * {@code /actuator/prometheus}. The AI system {@code loans} is configured in {@code application.yml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LoanServiceApplication {

  /** Starts the service; see README section "Loan service example" and docs/operations.md. */
  public static void main(String[] args) {
    SpringApplication.run(LoanServiceApplication.class, args);
  }
}
