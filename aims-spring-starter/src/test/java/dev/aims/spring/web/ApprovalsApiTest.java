package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.Outcome;
import dev.aims.core.Resolution;
import dev.aims.core.event.EventTypes;
import dev.aims.core.event.SystemEvent;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.spring.web.WebTestApplication.Offer;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@SpringBootTest(classes = WebTestApplication.class)
@AutoConfigureMockMvc
class ApprovalsApiTest {
  private static final String PROBLEM = "application/problem+json";

  @Autowired MockMvc mvc;
  @Autowired Aims aims;
  @Autowired ApprovalService approvals;
  @Autowired Requests requests;
  @Autowired dev.aims.core.InMemoryDecisionLog log;

  private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder b, String body) {
    return b.contentType(MediaType.APPLICATION_JSON).content(body);
  }

  private ResultActions approve(String user, UUID id, String body) throws Exception {
    return mvc.perform(json(post("/aims/approvals/{id}/approve", id), body).with(httpBasic(user, PASSWORD)));
  }

  private UUID pendingRequest(String requester, String applicant) throws Exception {
    WebTestApplication.largeLoan(aims, requester, applicant);
    return requests.next();
  }

  // ---- reading ----------------------------------------------------------------------------------

  @Test
  void a_reviewer_lists_pending_requests_with_their_reasons_and_output_as_json() throws Exception {
    UUID id = pendingRequest("dave", "list-me");
    mvc.perform(get("/aims/approvals").param("status", "PENDING").param("system", "loans").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.items[*].id", hasItem(id.toString())))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].status").value("PENDING"))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].reasons[0].boundary").value("large-loan"))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].proposedOutput.approved").value(true))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].requester").value("dave"))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].requiredRole").value("AIMS_REVIEWER"))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].model.name").value("credit-scorer"));
    mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("bob", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.id").value(id.toString()))
        .andExpect(jsonPath("$.useCase").value("credit"))
        .andExpect(jsonPath("$.approvalsRequired").value(1))
        .andExpect(jsonPath("$.approvedBy").isEmpty())
        .andExpect(jsonPath("$.decidedBy").doesNotExist())
        .andExpect(jsonPath("$.actionDigest").isString())
        .andExpect(jsonPath("$.proposedOutput.rate").value(0.049))
        .andExpect(jsonPath("$.input.applicant").value("list-me"))
        .andExpect(jsonPath("$.input.amount").value(80_000.0))
        .andExpect(jsonPath("$.action.approved").value(true)); // no action parameters: the output is the action
  }

  @Test
  void a_reviewer_reads_the_input_and_the_exact_action_parameters_the_approval_binds() throws Exception {
    Thread t = new Thread(() -> aims.system("loans").useCase("credit").model(WebTestApplication.MODEL)
        .input(new WebTestApplication.Application("with-action", 80_000)).feature("amount", 80_000)
        .requester("dave").action(java.util.Map.of("amount", 80_000, "account", "DE02 1203"))
        .call(in -> new Offer(true, 0.049)));
    t.setDaemon(true);
    t.start();
    UUID id = requests.next();
    String digest = approvals.find(id).orElseThrow().actionDigest();
    assertThat(dev.aims.oversight.ActionDigest.of(id, "loans", "credit",
        java.util.Map.of("amount", 80_000, "account", "DE02 1203"))).isEqualTo(digest);
    mvc.perform(get("/aims/approvals/{id}", id).with(httpBasic("bob", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.input.applicant").value("with-action"))
        .andExpect(jsonPath("$.proposedOutput.approved").value(true))
        .andExpect(jsonPath("$.action.account").value("DE02 1203"))
        .andExpect(jsonPath("$.action.amount").value(80_000))
        .andExpect(jsonPath("$.actionDigest").value(digest))
        .andExpect(jsonPath("$.reasons[0].boundary").value("large-loan"));
    mvc.perform(get("/aims/approvals").param("status", "PENDING").with(httpBasic("bob", PASSWORD)))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].input.applicant").value("with-action"))
        .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].action").doesNotExist());
  }

  @Test
  void listing_is_paged_with_a_next_cursor() throws Exception {
    pendingRequest("dave", "page-1");
    pendingRequest("dave", "page-2");
    String first = mvc.perform(get("/aims/approvals").param("status", "pending").param("limit", "1")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isOk()).andExpect(jsonPath("$.items.length()").value(1))
        .andExpect(jsonPath("$.next").isString())
        .andReturn().getResponse().getContentAsString();
    String next = com.jayway.jsonpath.JsonPath.read(first, "$.next");
    String firstId = com.jayway.jsonpath.JsonPath.read(first, "$.items[0].id");
    mvc.perform(get("/aims/approvals").param("status", "PENDING").param("limit", "1").param("after", next)
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.length()").value(1))
        .andExpect(jsonPath("$.items[0].id").value(org.hamcrest.Matchers.not(firstId)));
  }

  // ---- deciding ---------------------------------------------------------------------------------

  @Test
  void approving_with_a_rationale_lets_the_blocked_call_finish_with_the_reviewer_recorded() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "approve-me");
    UUID id = requests.next();
    assertThat(call).isNotDone();

    approve("alice", id, "{\"rationale\": \"income checked against the payslips\"}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.effect").value("DECIDED"))
        .andExpect(jsonPath("$.request.status").value("APPROVED"))
        .andExpect(jsonPath("$.request.decidedBy.id").value("alice"))
        .andExpect(jsonPath("$.request.decidedBy.role").value("AIMS_REVIEWER"))
        .andExpect(jsonPath("$.request.rationale").value("income checked against the payslips"));

    Decision<Offer> decision = call.get(30, TimeUnit.SECONDS);
    assertThat(decision.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(decision.output()).isEqualTo(new Offer(true, 0.049));
    assertThat(decision.review()).isNotNull();
    assertThat(decision.review().resolution()).isEqualTo(Resolution.APPROVED);
    assertThat(decision.review().actor().id()).isEqualTo("alice");
  }

  @Test
  void rejecting_ends_the_blocked_call_with_a_rejection() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "reject-me");
    UUID id = requests.next();
    mvc.perform(json(post("/aims/approvals/{id}/reject", id), "{\"rationale\": \"debt ratio above our limit\"}")
            .with(httpBasic("bob", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.request.status").value("REJECTED"))
        .andExpect(jsonPath("$.request.decidedBy.id").value("bob"));
    assertThat(call).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DecisionRejectedException.class);
  }

  @Test
  void overriding_hands_the_reviewers_output_to_the_blocked_call() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "override-me");
    UUID id = requests.next();
    mvc.perform(json(post("/aims/approvals/{id}/override", id),
            "{\"rationale\": \"approve at a higher rate for this risk\", \"output\": {\"approved\": true, \"rate\": 0.071}}")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.request.status").value("APPROVED"))
        .andExpect(jsonPath("$.request.overriddenOutput.rate").value(0.071));
    Decision<Offer> decision = call.get(30, TimeUnit.SECONDS);
    assertThat(decision.output()).isEqualTo(new Offer(true, 0.071));
    assertThat(decision.review().resolution()).isEqualTo(Resolution.OVERRIDDEN);
  }

  @Test
  void a_decided_request_answers_409_already_decided() throws Exception {
    UUID id = pendingRequest("dave", "decided-twice");
    approve("alice", id, "{\"rationale\": \"income checked against the payslips\"}").andExpect(status().isOk());
    mvc.perform(json(post("/aims/approvals/{id}/reject", id), "{\"rationale\": \"too late to change my mind\"}")
            .with(httpBasic("bob", PASSWORD)))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:already-decided"))
        .andExpect(jsonPath("$.refusal").value("ALREADY_DECIDED"))
        .andExpect(jsonPath("$.requestId").value(id.toString()))
        .andExpect(jsonPath("$.instance").value("/aims/approvals/" + id + "/reject"));
  }

  // ---- who may act ------------------------------------------------------------------------------

  @Test
  void an_unauthenticated_call_gets_a_401_problem() throws Exception {
    mvc.perform(get("/aims/approvals"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(header().string("WWW-Authenticate", containsString("Basic")))
        .andExpect(jsonPath("$.status").value(401))
        .andExpect(jsonPath("$.refusal").value("NOT_AUTHENTICATED"));
    mvc.perform(get("/aims/approvals").with(httpBasic("alice", "wrong password")))
        .andExpect(status().isUnauthorized()).andExpect(content().contentType(PROBLEM));
  }

  @Test
  void a_user_without_a_reviewer_role_gets_a_403_problem_and_the_request_stays_pending() throws Exception {
    UUID id = pendingRequest("dave", "mallory-tries");
    mvc.perform(get("/aims/approvals").with(httpBasic("mallory", PASSWORD)))
        .andExpect(status().isForbidden())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.refusal").value("MISSING_ROLE"))
        .andExpect(jsonPath("$.detail", containsString("mallory")));
    approve("mallory", id, "{\"rationale\": \"looks fine to me, honestly\"}")
        .andExpect(status().isForbidden()).andExpect(jsonPath("$.refusal").value("MISSING_ROLE"));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void the_requester_cannot_approve_their_own_request() throws Exception {
    UUID id = pendingRequest("alice", "own-request");
    approve("alice", id, "{\"rationale\": \"I know this applicant well\"}")
        .andExpect(status().isForbidden())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:self-review"))
        .andExpect(jsonPath("$.refusal").value("SELF_REVIEW"));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void a_rationale_of_no_break_spaces_or_control_characters_or_over_4_kib_is_a_400() throws Exception {
    UUID id = pendingRequest("dave", "blank-rationale");
    approve("alice", id, "{\"rationale\": \"" + "\\u00a0".repeat(10) + "\"}")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:rationale-required"))
        .andExpect(jsonPath("$.detail", containsString("at least 10 letters or digits (it has 0")));
    approve("alice", id, "{\"rationale\": \"" + "\\u0001\\u0085\\u200b".repeat(5) + "\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.refusal").value("RATIONALE_REQUIRED"));
    approve("alice", id, "{\"rationale\": \"" + "a".repeat(4097) + "\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:rationale-too-long"))
        .andExpect(jsonPath("$.title").value("Rationale too long"))
        .andExpect(jsonPath("$.detail", containsString("is longer than 4096 bytes")));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void a_reviewer_with_too_many_refused_attempts_gets_429() throws Exception {
    UUID id = pendingRequest("dave", "rate-limited");
    for (int i = 0; i < 30; i++) {
      approve("rex", id, "{\"rationale\": \"ok\"}").andExpect(status().isBadRequest());
    }
    approve("rex", id, "{\"rationale\": \"income checked against the payslips\"}")
        .andExpect(status().isTooManyRequests())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:rate-limited"))
        .andExpect(jsonPath("$.title").value("Too many refused attempts"));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void the_reviewer_cannot_be_named_in_the_body() throws Exception {
    UUID id = pendingRequest("dave", "impersonation");
    approve("mallory", id, "{\"rationale\": \"income checked against payslips\", \"reviewer\": \"alice\"}")
        .andExpect(status().is4xxClientError());
    approve("bob", id, "{\"rationale\": \"income checked against payslips\", \"reviewer\": \"alice\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:unknown-field"))
        .andExpect(jsonPath("$.detail", containsString("reviewer")));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  // ---- bad input is a 4xx naming what is wrong, never a 500 -------------------------------------

  @Test
  void malformed_json_is_a_400_naming_the_position() throws Exception {
    UUID id = pendingRequest("dave", "bad-json");
    approve("alice", id, "{\"rationale\": \"unterminated")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:malformed-json"))
        .andExpect(jsonPath("$.detail", containsString("line 1")));
    approve("alice", id, "[\"rationale\"]")
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("JSON object")));
    approve("alice", id, "{\"rationale\": 42}")
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("'rationale' must be a JSON string")));
    approve("alice", id, "{\"rationale\": \"a\", \"rationale\": \"b\"}")
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("Duplicate field")));
  }

  @Test
  void a_missing_body_or_rationale_is_a_400() throws Exception {
    UUID id = pendingRequest("dave", "no-rationale");
    approve("alice", id, "")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:missing-body"));
    approve("alice", id, "{}")
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.refusal").value("RATIONALE_REQUIRED"))
        .andExpect(jsonPath("$.detail", containsString("at least 10 letters or digits")));
    approve("alice", id, "{\"rationale\": \"ok\"}")
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.refusal").value("RATIONALE_REQUIRED"));
    mvc.perform(json(post("/aims/approvals/{id}/override", id), "{\"rationale\": \"replace the offer entirely\"}")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("'output'")));
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void a_bad_uuid_is_a_400_and_an_unknown_one_a_404() throws Exception {
    mvc.perform(json(post("/aims/approvals/not-a-uuid/approve"), "{\"rationale\": \"income checked against payslips\"}")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:invalid-id"))
        .andExpect(jsonPath("$.detail", containsString("not-a-uuid")));
    mvc.perform(get("/aims/approvals/12345").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("urn:aims:problem:invalid-id"));
    UUID unknown = UUID.fromString("0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b");
    mvc.perform(get("/aims/approvals/{id}", unknown).with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.refusal").value("UNKNOWN_REQUEST"));
    approve("alice", unknown, "{\"rationale\": \"income checked against payslips\"}")
        .andExpect(status().isNotFound()).andExpect(jsonPath("$.refusal").value("UNKNOWN_REQUEST"));
  }

  @Test
  void bad_query_parameters_are_400s_naming_the_allowed_values() throws Exception {
    mvc.perform(get("/aims/approvals").param("status", "WAITING").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:invalid-status"))
        .andExpect(jsonPath("$.detail", containsString("PENDING, APPROVED, REJECTED, EXPIRED, CANCELLED")));
    mvc.perform(get("/aims/approvals").param("limit", "501").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("1 to 500")));
    mvc.perform(get("/aims/approvals").param("limit", "ten").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("urn:aims:problem:invalid-limit"));
    mvc.perform(get("/aims/approvals").param("after", "yesterday").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("after")));
    mvc.perform(get("/aims/approvals").param("system", "mortgages").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:unknown-system"))
        .andExpect(jsonPath("$.detail", containsString("mortgages")));
  }

  @Test
  void a_form_encoded_post_to_the_api_is_refused_for_want_of_a_csrf_token() throws Exception {
    UUID id = pendingRequest("dave", "cross-site");
    mvc.perform(post("/aims/approvals/{id}/approve", id).contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .content("rationale=approved+from+another+site").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isForbidden())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:csrf"));
    mvc.perform(post("/aims/approvals/{id}/approve", id).contentType(MediaType.TEXT_PLAIN)
            .content("{\"rationale\": \"approved from another site\"}").with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isForbidden());
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  // ---- stop switch ------------------------------------------------------------------------------

  @Test
  void an_admin_stops_and_resumes_a_system_and_its_pending_requests_are_cancelled() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "stopped");
    UUID id = requests.next();
    mvc.perform(json(post("/aims/systems/loans/stop"), "{\"reason\": \"scores drifted after the rate change\"}")
            .with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.system").value("loans"))
        .andExpect(jsonPath("$.stopped").value(true))
        .andExpect(jsonPath("$.cancelledRequests").value(org.hamcrest.Matchers.greaterThanOrEqualTo(1)));
    assertThat(aims.isStopped("loans")).isTrue();
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(call).failsWithin(30, TimeUnit.SECONDS);
    int stopEvents = log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class).size();

    mvc.perform(json(post("/aims/systems/loans/stop"), "{\"reason\": \"pressed again\"}")
            .with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isConflict())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.type").value("urn:aims:problem:already-stopped"))
        .andExpect(jsonPath("$.title").value("System already stopped"))
        .andExpect(jsonPath("$.detail", containsString("is already stopped; nothing was pressed or recorded")));
    assertThat(log.events(EventTypes.SYSTEM_STOPPED, SystemEvent.class)).hasSize(stopEvents);

    mvc.perform(json(post("/aims/systems/loans/resume"), "{\"reason\": \"model retrained and validated\"}")
            .with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.stopped").value(false));
    assertThat(aims.isStopped("loans")).isFalse();

    mvc.perform(json(post("/aims/systems/loans/resume"), "{\"reason\": \"resumed once more\"}")
            .with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:not-stopped"))
        .andExpect(jsonPath("$.title").value("System not stopped"))
        .andExpect(jsonPath("$.detail", containsString("is not stopped on this instance; nothing was released or recorded")));
  }

  @Test
  void a_reviewer_cannot_press_the_stop_switch() throws Exception {
    mvc.perform(json(post("/aims/systems/loans/stop"), "{\"reason\": \"I do not like it\"}")
            .with(httpBasic("alice", PASSWORD)))
        .andExpect(status().isForbidden())
        .andExpect(content().contentType(PROBLEM))
        .andExpect(jsonPath("$.refusal").value("MISSING_ROLE"))
        .andExpect(jsonPath("$.detail", containsString("AIMS_ADMIN")));
    assertThat(aims.isStopped("loans")).isFalse();
  }

  @Test
  void stopping_needs_a_reason_and_a_known_system() throws Exception {
    mvc.perform(json(post("/aims/systems/loans/stop"), "{}").with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:reason-required"));
    mvc.perform(json(post("/aims/systems/mortgages/stop"), "{\"reason\": \"not ours\"}").with(httpBasic("carol", PASSWORD)))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("urn:aims:problem:unknown-system"));
    assertThat(aims.isStopped("loans")).isFalse();
  }
}
