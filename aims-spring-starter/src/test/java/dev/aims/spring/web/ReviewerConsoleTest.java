package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.Resolution;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.spring.web.WebTestApplication.Offer;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The reviewer console through a signed-in browser session: real form login, real CSRF tokens. */
@SpringBootTest(classes = WebTestApplication.class)
@AutoConfigureMockMvc
class ReviewerConsoleTest {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @Autowired MockMvc mvc;
  @Autowired Aims aims;
  @Autowired ApprovalService approvals;
  @Autowired Requests requests;

  /** Signs in through the console's login form, as a browser does. */
  private MockHttpSession signIn(String user) throws Exception {
    MvcResult page = mvc.perform(get("/aims/login")).andExpect(status().isOk()).andReturn();
    MockHttpSession session = (MockHttpSession) page.getRequest().getSession(true);
    String token = csrf(page.getResponse().getContentAsString());
    MvcResult login = mvc.perform(post("/aims/login").session(session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("username", user).param("password", PASSWORD).param("_csrf", token))
        .andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/aims/console")))
        .andReturn();
    return (MockHttpSession) login.getRequest().getSession(false);
  }

  private String console(MockHttpSession session) throws Exception {
    return mvc.perform(get("/aims/console").session(session)).andExpect(status().isOk())
        .andExpect(header().string("Content-Type", org.hamcrest.Matchers.startsWith("text/html")))
        .andReturn().getResponse().getContentAsString();
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }

  /** The hidden action digest of one request's form. */
  private static String digestIn(String html, UUID id) {
    int form = html.indexOf("id=\"review-" + id + "\"");
    assertThat(form).as("the review form of " + id).isPositive();
    Matcher m = Pattern.compile("name=\"actionDigest\" value=\"([0-9a-f]+)\"").matcher(html);
    assertThat(m.find(form)).isTrue();
    return m.group(1);
  }

  @Test
  void the_console_sends_a_visitor_who_is_not_signed_in_to_the_sign_in_page() throws Exception {
    mvc.perform(get("/aims/console").accept(MediaType.TEXT_HTML))
        .andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/aims/login")));
    String login = mvc.perform(get("/aims/login")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    assertThat(login).contains("<html lang=\"en\">", "<label for=\"username\">", "<label for=\"password\">",
        "<button type=\"submit\" id=\"sign-in\">");
  }

  @Test
  void a_signed_in_reviewer_sees_a_pending_request_with_everything_needed_to_judge_it() throws Exception {
    WebTestApplication.largeLoan(aims, "dave", "shown");
    UUID id = requests.next();
    String html = console(signIn("alice"));
    assertThat(html)
        .contains("<html lang=\"en\">", "<h1>", "Signed in as <strong id=\"reviewer\">alice</strong>")
        .contains("id=\"automation-bias-reminder\"", "Do not approve because the model says so")
        .contains("id=\"request-" + id + "\"", "id=\"review-" + id + "\"")
        .contains("large-loan")                                            // the reason
        .contains("&quot;rate&quot; : 0.049")                              // the proposed output, escaped JSON
        .contains("<pre id=\"input-" + id + "\">", "&quot;applicant&quot; : &quot;shown&quot;")  // the input
        .contains("<pre id=\"action-" + id + "\">", "What your approval lets run")          // the bound action
        .contains("<dt>Requested by</dt><dd>dave</dd>", "<dt>Required role</dt><dd>AIMS_REVIEWER</dd>")
        .contains("id=\"deadline-" + id + "\"", "data-deadline=\"", " min left")
        .contains("<label for=\"rationale-" + id + "\">", "name=\"rationale\"", "required minlength=\"10\"")
        .contains("<label for=\"override-output-" + id + "\">", "name=\"output\"")
        .contains("name=\"action\" value=\"approve\"", "name=\"action\" value=\"reject\"",
            "name=\"action\" value=\"override\"")
        .contains("name=\"_csrf\"");
  }

  @Test
  void approving_in_the_console_with_the_csrf_token_releases_the_call_and_shows_who_decided() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "console-approve");
    UUID id = requests.next();
    MockHttpSession session = signIn("bob");
    String html = console(session);

    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("_csrf", csrf(html)).param("actionDigest", digestIn(html, id))
            .param("action", "approve").param("rationale", "payslips and bank statements match"))
        .andExpect(status().isSeeOther())
        .andExpect(header().string("Location", "/aims/console"));

