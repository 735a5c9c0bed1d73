package dev.aims.spring.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.aims.core.AimsException;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionLogException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.ModelOutputException;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.UnknownSystemException;
import dev.aims.core.Verdict;
import dev.aims.core.policy.Reason;
import dev.aims.logging.DecisionLogBackpressureException;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalStoreException;
import dev.aims.spring.AimsConfigurationException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Every AIMS exception that leaves an application's controller is a problem with the right status and the decision id. */
@SpringBootTest(classes = WebTestApplication.class)
@AutoConfigureMockMvc
@Import(AimsExceptionAdviceHttpTest.Throwing.class)
class AimsExceptionAdviceHttpTest {
  static final UUID ID = UUID.fromString("01a23ceb-2879-7000-b686-4ba964420b74");

  /** An application controller that throws the AIMS exception its path names, as a governed service would. */
  @RestController
  static class Throwing {
    @GetMapping("/app/{kind}")
    String call(@PathVariable String kind) {
      throw switch (kind) {
        case "denied" -> new DecisionDeniedException(ID, "loans",
            List.of(new Reason("large-loan", "1", Verdict.DENY, "amount 90000 above 50000")));
        case "rejected" -> new DecisionRejectedException(ID, "loans",
            ReviewOutcome.expired(Instant.parse("2026-01-01T00:00:00Z")));
        case "stopped" -> new DecisionRefusedException(DecisionRefusedException.Cause.SYSTEM_STOPPED,
            "system 'loans' is stopped", ID, null);
        case "log" -> new DecisionRefusedException(DecisionRefusedException.Cause.LOG_UNAVAILABLE,
            "the decision log cannot be written", ID, null);
        case "log-failure" -> new DecisionLogException("disk full", null);
        case "backpressure" -> new DecisionLogBackpressureException("log queue full");
        case "store" -> new ApprovalStoreException("store down", ID, null);
        case "output" -> new ModelOutputException(ID, "output is not JSON");
        case "approval" -> new ApprovalRefusedException(ApprovalRefusedException.Refusal.SELF_REVIEW, "own request", ID);
        case "unknown-system" -> new UnknownSystemException("loan", Set.of("loans"));
        case "configuration" -> new AimsConfigurationException("bad", "fix it");
        default -> new AimsException("something else");
      };
    }
  }

  @Autowired MockMvc mvc;

  private ResultActions call(String kind) throws Exception {
    return mvc.perform(get("/app/" + kind).with(user("ann")))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.instance").value("/app/" + kind));
  }

  @Test
  void a_deny_is_403_with_the_decision_id_and_reasons() throws Exception {
    call("denied").andExpect(status().isForbidden())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:decision-denied"))
        .andExpect(jsonPath("$.decisionId").value(ID.toString()))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("large-loan")));
  }

  @Test
  void a_rejected_or_expired_review_is_422() throws Exception {
    call("rejected").andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:decision-rejected"))
        .andExpect(jsonPath("$.decisionId").value(ID.toString()));
  }

  @Test
  void a_stopped_system_is_503_naming_the_refusal() throws Exception {
    call("stopped").andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:decision-refused-system-stopped"))
        .andExpect(jsonPath("$.refusal").value("SYSTEM_STOPPED"))
        .andExpect(jsonPath("$.decisionId").value(ID.toString()));
  }

  @Test
  void a_log_failure_is_503() throws Exception {
    call("log").andExpect(status().isServiceUnavailable()).andExpect(jsonPath("$.refusal").value("LOG_UNAVAILABLE"));
    call("log-failure").andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:decision-log-unavailable"));
    call("backpressure").andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:decision-log-unavailable"));
  }

  @Test
  void an_unavailable_approval_store_is_503() throws Exception {
    call("store").andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:approval-store-unavailable"));
  }

  @Test
  void an_unusable_model_output_is_502() throws Exception {
    call("output").andExpect(status().isBadGateway()).andExpect(jsonPath("$.decisionId").value(ID.toString()));
  }

  @Test
  void a_refused_approval_action_has_the_status_of_the_aims_api() throws Exception {
    call("approval").andExpect(status().isForbidden()).andExpect(jsonPath("$.refusal").value("SELF_REVIEW"))
        .andExpect(jsonPath("$.requestId").value(ID.toString()));
  }

  @Test
  void programming_and_configuration_errors_are_500_without_their_message() throws Exception {
    for (String kind : List.of("unknown-system", "configuration", "other")) {
      call(kind).andExpect(status().isInternalServerError())
          .andExpect(jsonPath("$.type").value("urn:aims:problem:aims-error"))
          .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("AIMS could not govern this request (")));
    }
  }
}
