package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Aims;
import dev.aims.core.ModelRef;
import dev.aims.spring.web.WebTestApplication.Requests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Graceful shutdown with a call waiting for review, through Tomcat: the starter's approvals
 * shutdown step runs before the web server stops, so the caller gets an HTTP 503 problem with
 * Retry-After (not an empty reply), and the file decision log has the refusal before it closes.
 */
class ShutdownHttpTest {
  private static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(App.Loans.class)
  static class App {
    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("dave").password("{noop}" + PASSWORD).roles("CUSTOMER").build());
    }

    /** Two notifier beans: both are told (the test waits on the second). */
    @Bean
    dev.aims.oversight.Notifier firstNotifier() {
      return dev.aims.oversight.Notifier.slf4j();
    }

    @Bean
    Requests requests() {
      return new Requests();
    }

    @RestController
    static class Loans {
      private final Aims aims;

      Loans(Aims aims) {
        this.aims = aims;
      }

      @GetMapping("/loans")
      String decide(@RequestParam double amount) {
        return aims.system("loans").useCase("credit").model(MODEL).input("applicant-1").feature("amount", amount)
            .requester("dave").call(in -> "offer").output();
      }
    }
  }

  @TempDir Path logDir;

  @Test
  void aCallWaitingForReviewGetsA503WithRetryAfterAndTheLogHasTheRefusal() throws Exception {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).properties(
        "server.port=0",
        "server.shutdown=graceful",
        "spring.main.banner-mode=off",
        "aims.log.type=FILE",
        "aims.log.directory=" + logDir,
        "aims.systems.loans.name=Loan decisions",
        "aims.systems.loans.owner=credit-risk team",
        "aims.systems.loans.purpose=Decide consumer loan applications",
        "aims.systems.loans.risk-tier=HIGH",
        "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1",
        "aims.systems.loans.policy-version=7",
        "aims.systems.loans.boundaries[0].id=large-loan",
        "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
        "aims.systems.loans.boundaries[0].feature=amount",
        "aims.systems.loans.boundaries[0].above=50000").run();
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest call = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/loans?amount=80000"))
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(("dave:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(60)).build();
    CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(call, HttpResponse.BodyHandlers.ofString());
    context.getBean(Requests.class).next();

    context.close();

    HttpResponse<String> r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.body()).contains("\"type\":\"urn:aims:problem:shutting-down\"", "\"refusal\":\"SHUTDOWN\"",
        "the approval service is shutting down");
    List<String> lines;
    try (Stream<Path> files = Files.list(logDir)) {
      lines = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"decision.final\"")
        .contains("\"outcome\":\"REFUSED\"").contains("shutdown: the approval service is shutting down"));
  }
}
