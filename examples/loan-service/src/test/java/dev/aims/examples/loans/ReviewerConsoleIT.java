package dev.aims.examples.loans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.logging.LogReader;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reviewer console of the example in headless Chromium (Debian's chromium and
 * chromium-driver): a loan above the review threshold blocks its API call until a reviewer
 * approves it in the console; the approval is in the decision log with the reviewer's id; the
 * requester of a request cannot approve it; a user without a reviewer role is refused the console.
 * Element ids are the console's own (dev.aims.spring.web.ConsolePage in aims-spring-starter):
 * {@code username}, {@code password}, {@code sign-in}, {@code request-<id>}, {@code rationale-<id>},
 * {@code approve-<id>}, {@code self-note-<id>}, {@code console-message}, {@code logout}.
 */
class ReviewerConsoleIT {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path logDir;
  static RunningLoanService service;
  static WebDriver browser;

  @BeforeAll
  static void start() {
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      fail("headless Chromium tests need " + CHROMIUM + " and " + CHROMEDRIVER
          + " (Debian: apt-get install chromium chromium-driver)");
    }
    service = RunningLoanService.start(logDir);
    ChromeDriverService driver = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600");
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aReviewerApprovesABlockedLoanInTheConsoleAndTheCallCompletesWithTheApprovedDecision() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
        () -> service.applyFor(RunningLoanService.REQUESTER, 150_000, 400_000, 120, "30-49"));
    UUID id = awaitPendingRequestOf(RunningLoanService.REQUESTER);
    assertThat(blocked).as("the API call waits for the review").isNotDone();

    signIn(RunningLoanService.REVIEWER);
    WebElement request = showRequest(id);
    assertThat(request.getText()).contains("large-loan").contains(RunningLoanService.REQUESTER);
    String rationale = "Income statement checked: repayments are 9% of income";
    approveInConsole(id, rationale);

    HttpResponse<String> decided = blocked.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    assertThat(decided.body()).contains("\"approved\":true");

    List<ObjectNode> granted;
    try (Stream<ObjectNode> events = LogReader.of(logDir).system("loans").type("approval.granted").stream()) {
      granted = events.filter(e -> e.toString().contains(id.toString())).toList();
    }
    assertThat(granted).as("approval.granted events of request %s", id).hasSize(1);
    ObjectNode event = granted.get(0);
    assertThat(event.path("actor").path("id").asText()).as("%s", event).isEqualTo(RunningLoanService.REVIEWER);
    assertThat(event.toString()).contains(rationale);
    signOut();
  }

  /**
   * The two-person rule as the second reviewer sees it: the redacted input, the exact action
   * parameters the approval is bound to, and the first reviewer's vote with its rationale, on one
   * screenshot ({@code target/screenshots/console-two-person-rule.png}, kept for a human to look at).
   */
  @Test
  void theSecondReviewerOfATwoPersonLoanSeesTheInputTheActionAndTheFirstVote(@TempDir Path twoPersonLogDir)
      throws Exception {
    try (RunningLoanService twoPerson = RunningLoanService.start(twoPersonLogDir,
        "--aims.systems.loans.review.approvals-required=2")) {
      CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
          () -> twoPerson.applyFor(RunningLoanService.REQUESTER, 175_000, 420_000, 96, "50+"));
      UUID id = awaitPendingRequestOf(twoPerson, RunningLoanService.REQUESTER);

      signIn(twoPerson, RunningLoanService.REVIEWER);
      showRequest(twoPerson, id);
      String first = "Payslips for 12 months match the stated income";
      approveInConsole(id, first);
      assertThat(blocked).as("one approval of two releases nothing").isNotDone();
      signOut();

      signIn(twoPerson, RunningLoanService.ADMIN);
      WebElement request = showRequest(twoPerson, id);
      assertThat(request.findElement(By.id("input-" + id)).getText())
          .as("the input, redacted as in the log").contains("175000").contains("[masked]")
          .doesNotContain("Applicant requester");
      assertThat(request.findElement(By.id("action-" + id)).getText())
          .as("the action parameters the approval is bound to").contains("\"approved\"");
      assertThat(request.findElement(By.id("votes-" + id)).getText())
          .as("every vote so far").contains("approve by " + RunningLoanService.REVIEWER).contains(first);
      assertThat(request.getText()).contains("1 of 2");
      Path shot = Path.of("target", "screenshots", "console-two-person-rule.png");
      Files.createDirectories(shot.getParent());
      byte[] png = request.getScreenshotAs(OutputType.BYTES);
      Files.write(shot, png);
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
      assertThat(image.getHeight()).as("the screenshot holds the whole request").isGreaterThan(400);

      String second = "Collateral valuation report from the bank reviewed";
      approveInConsole(id, second);
      HttpResponse<String> decided = blocked.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
      signOut();

      List<ObjectNode> granted;
      try (Stream<ObjectNode> events = LogReader.of(twoPersonLogDir).system("loans").type("approval.granted").stream()) {
        granted = events.filter(e -> e.toString().contains(id.toString())).toList();
      }
      assertThat(granted).hasSize(1);
      assertThat(granted.get(0).path("details").path("approvers").toString())
          .isEqualTo("[\"" + RunningLoanService.REVIEWER + "\",\"" + RunningLoanService.ADMIN + "\"]");
    }
  }

  @Test
  void theRequesterOfALoanCannotApproveItInTheConsole() throws Exception {
    CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
        () -> service.applyFor(RunningLoanService.OFFICER, 90_000, 250_000, 84, "50+"));
    UUID id = awaitPendingRequestOf(RunningLoanService.OFFICER);

    signIn(RunningLoanService.OFFICER);
    showRequest(id);
    assertThat(browser.findElement(By.id("self-note-" + id)).getText()).contains("another reviewer must decide");
    browser.findElement(By.id("rationale-" + id)).sendKeys("I know this customer well, approve");
    browser.findElement(By.id("approve-" + id)).click();
    WebElement message = new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("console-message")));
    assertThat(message.getAttribute("class")).isEqualTo("error");
    assertThat(message.getText()).contains("Requester cannot review own request");
    assertThat(blocked).as("the refused approval changed nothing").isNotDone();
    signOut();

    HttpResponse<String> reject = service.post(RunningLoanService.REVIEWER, "/aims/approvals/" + id + "/reject",
        "{\"rationale\":\"Collateral documents are missing from the file\"}");
    assertThat(reject.statusCode()).as(reject.body()).isEqualTo(200);
    HttpResponse<String> rejected = blocked.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(422);
    assertThat(rejected.body()).contains("urn:aims:loans:rejected");
  }

  @Test
  void aUserWithoutAReviewerRoleIsRefusedTheConsole() {
    assertThat(service.get(RunningLoanService.REQUESTER, "/aims/console").statusCode()).isEqualTo(403);
    assertThat(service.get(RunningLoanService.REQUESTER, "/aims/approvals?status=PENDING").statusCode()).isEqualTo(403);
  }

  private static UUID awaitPendingRequestOf(String requester) {
    return awaitPendingRequestOf(service, requester);
  }

  private static UUID awaitPendingRequestOf(RunningLoanService service, String requester) {
    ApprovalService approvals = service.context().getBean(ApprovalService.class);
    return await("a pending request of " + requester).atMost(WAIT).until(
            () -> approvals.list(ApprovalQuery.pending().system("loans")).items().stream()
                .filter(r -> requester.equals(r.requester())).map(ApprovalRequest::id).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static void signIn(String user) {
    signIn(service, user);
  }

  private static void signIn(RunningLoanService service, String user) {
    // a page that starts no session, so that no request of its own is in flight while the cookies go
    browser.get(service.baseUrl() + "/actuator/health");
    browser.manage().deleteAllCookies();
    browser.get(service.baseUrl() + "/aims/console");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    username.clear();
    username.sendKeys(user);
    WebElement password = browser.findElement(By.id("password"));
    password.clear();
    password.sendKeys(RunningLoanService.passwordOf(user));
    browser.findElement(By.id("sign-in")).click();
    // the sign-in form posts and redirects; wait until the browser has left the login page, then open
    // the console itself, so the check does not depend on where the redirect landed
    try {
      wait.until(d -> !d.getCurrentUrl().endsWith("/aims/login"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("signing in as " + user + " stayed at " + browser.getCurrentUrl() + ":\n"
          + browser.getPageSource(), e);
    }
    assertThat(browser.getCurrentUrl()).as("signed in as %s", user).doesNotContain("/aims/login?error");
    browser.get(service.baseUrl() + "/aims/console");
    try {
      wait.until(ExpectedConditions.textToBe(By.id("reviewer"), user));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the console did not show " + user + " as the reviewer; at " + browser.getCurrentUrl()
          + ":\n" + browser.getPageSource(), e);
    }
  }

  private static WebElement showRequest(UUID id) {
    return showRequest(service, id);
  }

  private static WebElement showRequest(RunningLoanService service, UUID id) {
    browser.get(service.baseUrl() + "/aims/console");
    return new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("request-" + id)));
  }

  private static WebElement approveInConsole(UUID id, String rationale) {
    browser.findElement(By.id("rationale-" + id)).sendKeys(rationale);
    browser.findElement(By.id("approve-" + id)).click();
    WebElement message = new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("console-message")));
    assertThat(message.getAttribute("class")).as(message.getText()).isEqualTo("ok");
    return message;
  }

  private static void signOut() {
    browser.findElement(By.cssSelector("#logout button, #logout input[type=submit]")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
  }
}
