package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.ModelRef;
import dev.aims.core.Resolution;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The whole starter from application properties alone: the lead's auto-configuration builds AIMS,
 * the approval service and the reviewer context; the web and actuator auto-configurations serve them.
 */
@SpringBootTest(classes = AimsWebFromPropertiesTest.App.class, properties = {
    "aims.log.type=MEMORY",
    "aims.systems.loans.name=Loan decisions",
    "aims.systems.loans.owner=credit-risk team",
    "aims.systems.loans.purpose=Decide consumer loan applications",
    "aims.systems.loans.risk-tier=HIGH",
    "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1",
    "aims.systems.loans.policy-version=7",
    "aims.systems.loans.boundaries[0].id=large-loan",
    "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
    "aims.systems.loans.boundaries[0].feature=amount",
    "aims.systems.loans.boundaries[0].above=50000",
    "aims.systems.loans.review.tiers[0].role=LOAN_OFFICER",
    "aims.systems.loans.review.tiers[0].deadline=4h",
    "management.endpoints.web.exposure.include=health,aims",
    "management.endpoint.health.show-details=always"})
@AutoConfigureMockMvc
class AimsWebFromPropertiesTest {
  private static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("olivia").password("{noop}" + PASSWORD).roles("LOAN_OFFICER").build(),
          User.withUsername("alice").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build(),
          User.withUsername("carol").password("{noop}" + PASSWORD).roles("AIMS_ADMIN").build());
    }

    @Bean
    Requests requests() {
      return new Requests();
    }
  }

  @Autowired MockMvc mvc;
  @Autowired Aims aims;
  @Autowired Requests requests;

  @Test
  void a_tier_role_from_the_properties_may_review_and_the_default_reviewer_role_may_not() throws Exception {
    CompletableFuture<Decision<Object>> call = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        call.complete(aims.system("loans").useCase("credit").model(MODEL).input("applicant-1")
            .feature("amount", 75_000).requester("loan-service").call(in -> (Object) "offer"));
      } catch (Throwable e) {
        call.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    UUID id = requests.next();

    mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("olivia", PASSWORD)))
        .andExpect(status().isOk()).andExpect(jsonPath("$.requiredRole").value("LOAN_OFFICER"))
        .andExpect(jsonPath("$.policyVersion").value("7"));
    String body = "{\"rationale\": \"collateral valued by the bank\"}";
    mvc.perform(post("/aims/approvals/{id}/approve", id).contentType(MediaType.APPLICATION_JSON).content(body)
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isForbidden()).andExpect(jsonPath("$.refusal").value("MISSING_ROLE"));
    mvc.perform(post("/aims/approvals/{id}/approve", id).contentType(MediaType.APPLICATION_JSON).content(body)
            .with(httpBasic("olivia", PASSWORD)))
        .andExpect(status().isOk()).andExpect(jsonPath("$.request.decidedBy.id").value("olivia"));
    Decision<Object> decision = call.get(30, TimeUnit.SECONDS);
    assertThat(decision.review().resolution()).isEqualTo(Resolution.APPROVED);
    assertThat(decision.review().actor().id()).isEqualTo("olivia");
  }

  @Test
  void the_actuator_shows_the_aims_endpoint_and_health() throws Exception {
    mvc.perform(get("/actuator/aims").with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.systems[0].id").value("loans"))
        .andExpect(jsonPath("$.systems[0].riskTier").value("HIGH"))
        .andExpect(jsonPath("$.systems[0].policyVersion").value("7"))
        .andExpect(jsonPath("$.systems[0].stopped").value(false))
        .andExpect(jsonPath("$.systems[0].allowedModels[0]").value("acme:credit-scorer:3.1"))
        .andExpect(jsonPath("$.log.type").value("InMemoryDecisionLog"))
        .andExpect(jsonPath("$.approvals.pending").isNumber());
    mvc.perform(get("/actuator/health/aims").with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.details.highRiskSystems[0]").value("loans"));
  }
}
