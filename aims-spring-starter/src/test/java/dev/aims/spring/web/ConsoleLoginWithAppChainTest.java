package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console's sign-in when the application's own chain is {@code anyRequest().authenticated()}
 * with its own form login: requests that chain saved for its login (the favicon, an error
 * dispatch) are never where signing in to the console lands.
 */
@SpringBootTest(classes = {WebTestApplication.class, ConsoleLoginWithAppChainTest.AppChain.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleLoginWithAppChainTest {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @Configuration(proxyBeanMethods = false)
  static class AppChain {
    @Bean
    SecurityFilterChain appChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).formLogin(Customizer.withDefaults())
          .build();
    }
  }

  @LocalServerPort int port;
  final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signing_in_to_the_console_after_the_app_saved_its_own_requests_lands_on_the_console() throws Exception {
    // the browser's favicon and an error page, both sent to the application's login and saved there
    assertThat(get("/favicon.ico").statusCode()).isEqualTo(302);
    assertThat(get("/error").statusCode()).isEqualTo(302);

    HttpResponse<String> page = get("/aims/login");
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).isTrue();
    String form = "username=alice&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
        + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/aims/login"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://localhost:" + port)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/aims/console").doesNotContain("/error", "favicon"));
    HttpResponse<String> console = get("/aims/console");
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.body()).contains("id=\"reviewer\">alice<");
  }

  @Test
  void a_console_page_asked_for_before_signing_in_is_where_signing_in_lands() throws Exception {
    assertThat(get("/favicon.ico").statusCode()).isEqualTo(302);
    HttpResponse<String> redirect = get("/aims/console");
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/aims/login"));
    HttpResponse<String> page = get("/aims/login");
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).isTrue();
    String form = "username=bob&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
        + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/aims/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).contains("/aims/console").doesNotContain("/error", "favicon"));
  }
}
