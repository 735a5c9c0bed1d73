package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.MODEL;
import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.spring.web.WebTestApplication.Application;
import dev.aims.spring.web.WebTestApplication.Offer;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** k-of-n through the HTTP API: a system whose requests need two distinct approvers. */
@SpringBootTest(classes = WebTestApplication.class)
@AutoConfigureMockMvc
class TwoPersonRuleApiTest {
  @Autowired MockMvc mvc;
  @Autowired Aims aims;
  @Autowired Requests requests;

  private ResultActions approve(String user, UUID id) throws Exception {
    return mvc.perform(post("/aims/approvals/{id}/approve", id).contentType(MediaType.APPLICATION_JSON)
        .content("{\"rationale\": \"collateral valued by the bank\"}").with(httpBasic(user, PASSWORD)));
  }

  @Test
  void the_first_approval_is_counted_a_repeat_changes_nothing_and_the_second_person_decides() throws Exception {
    CompletableFuture<Decision<Offer>> blocked = CompletableFuture.supplyAsync(() ->
        aims.system("leases").useCase("lease").model(MODEL).input(new Application("erin", 300_000))
            .feature("amount", 300_000).requester("dave").call(in -> new Offer(true, 0.031)));
    UUID id = requests.next();
    mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.approvalsRequired").value(2));

    approve("alice", id).andExpect(status().isOk())
        .andExpect(jsonPath("$.effect").value("COUNTED"))
        .andExpect(jsonPath("$.request.status").value("PENDING"))
        .andExpect(jsonPath("$.request.approvedBy[0]").value("alice"));
    assertThat(blocked).as("one approval of two does not release the call").isNotDone();

    approve("alice", id).andExpect(status().isOk())
        .andExpect(jsonPath("$.effect").value("DUPLICATE"))
        .andExpect(jsonPath("$.request.status").value("PENDING"));
    assertThat(blocked).isNotDone();

    mvc.perform(post("/aims/approvals/{id}/override", id).contentType(MediaType.APPLICATION_JSON)
            .content("{\"rationale\": \"collateral valued by the bank\", \"output\": {\"approved\": true, \"rate\": 0.02}}")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isConflict())
        .andExpect(content().contentType("application/problem+json"))
        .andExpect(jsonPath("$.refusal").value("OVERRIDE_NOT_ALLOWED"));
    assertThat(blocked).isNotDone();

    approve("bob", id).andExpect(status().isOk())
        .andExpect(jsonPath("$.effect").value("DECIDED"))
        .andExpect(jsonPath("$.request.status").value("APPROVED"));
    assertThat(blocked.get(10, TimeUnit.SECONDS).output()).isEqualTo(new Offer(true, 0.031));
  }

  @Test
  void a_reviewer_reading_a_request_sees_every_vote_so_far_and_the_console_lists_them() throws Exception {
    CompletableFuture<Decision<Offer>> blocked = CompletableFuture.supplyAsync(() ->
        aims.system("leases").useCase("lease").model(MODEL).input(new Application("erin", 310_000))
            .feature("amount", 310_000).requester("bob").call(in -> new Offer(true, 0.029)));
    UUID id = requests.next();
    approve("alice", id).andExpect(status().isOk()).andExpect(jsonPath("$.effect").value("COUNTED"));
    approve("bob", id).andExpect(status().isForbidden());

    mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("rex", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.votes.length()").value(1))
        .andExpect(jsonPath("$.votes[0].reviewer").value("alice"))
        .andExpect(jsonPath("$.votes[0].action").value("APPROVE"))
        .andExpect(jsonPath("$.votes[0].tier").value(0))
        .andExpect(jsonPath("$.votes[0].rationale").value("collateral valued by the bank"))
        .andExpect(jsonPath("$.votes[0].at").isString())
        .andExpect(jsonPath("$.refusedAttempts").value(1))
        .andExpect(jsonPath("$.action.rate").value(0.029));

    String console = mvc.perform(get("/aims/console").with(httpBasic("rex", PASSWORD)))
        .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    int start = console.indexOf("<ol id=\"votes-" + id + "\">");
    assertThat(start).as("the console lists the votes of %s", id).isPositive();
    assertThat(console.substring(start, console.indexOf("</ol>", start)))
        .contains("<strong>approve</strong> by alice").contains("collateral valued by the bank")
        .doesNotContain("bob");

    approve("rex", id).andExpect(status().isOk()).andExpect(jsonPath("$.effect").value("DECIDED"));
    assertThat(blocked.get(10, TimeUnit.SECONDS).output()).isEqualTo(new Offer(true, 0.029));
  }
}
