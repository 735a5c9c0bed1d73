package dev.aims.examples.loans;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example service started in this JVM on a free port, with its decision log in a given
 * directory, and an HTTP client that logs in with the demo users' Basic credentials.
 */
final class RunningLoanService implements AutoCloseable {
  static final String REQUESTER = "requester";
  static final String REVIEWER = "reviewer";
  static final String OFFICER = "officer";
  static final String ADMIN = "admin";

  private final ConfigurableApplicationContext context;
  private final HttpClient http = HttpClient.newHttpClient();
  final int port;
  final Path logDir;

  private RunningLoanService(ConfigurableApplicationContext context, Path logDir) {
    this.context = context;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.logDir = logDir;
  }

  /** Starts the service; {@code extraArgs} are further {@code --name=value} arguments. */
  static RunningLoanService start(Path logDir, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--aims.log.directory=" + logDir,
        "--aims.log.stream=loans-test",
        "--spring.main.banner-mode=off"));
    args.addAll(List.of(extraArgs));
    SpringApplication app = new SpringApplication(LoanServiceApplication.class);
    return new RunningLoanService(app.run(args.toArray(String[]::new)), logDir);
  }

  /**
   * Starts the service with Spring profile {@code postgres} as shipped (no stream or store settings
   * added), on {@code dataSource}, which stands in for the one {@code spring.datasource.*} would
   * make with the Maven profile's JDBC starter.
   */
  static RunningLoanService startPostgres(javax.sql.DataSource dataSource, Path logDir) {
    SpringApplication app = new SpringApplication(LoanServiceApplication.class);
    app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("dataSource", dataSource));
    return new RunningLoanService(app.run("--server.port=0", "--spring.profiles.active=postgres",
        "--spring.main.banner-mode=off"), logDir);
  }

  ConfigurableApplicationContext context() {
    return context;
  }

  String baseUrl() {
    return "http://localhost:" + port;
  }

  static String passwordOf(String user) {
    return user + "-pass";
  }

  /** POSTs a loan application as {@code user}. */
  HttpResponse<String> applyFor(String user, double amount, double income, int termMonths, String ageBand) {
    String body = String.format(Locale.ROOT,
        "{\"applicant\":\"Applicant %s\",\"amount\":%.2f,\"income\":%.2f,\"termMonths\":%d,\"ageBand\":\"%s\"}",
        user, amount, income, termMonths, ageBand);
    return post(user, "/loans/decisions", body);
  }

  HttpResponse<String> post(String user, String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Authorization", basic(user))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpResponse<String> get(String user, String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (user != null) {
      b.header("Authorization", basic(user));
    }
    return send(b.build());
  }

  /** The Prometheus exposition at {@code /actuator/prometheus}, fetched without credentials. */
  String scrape() {
    HttpResponse<String> r = get(null, "/actuator/prometheus");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/actuator/prometheus answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + request.uri(), e);
    }
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + passwordOf(user)).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    context.close();
  }
}
