package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.aims.core.Aims;
import dev.aims.core.Verdict;
import dev.aims.core.action.ActionGovernor;
import dev.aims.core.action.ActionNotAuthorisedException;
import dev.aims.core.action.ActionStatus;
import dev.aims.core.action.ArgumentRule;
import dev.aims.core.action.GovernedAction;
import dev.aims.core.action.ToolCall;
import dev.aims.core.action.ToolExecutor;
import dev.aims.core.action.ToolPolicy;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A tool call awaiting approval, through the real HTTP API: the reviewer reads the tool and its
 * redacted arguments in {@code GET /aims/approvals/{id}}, approves over HTTP, and the call runs once.
 * Its own context (the governor wraps the policy of the system it governs), over the web tests' app.
 */
@SpringBootTest(classes = {WebTestApplication.class, ToolCallApprovalHttpTest.Tools.class})
@AutoConfigureMockMvc
class ToolCallApprovalHttpTest {

  @Configuration(proxyBeanMethods = false)
  static class Tools {
    @Bean
    ActionGovernor actionGovernor(Aims aims) {
      return ActionGovernor.builder(aims)
          .tools("faq", ToolPolicy.custom("send_voucher").description("send a customer a voucher")
              .rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW)).redact("/email").build())
          .build();
    }
  }

  @Autowired MockMvc mvc;
  @Autowired ActionGovernor governor;
  @Autowired Requests requests;

  final AtomicInteger vouchers = new AtomicInteger();
  final ToolExecutor voucherTool = args -> "voucher v-" + vouchers.incrementAndGet() + " sent";

  @Test
  void a_reviewer_sees_the_tool_and_its_redacted_arguments_and_approving_over_http_lets_it_run_once() throws Exception {
    GovernedAction action = governor.propose(ToolCall.of("faq", "send_voucher",
        "{\"customer\":\"c-7\",\"amount\":900,\"email\":\"jane@example.org\"}").withRequester("dave"));
    assertThat(action.status()).isEqualTo(ActionStatus.AWAITING_APPROVAL);
    UUID id = requests.next();

    String shown = mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("bob", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.useCase").value("tool:send_voucher"))
        .andExpect(jsonPath("$.action.tool").value("send_voucher"))
        .andExpect(jsonPath("$.action.description").value("send a customer a voucher"))
        .andExpect(jsonPath("$.action.arguments.customer").value("c-7"))
        .andExpect(jsonPath("$.action.arguments.amount").value(900))
        .andExpect(jsonPath("$.action.arguments.email").value("[redacted]"))
        .andExpect(jsonPath("$.action.arguments_digest").value(action.argumentsDigest()))
        .andReturn().getResponse().getContentAsString();
    assertThat(shown).doesNotContain("jane@example.org");
    assertThatThrownBy(() -> action.execute(voucherTool)).isInstanceOf(ActionNotAuthorisedException.class);
    assertThat(vouchers).hasValue(0);

    String actionDigest = JsonPath.read(shown, "$.actionDigest");
    mvc.perform(post("/aims/approvals/{id}/approve", id).with(httpBasic("alice", PASSWORD))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"rationale\": \"goodwill for the late delivery\", \"actionDigest\": \"" + actionDigest + "\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.request.status").value("APPROVED"))
        .andExpect(jsonPath("$.request.decidedBy.id").value("alice"));

    assertThat(action.await(Duration.ofSeconds(30))).isEqualTo(ActionStatus.APPROVED);
    assertThat(action.execute(voucherTool)).isEqualTo("voucher v-1 sent");
    assertThatThrownBy(() -> action.execute(voucherTool)).isInstanceOf(ActionNotAuthorisedException.class)
        .hasMessageContaining("runs at most once");
    assertThat(vouchers).hasValue(1);
  }
}
