package dev.aims.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.Notifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Separation of duties for {@code ChatClient} calls through the real HTTP stack (Tomcat, the
 * application's own security chain, the starter's {@code /aims/**} chain and API): a reviewer who
 * asks the governed chat endpoint is its requester and gets 403 self-review when approving it.
 */
@SpringBootTest(classes = ChatSelfReviewHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "aims.log.type=MEMORY",
        "aims.systems.support-bot.name=Support bot",
        "aims.systems.support-bot.owner=support-team",
        "aims.systems.support-bot.purpose=Answer customers' parcel questions",
        "aims.systems.support-bot.risk-tier=LIMITED",
        "aims.systems.support-bot.allowed-models[0]=openai:gpt-4o:2024-08-06",
        "aims.ai.system=support-bot",
        "aims.ai.model=openai:gpt-4o:2024-08-06"})
class ChatSelfReviewHttpTest {
  static final String PASSWORD = "correct horse battery staple";

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    final BlockingQueue<ApprovalRequest> requested = new LinkedBlockingQueue<>();

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build(),
          User.withUsername("bob").password("{noop}" + PASSWORD).roles("AIMS_REVIEWER").build());
    }

    /** The application's own chain: everything else needs a signed-in user. */
    @Bean
    SecurityFilterChain appChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    Notifier requestedNotifier() {
      return notice -> {
        if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
          requested.add(notice.request());
        }
      };
    }

    /** Reports a model the register does not know, so change control sends every answer to REVIEW. */
    @Bean
    StubChatModel chatModel() {
      return new StubChatModel("Your parcel arrives on Tuesday.", "gpt-5-preview");
    }

    @Bean
    ChatClient chat(StubChatModel model, AimsChatAdvisor governed) {
      return ChatClient.builder(model).defaultAdvisors(governed).build();
    }

    @Bean
    ChatEndpoint chatEndpoint(ChatClient chat) {
      return new ChatEndpoint(chat);
    }
  }

  @RestController
  static class ChatEndpoint {
    private final ChatClient chat;

    ChatEndpoint(ChatClient chat) {
      this.chat = chat;
    }

    @GetMapping("/chat")
    String ask(@RequestParam String q) {
      return chat.prompt().user(q).call().content();
    }
  }

  @LocalServerPort int port;
  @Autowired App app;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpRequest.Builder as(String user, String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> approve(String user, UUID id) throws Exception {
    return http.send(as(user, "/aims/approvals/" + id + "/approve").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"rationale\": \"a plain delivery answer, nothing promised\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_chat_call_approved_by_its_own_requester_is_a_403_self_review_and_another_reviewer_releases_it()
      throws Exception {
    CompletableFuture<HttpResponse<String>> chat = http.sendAsync(as("alice", "/chat?q=where%20is%20my%20parcel")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    ApprovalRequest request = app.requested.poll(30, TimeUnit.SECONDS);
    assertThat(request).as("an approval request for the chat call").isNotNull();
    assertThat(request.requester()).isEqualTo("alice");

    HttpResponse<String> own = approve("alice", request.id());
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(own.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(own.body()).contains("\"type\":\"urn:aims:problem:self-review\"", "\"refusal\":\"SELF_REVIEW\"");
    assertThat(chat).isNotDone();

    HttpResponse<String> other = approve("bob", request.id());
    assertThat(other.statusCode()).isEqualTo(200);
    HttpResponse<String> answered = chat.get(30, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.body()).isEqualTo("Your parcel arrives on Tuesday.");
  }
}