    Decision<Offer> decision = call.get(30, TimeUnit.SECONDS);
    assertThat(decision.review().resolution()).isEqualTo(Resolution.APPROVED);
    assertThat(decision.review().actor().id()).isEqualTo("bob");

    String after = console(session);
    assertThat(after)
        .contains("id=\"console-message\"", "role=\"status\"", "Request " + id + " approved.")
        .doesNotContain("id=\"review-" + id + "\"")
        .contains("<tr id=\"decided-" + id + "\">", "bob as AIMS_REVIEWER", "payslips and bank statements match",
            "<th scope=\"col\">Decided by</th>");
    assertThat(console(session)).as("the status message is shown once").doesNotContain("id=\"console-message\"");
  }

  @Test
  void rejecting_in_the_console_ends_the_call_with_a_rejection() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "console-reject");
    UUID id = requests.next();
    MockHttpSession session = signIn("alice");
    String html = console(session);
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("_csrf", csrf(html)).param("action", "reject").param("rationale", "income could not be verified"))
        .andExpect(status().isSeeOther());
    assertThat(call).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(DecisionRejectedException.class);
    assertThat(console(session)).contains("Request " + id + " rejected.");
  }

  @Test
  void overriding_in_the_console_needs_valid_json_and_then_hands_it_to_the_call() throws Exception {
    CompletableFuture<Decision<Offer>> call = WebTestApplication.largeLoan(aims, "dave", "console-override");
    UUID id = requests.next();
    MockHttpSession session = signIn("alice");
    String html = console(session);
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("_csrf", csrf(html))
            .param("action", "override").param("rationale", "offer a higher rate instead").param("output", "{approved: yes"))
        .andExpect(status().isSeeOther());
    String error = console(session);
    assertThat(error).contains("class=\"error\" role=\"alert\"", "not valid JSON");
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);

    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("_csrf", csrf(error))
            .param("action", "override").param("rationale", "offer a higher rate instead")
            .param("output", "{\"approved\": true, \"rate\": 0.065}"))
        .andExpect(status().isSeeOther());
    assertThat(call.get(30, TimeUnit.SECONDS).output()).isEqualTo(new Offer(true, 0.065));
  }

  @Test
  void a_post_without_the_csrf_token_is_refused_and_changes_nothing() throws Exception {
    UUID id = pendingRequest("no-token");
    MockHttpSession session = signIn("alice");
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("action", "approve").param("rationale", "approved by a forged form"))
        .andExpect(status().isForbidden());
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("_csrf", "forged-token")
            .param("action", "approve").param("rationale", "approved by a forged form"))
        .andExpect(status().isForbidden());
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void a_refused_action_comes_back_as_an_alert_naming_the_reason() throws Exception {
    UUID id = pendingRequest("refusals");
    MockHttpSession session = signIn("alice");
    String html = console(session);
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("_csrf", csrf(html))
            .param("action", "approve").param("rationale", "ok"))
        .andExpect(status().isSeeOther());
    assertThat(console(session)).contains("role=\"alert\"", "Rationale required", "needs a rationale of at least 10 letters or digits (it has 2");
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void the_requester_is_told_someone_else_must_decide_and_is_refused() throws Exception {
    WebTestApplication.largeLoan(aims, "alice", "alice-asks");
    UUID id = requests.next();
    MockHttpSession session = signIn("alice");
    String html = console(session);
    assertThat(html).contains("id=\"self-note-" + id + "\"");
    mvc.perform(post("/aims/console/requests/{id}", id).session(session)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED).param("_csrf", csrf(html))
            .param("action", "approve").param("rationale", "I checked my own request"))
        .andExpect(status().isSeeOther());
    assertThat(console(session)).contains("Requester cannot review own request");
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void text_from_requests_is_escaped() throws Exception {
    WebTestApplication.largeLoan(aims, "<script>alert('x')</script>", "escaped");
    UUID id = requests.next();
    String html = console(signIn("bob"));
    assertThat(html).contains("id=\"request-" + id + "\"")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .doesNotContain("<script>alert('x')</script>");
  }

  @Test
  void a_user_without_a_reviewer_role_cannot_open_the_console() throws Exception {
    MockHttpSession session = signIn("mallory");
    mvc.perform(get("/aims/console").session(session)).andExpect(status().isForbidden());
  }

  private UUID pendingRequest(String applicant) throws Exception {
    WebTestApplication.largeLoan(aims, "dave", applicant);
    return requests.next();
  }
}
