package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.MODEL;
import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Aims;
import dev.aims.core.PendingDecision;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.spring.web.WebTestApplication.Application;
import dev.aims.spring.web.WebTestApplication.Offer;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The web hardening of {@code /aims/**} through Tomcat (real HTTP, real container error handling):
 * problem details for every error, the Origin check, the console's Content-Security-Policy nonce,
 * Referrer-Policy, SameSite on the session cookie, and the newest decisions in "Recently decided".
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebHardeningHttpTest {
  private static final String PROBLEM = "application/problem+json";

  @LocalServerPort int port;
  @Autowired Aims aims;
  @Autowired ApprovalService approvals;
  @Autowired Requests requests;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private String base() {
    return "http://localhost:" + port;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
  }

  private HttpRequest.Builder as(String user, String path) {
    return request(path).header("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String slug) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
    assertThat(r.body()).contains("\"type\":\"urn:aims:problem:" + slug + "\"", "\"status\":" + status)
        .doesNotContain("<html", "Apache Tomcat");
  }

  private UUID pendingRequest(String applicant) throws Exception {
    WebTestApplication.largeLoan(aims, "dave", applicant);
    return requests.next();
  }

  // ---- problem details for every error --------------------------------------------------------

  @Test
  void an_unknown_path_under_aims_is_a_404_problem() throws Exception {
    assertProblem(send(as("alice", "/aims/nothing-here").GET()), 404, "not-found");
    assertThat(send(as("alice", "/aims/nothing-here").GET()).body()).contains("there is no AIMS endpoint or page at");
  }

  @Test
  void a_wrong_method_is_a_405_problem_naming_the_allowed_ones() throws Exception {
    HttpResponse<String> r = send(as("alice", "/aims/approvals/" + UUID.randomUUID() + "/approve").GET());
    assertProblem(r, 405, "method-not-allowed");
    assertThat(r.body()).contains("GET is not allowed on", "use POST");
  }

  @Test
  void a_console_form_over_1_mib_is_a_413_problem() throws Exception {
    String form = "action=approve&rationale=" + "a".repeat(JsonBody.MAX_BYTES + 1);
    HttpResponse<String> r = send(as("alice", "/aims/console/requests/" + UUID.randomUUID())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    assertProblem(r, 413, "body-too-large");
  }

  // ---- Origin ------------------------------------------------------------------------------------

  @Test
  void a_json_approve_from_another_site_is_refused_and_one_from_this_site_is_accepted() throws Exception {
    UUID id = pendingRequest("cross-site");
    String body = "{\"rationale\": \"income checked against the payslips\"}";
    HttpResponse<String> cross = send(as("alice", "/aims/approvals/" + id + "/approve")
        .header("Content-Type", "application/json").header("Origin", "https://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertProblem(cross, 403, "cross-origin");
    assertThat(cross.body()).contains("Cross-site request refused", "comes from another site");
    assertProblem(send(as("alice", "/aims/approvals/" + id + "/approve")
        .header("Content-Type", "application/json").header("Origin", "null")
        .POST(HttpRequest.BodyPublishers.ofString(body))), 403, "cross-origin");
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);

    HttpResponse<String> same = send(as("alice", "/aims/approvals/" + id + "/approve")
        .header("Content-Type", "application/json").header("Origin", base())
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(approvals.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  // ---- headers -----------------------------------------------------------------------------------

  @Test
  void the_console_has_a_fresh_csp_nonce_on_its_inline_script_and_no_referrer() throws Exception {
    pendingRequest("csp");
    HttpResponse<String> first = send(as("alice", "/aims/console").GET());
    HttpResponse<String> second = send(as("alice", "/aims/console").GET());
    assertThat(first.statusCode()).isEqualTo(200);
    String csp = first.headers().firstValue("Content-Security-Policy").orElseThrow();
    Matcher nonce = Pattern.compile("script-src 'nonce-([A-Za-z0-9+/=]+)'").matcher(csp);
    assertThat(nonce.find()).as(csp).isTrue();
    assertThat(csp).contains("default-src 'none'", "style-src 'nonce-" + nonce.group(1) + "'", "frame-ancestors 'none'",
        "form-action 'self'").doesNotContain("unsafe-inline");
    assertThat(first.body()).contains("<script nonce=\"" + nonce.group(1) + "\">", "<style nonce=\"" + nonce.group(1));
    assertThat(first.body()).doesNotContain("<script>");
    assertThat(second.headers().firstValue("Content-Security-Policy").orElseThrow()).isNotEqualTo(csp);
    assertThat(first.headers().allValues("Referrer-Policy")).containsExactly("same-origin");

    HttpResponse<String> api = send(as("alice", "/aims/approvals").GET());
    assertThat(api.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    HttpResponse<String> unauthenticated = send(request("/aims/approvals").GET());
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
  }

  @Test
  void the_session_cookie_of_the_console_is_same_site_lax() throws Exception {
    HttpResponse<String> login = send(request("/aims/login").GET());
    assertThat(login.statusCode()).isEqualTo(200);
    List<String> cookies = login.headers().allValues("Set-Cookie");
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").contains("SameSite=Lax", "HttpOnly"));
    assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("default-src 'none'"));
  }

  // ---- recently decided --------------------------------------------------------------------------

  @Test
  void recently_decided_shows_the_newest_decisions_beyond_the_first_5000() throws Exception {
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("bob",
        "n/a", List.of(new SimpleGrantedAuthority("ROLE_AIMS_REVIEWER"))));
    UUID last = null;
    try {
      for (int i = 0; i < ConsoleController.RECENT_SCAN + 100; i++) {
        PendingDecision<Offer> pending = aims.system("loans").useCase("credit").model(MODEL)
            .input(new Application("bulk-" + i, 80_000)).feature("amount", 80_000).requester("dave")
            .submit(in -> new Offer(true, 0.05));
        approvals.reject(pending.decisionId(), "bulk rejection " + i + " for the listing test");
        last = pending.decisionId();
        requests.next(); // keep the notifier's queue for the other tests empty
      }
    } finally {
      SecurityContextHolder.clearContext();
    }
    HttpResponse<String> console = send(as("alice", "/aims/console").GET());
    assertThat(console.body()).contains("<tr id=\"decided-" + last + "\">",
        "bulk rejection " + (ConsoleController.RECENT_SCAN + 99) + " for the listing test");
    assertThat(console.body().indexOf("bulk rejection " + (ConsoleController.RECENT_SCAN + 99)))
        .as("newest first").isLessThan(console.body().indexOf("bulk rejection " + (ConsoleController.RECENT_SCAN + 98)));
  }
}
