package dev.aims.oversight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each notice as JSON to an HTTP endpoint with the JDK HTTP client, on its own thread, so the
 * decision path never waits for it. Each delivery is signed and retried with exponential backoff.
 *
 * <p>The request: {@code POST} with {@code Content-Type: application/json} and headers
 * <ul>
 *   <li>{@value #DELIVERY_HEADER}: the notice id, the same on every retry (receivers de-duplicate by it);
 *   <li>{@value #TIMESTAMP_HEADER}: Unix seconds when the delivery was signed;
 *   <li>{@value #SIGNATURE_HEADER}: {@code sha256=<hex HMAC-SHA-256 of "<timestamp>.<body>">} with the
 *       shared secret; check it with {@link #verify}.
 * </ul>
 * Body: {@code {"id", "kind", "at", "request": {...}}} with the request as reviewers see it
 * (output redacted). A 2xx answer is delivered; 408, 429, 5xx and I/O errors are retried; other
 * answers are not. Deliveries beyond {@code maxQueued} waiting at once are dropped and counted.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  public static final String SIGNATURE_HEADER = "X-Aims-Signature";
  public static final String TIMESTAMP_HEADER = "X-Aims-Timestamp";
  public static final String DELIVERY_HEADER = "X-Aims-Delivery";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

  private final URI endpoint;
  private final byte[] secret;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final int maxQueued;
  private final HttpClient client;
  private final ObjectMapper mapper = ActionDigest.mapper();
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicInteger queued = new AtomicInteger();
  private final Object idle = new Object();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private WebhookNotifier(Builder b) {
    this.endpoint = b.endpoint;
    this.secret = b.secret.clone();
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.timeout = b.timeout;
    this.maxQueued = b.maxQueued;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "aims-webhook");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param endpoint where notices are posted
   * @param secret the shared HMAC key, at least 16 bytes
   */
  public static Builder builder(URI endpoint, byte[] secret) {
    return new Builder(endpoint, secret);
  }

  @Override
  public void notify(ApprovalNotice notice) {
    String body;
    try {
      body = mapper.writeValueAsString(body(notice));
    } catch (JsonProcessingException | RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("AIMS webhook could not write notice {} as JSON; it is not delivered", notice.id(), e);
      return;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      long n = dropped.incrementAndGet();
      LOG.error("AIMS webhook {} has {} deliveries waiting; notice {} ({} of request {}) is dropped ({} dropped so"
          + " far). The request itself is in the approval store.", endpoint, maxQueued, notice.id(), notice.kind(),
          notice.request().id(), n);
      return;
    }
    executor.execute(() -> attempt(notice, body, 1));
  }

  private ObjectNode body(ApprovalNotice notice) throws JsonProcessingException {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", notice.id().toString());
    root.put("kind", notice.kind().name().toLowerCase(Locale.ROOT));
    root.put("at", notice.at().toString());
    ObjectNode request = mapper.valueToTree(notice.request());
    // a receiver is not a reviewer: the input (redacted only by the system's rules) stays in the store,
    // for reviewers to read through the service
    request.remove("input");
    request.put("required_role", notice.request().requiredRole());
    request.put("approvals_required", notice.request().approvalsRequired());
    // show the outputs as JSON, not as strings of JSON
    request.set("proposed_output", mapper.readTree(notice.request().proposedOutput()));
    String overridden = notice.request().overriddenOutput();
    if (overridden != null) {
      request.set("overridden_output", mapper.readTree(overridden));
    }
    root.set("request", request);
    return root;
  }

  private void attempt(ApprovalNotice notice, String body, int attempt) {
    boolean retry;
    String why;
    try {
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      HttpRequest request = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header(DELIVERY_HEADER, notice.id().toString())
          .header(TIMESTAMP_HEADER, timestamp)
          .header(SIGNATURE_HEADER, "sha256=" + hmac(secret, timestamp + "." + body))
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
          .build();
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 == 2) {
        delivered.incrementAndGet();
        done();
        return;
      }
      retry = status == 408 || status == 429 || status >= 500;
      why = "HTTP " + status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.incrementAndGet();
      done();
      return;
    } catch (Exception e) {
      retry = true;
      why = e.toString();
    }
    if (retry && attempt < maxAttempts && !executor.isShutdown()) {
      long delay = backoff(attempt);
      LOG.debug("AIMS webhook delivery {} to {} failed ({}); attempt {} in {} ms", notice.id(), endpoint, why,
          attempt + 1, delay);
      executor.schedule(() -> attempt(notice, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
      return;
    }
    failed.incrementAndGet();
    done();
    LOG.warn("AIMS webhook gave up delivering notice {} ({} of request {}) to {} after {} attempts: {}", notice.id(),
        notice.kind(), notice.request().id(), endpoint, attempt, why);
  }

  private void done() {
    if (queued.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /**
   * Waits until every notice handed over so far was delivered or given up on (for a graceful
   * shutdown, before {@link #close()}). Returns false if the timeout came first.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (queued.get() > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  private long backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Math.min(base, maxBackoff.toMillis());
  }

  /** Notices delivered with a 2xx answer. */
  public long delivered() {
    return delivered.get();
  }

  /** Notices given up on (non-retryable answer, or attempts used up). */
  public long failed() {
    return failed.get();
  }

  /** Notices dropped because {@code maxQueued} deliveries were already waiting. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Checks a delivery's signature, for receivers: true if {@code signatureHeader} is the HMAC of
   * {@code timestamp + "." + body} under {@code secret}. Compares in constant time. Receivers should
   * also reject old timestamps and delivery ids they have seen.
   */
  public static boolean verify(byte[] secret, String timestamp, String body, String signatureHeader) {
    Objects.requireNonNull(signatureHeader, "signatureHeader");
    byte[] expected = ("sha256=" + hmac(secret, timestamp + "." + body)).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.UTF_8));
  }

  static String hmac(byte[] secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  /** Stops delivering; deliveries still waiting are abandoned. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "WebhookNotifier[" + endpoint + "]";
  }

  public static final class Builder {
    private final URI endpoint;
    private final byte[] secret;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration timeout = Duration.ofSeconds(10);
    private int maxQueued = 10_000;

    private Builder(URI endpoint, byte[] secret) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("endpoint must be http or https but was " + endpoint);
      }
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException("secret must be at least 16 bytes but was " + secret.length);
      }
      this.secret = secret.clone();
    }

    /** Attempts per notice, the first included (default 5). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Wait before the second attempt; doubled for each further one up to {@code maxBackoff} (default 500 ms, 30 s). */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < initial <= max but was " + initial + ", " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Connect and response timeout of one attempt (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Deliveries waiting at most (default 10,000); beyond it notices are dropped and counted. */
    public Builder maxQueued(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxQueued must be >= 1 but was " + max);
      }
      this.maxQueued = max;
      return this;
    }

    public WebhookNotifier build() {
      return new WebhookNotifier(this);
    }
  }
}
