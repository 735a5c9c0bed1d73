package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real {@code prometheus} process for one test: a generated configuration that scrapes the
 * example every second and evaluates the given rule file every second, its storage and log in a
 * temporary directory, a free port on 127.0.0.1.
 */
final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final Path logFile;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  final int port;

  private PrometheusServer(Process process, Path logFile, int port) {
    this.process = process;
    this.logFile = logFile;
    this.port = port;
  }

  /** Starts Prometheus scraping {@code target} ({@code host:port}) and loading {@code rules}. */
  static PrometheusServer start(Path workDir, String target, Path rules) throws IOException {
    Path binary = Observability.onPath("prometheus");
    if (binary == null) {
      fail("prometheus is not on the PATH; the e2e tests need it (Debian: apt-get install prometheus)");
    }
    int port = freePort();
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: loan-service
            metrics_path: /actuator/prometheus
            static_configs:
              - targets: ["%s"]
        """.formatted(rules.toAbsolutePath(), target));
    Path log = workDir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrometheusServer server = new PrometheusServer(p, log, port);
    try {
      Awaitility.await("Prometheus ready on port " + port).atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException("prometheus exited with " + p.exitValue() + ":\n" + server.log());
            }
            try {
              return server.get("/-/ready").statusCode() == 200;
            } catch (IllegalStateException notListeningYet) {
              return false; // still starting (connection refused): poll again until the deadline
            }
          });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code /api/v1/query}: the JSON answer; fails on an error status. */
  JsonNode query(String promql) {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = parse(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("Prometheus rejected the query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return body.path("data");
  }

  /** {@code /api/v1/alerts}: the active (pending or firing) alerts. */
  JsonNode alerts() {
    return parse(get("/api/v1/alerts").body()).path("data").path("alerts");
  }

  /** {@code /api/v1/targets}: the scrape targets, for failure messages. */
  String targets() {
    return get("/api/v1/targets").body();
  }

  String log() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("Prometheus answered something that is not JSON: " + body, e);
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " from Prometheus failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
