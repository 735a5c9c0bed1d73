package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.aims.core.testing.TestClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  static final byte[] SECRET = "0123456789abcdef-webhook-secret".getBytes(StandardCharsets.UTF_8);

  record Delivery(String id, String timestamp, String signature, String body) {}

  final TestClock clock = clock();
  final TestReviewers reviewers = new TestReviewers();
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  HttpServer server;
  WebhookNotifier webhook;
  ApprovalService service;

  /** A receiver on 127.0.0.1 answering with the given status codes in turn. */
  URI receiver(IntSupplier status, CountDownLatch answered) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/aims", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst(WebhookNotifier.DELIVERY_HEADER),
          exchange.getRequestHeaders().getFirst(WebhookNotifier.TIMESTAMP_HEADER),
          exchange.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER), body));
      exchange.sendResponseHeaders(status.getAsInt(), -1);
      exchange.close();
      answered.countDown();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aims");
  }

  void start(URI endpoint) {
    webhook = WebhookNotifier.builder(endpoint, SECRET).maxAttempts(3)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).timeout(Duration.ofSeconds(5)).build();
    service = ApprovalService.builder().clock(clock).reviewers(reviewers).notifier(webhook).encoder(encoder())
        .sweepEvery(Duration.ZERO).policy(SYSTEM, oneReviewer()).build();
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aNoticeIsPostedAsSignedJsonAndRetriedWithTheSameDeliveryIdAfterAServerError() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch twoAnswers = new CountDownLatch(2);
    start(receiver(() -> calls.incrementAndGet() == 1 ? 503 : 204, twoAnswers));
    UUID id = UUID.randomUUID();

    service.submit(reviewRequest(id, 80_000, clock.instant()));

    assertThat(twoAnswers.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(deliveries).hasSize(2);
    Delivery first = deliveries.get(0);
    Delivery retry = deliveries.get(1);
    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(WebhookNotifier.verify(SECRET, retry.timestamp(), retry.body(), retry.signature())).isTrue();
    assertThat(WebhookNotifier.verify(SECRET, retry.timestamp(), retry.body() + " ", retry.signature())).isFalse();
    assertThat(WebhookNotifier.verify("another-secret-of-16+bytes".getBytes(StandardCharsets.UTF_8),
        retry.timestamp(), retry.body(), retry.signature())).isFalse();
    JsonNode json = ActionDigest.mapper().readTree(retry.body());
    assertThat(json.get("kind").asText()).isEqualTo("requested");
    assertThat(json.get("id").asText()).isEqualTo(first.id());
    assertThat(json.at("/request/id").asText()).isEqualTo(id.toString());
    assertThat(json.at("/request/required_role").asText()).isEqualTo(REVIEWER_ROLE);
    assertThat(json.at("/request/proposed_output/explanation").asText()).isEqualTo("[masked]");
    assertThat(retry.body()).doesNotContain("jane.doe");
    awaitDelivered(1);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    start(receiver(() -> 400, answered));

    service.submit(reviewRequest(UUID.randomUUID(), 80_000, clock.instant()));

    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    awaitFailed(1);
    assertThat(deliveries).hasSize(1);
  }

  @Test
  void aSlowReceiverNeverBlocksTheDecisionPath() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch answered = new CountDownLatch(1);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/aims", exchange -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      answered.countDown();
    });
    server.start();
    start(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aims"));
    UUID id = UUID.randomUUID();

    long t0 = System.nanoTime();
    service.submit(reviewRequest(id, 80_000, clock.instant()));
    reviewers.as(RITA, () -> service.approve(id, WHY));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    assertThat(service.find(id).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(tookMillis).isLessThan(2_000);
    release.countDown();
    assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theBuilderRefusesAShortSecretAndOtherSchemes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> WebhookNotifier.builder(URI.create("https://example.com"), new byte[8])).hasMessageContaining("secret");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> WebhookNotifier.builder(URI.create("ftp://example.com"), SECRET)).hasMessageContaining("http");
  }

  private void awaitDelivered(long n) throws InterruptedException {
    assertThat(webhook.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(webhook.delivered()).isEqualTo(n);
  }

  private void awaitFailed(long n) throws InterruptedException {
    assertThat(webhook.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(webhook.failed()).isEqualTo(n);
  }
}
