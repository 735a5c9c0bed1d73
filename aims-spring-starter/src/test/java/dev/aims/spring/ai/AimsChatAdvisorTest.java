package dev.aims.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.TokenUsage;
import dev.aims.core.UnknownSystemException;
import dev.aims.core.Verdict;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.ModelChangeControl;
import dev.aims.core.policy.Reason;
import dev.aims.core.policy.Stage;
import dev.aims.oversight.ApprovalRefusedException;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.Reviewer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** The advisor on Spring AI's real {@code ChatClient}, over a local stub chat model. */
class AimsChatAdvisorTest {
  static final String SYSTEM = "support-bot";
  static final String USE_CASE = "answer-customer";
  static final ModelRef GPT = ModelRef.of("openai", "gpt-4o", "2024-08-06");
  static final ModelRef MINI = ModelRef.of("openai", "gpt-4o-mini", "2024-07-18");
  static final Reviewer RITA = Reviewer.of("rita", ApprovalService.DEFAULT_REVIEWER_ROLE);
  static final String QUESTION = "Where is my parcel?";
  static final String ANSWER = "Your parcel arrives on Tuesday.";

  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final TestReviewers reviewers = new TestReviewers();
  final RequestsSeen requests = new RequestsSeen();
  final ApprovalService approvals = ApprovalService.builder().reviewers(reviewers).notifier(requests)
      .sweepEvery(Duration.ZERO).build();
  final Aims aims = Aims.builder()
      .register(supportBot())
      .policy(SYSTEM, DecisionPolicy.of("2026-11",
          DecisionBoundary.when("no-account-numbers", Stage.OUTPUT,
              ctx -> String.valueOf(ctx.output()).matches("(?s).*\\d{8,}.*"), Verdict.DENY,
              "the answer contains an account number"),
          DecisionBoundary.when("refund-promise", Stage.OUTPUT,
              ctx -> String.valueOf(ctx.output()).contains("refund"), Verdict.REVIEW, "the answer mentions a refund"),
          DecisionBoundary.when("blocked-customer", Stage.INPUT,
              ctx -> "blocked".equals(ctx.features().get("tier")), Verdict.DENY, "blocked customers are not served"),
          DecisionBoundary.when("minor", Stage.INPUT,
              ctx -> "under-18".equals(ctx.protectedAttributes().get("age_band")), Verdict.REVIEW,
              "a minor asks")))
      .approvalGate(approvals)
      .decisionLog(log)
      .logProtectedAttributes(true)
      .build();
  final StubChatModel model = new StubChatModel(ANSWER, "gpt-4o-2024-08-06");
  final AimsChatAdvisor advisor = AimsChatAdvisor.builder(aims).system(SYSTEM).useCase(USE_CASE).model(GPT).build();
  final ChatClient chat = ChatClient.builder(model).defaultSystem("You answer parcel questions.")
      .defaultAdvisors(advisor).build();
  final ExecutorService caller = Executors.newSingleThreadExecutor();

  AimsChatAdvisorTest() {
    approvals.attach(aims);
  }

  @AfterEach
  void close() {
    caller.shutdownNow();
    approvals.close();
    aims.close();
  }

  static AiSystem supportBot() {
    return AiSystem.builder(SYSTEM).owner("support-team").purpose("answer customers' parcel questions")
        .riskTier(RiskTier.LIMITED).allowModel(GPT).allowModel(MINI).build();
  }

  DecisionEvent finalEvent() {
    List<DecisionEvent> finals = log.events(EventTypes.DECISION_FINAL, DecisionEvent.class);
    assertThat(finals).isNotEmpty();
    return finals.get(finals.size() - 1);
  }

  // ---- ALLOW -------------------------------------------------------------------------------------

  @Test
  void anAllowedCallReturnsTheAnswerAndLogsTheResponseModelAndTokenUsage() {
    ChatClientResponse response = chat.prompt().user(QUESTION).call().chatClientResponse();

    assertThat(response.chatResponse().getResult().getOutput().getText()).isEqualTo(ANSWER);
    DecisionEvent event = finalEvent();
    assertThat(event.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(event.system()).isEqualTo(SYSTEM);
    assertThat(event.useCase()).isEqualTo(USE_CASE);
    assertThat(event.model()).isEqualTo(GPT);
    // "gpt-4o-2024-08-06" as the provider reports it is the registered gpt-4o at version 2024-08-06
    assertThat(event.responseModel()).isEqualTo(GPT);
    assertThat(event.usage()).isEqualTo(TokenUsage.of(12, 7));
    assertThat(event.input()).isEqualTo("system: You answer parcel questions.\nuser: " + QUESTION);
    assertThat(event.output()).isEqualTo(ANSWER);
    Decision<?> decision = (Decision<?>) response.context().get(AimsChatAdvisor.DECISION);
    assertThat(decision.id()).isEqualTo(event.decisionId());
    assertThat(decision.usage()).isEqualTo(TokenUsage.of(12, 7));
  }

  @Test
  void aPromptNamingAnotherRegisteredModelIsRecordedWithThatModel() {
    model.reporting("gpt-4o-mini-2024-07-18");

    String answer = chat.prompt().user(QUESTION).options(ChatOptions.builder().model("gpt-4o-mini")).call().content();

    assertThat(answer).isEqualTo(ANSWER);
    assertThat(finalEvent().model()).isEqualTo(MINI);
    assertThat(finalEvent().responseModel()).isEqualTo(MINI);
  }

  // ---- DENY and refusals ---------------------------------------------------------------------------

  @Test
  void anAnswerCrossingAnOutputBoundaryIsDeniedAndNeverReturned() {
    model.answering("Your account 12345678 is credited.");

    assertThatThrownBy(() -> chat.prompt().user(QUESTION).call().content())
        .isInstanceOf(DecisionDeniedException.class)
        .satisfies(e -> assertThat(((DecisionDeniedException) e).reasons()).extracting(Reason::boundary)
            .containsExactly("no-account-numbers"));
    assertThat(model.calls()).isEqualTo(1);
    assertThat(finalEvent().outcome()).isEqualTo(Outcome.DENIED);
    assertThat(finalEvent().output()).isEqualTo("Your account 12345678 is credited.");
  }

  @Test
  void aPromptNamingAModelOutsideTheRegisterIsDeniedBeforeTheModelIsAsked() {
    assertThatThrownBy(() -> chat.prompt().user(QUESTION).options(ChatOptions.builder().model("gpt-3.5-turbo"))
        .call().content())
        .isInstanceOf(DecisionDeniedException.class)
        .hasMessageContaining(ModelChangeControl.INPUT_ID)
        .hasMessageContaining("openai:gpt-3.5-turbo:" + AimsChatAdvisor.UNKNOWN_VERSION);
    assertThat(model.calls()).isZero();
  }

  @Test
  void aStoppedSystemIsRefusedWithoutAskingTheModel() {
    aims.stop(SYSTEM, "incident 4711: wrong delivery dates", Actor.of("olga", "AIMS_ADMIN"));

    assertThatThrownBy(() -> chat.prompt().user(QUESTION).call().content())
        .isInstanceOf(DecisionRefusedException.class)
        .satisfies(e -> assertThat(((DecisionRefusedException) e).refusal())
            .isEqualTo(DecisionRefusedException.Cause.SYSTEM_STOPPED))
        .hasMessageContaining("incident 4711");
    assertThat(model.calls()).isZero();
    assertThat(finalEvent().outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aFailingModelIsRecordedAsFailedAndItsExceptionPropagatesUnchanged() {
    IllegalStateException down = new IllegalStateException("provider returned 503");
    model.failingWith(down);

    assertThatThrownBy(() -> chat.prompt().user(QUESTION).call().content()).isSameAs(down);
    DecisionEvent event = finalEvent();
    assertThat(event.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(event.error()).contains("provider returned 503");
  }

  // ---- features, protected attributes, requester ---------------------------------------------------

  @Test
  void featuresFromAdvisorParamsReachTheInputBoundariesAndTheLog() {
    assertThatThrownBy(() -> chat.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.featureParam("tier"), "blocked")).call().content())
        .isInstanceOf(DecisionDeniedException.class)
        .hasMessageContaining("blocked-customer");
    assertThat(model.calls()).isZero();

    chat.prompt().user(QUESTION).advisors(a -> a.param(AimsChatAdvisor.featureParam("tier"), "gold")
        .param(AimsChatAdvisor.featureParam("open_tickets"), 3)
        .param(AimsChatAdvisor.protectedParam("age_band"), "40-49")).call().content();
    DecisionEvent event = finalEvent();
    assertThat(event.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(event.features()).containsEntry("tier", "gold").containsEntry("open_tickets", 3.0);
    assertThat(event.protectedAttributes()).containsEntry("age_band", "40-49");
  }

  @Test
  void theSignedInUserIsTheRequesterAndCannotApproveTheirOwnCallNorCanTheSameNameInAnotherCase() throws Exception {
    Future<String> call = caller.submit(() -> asSignedIn("rita", () -> chat.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.protectedParam("age_band"), "under-18"))
        .call().content()));

    ApprovalRequest request = requests.next();
    assertThat(request.requester()).isEqualTo("rita");
    assertThatThrownBy(() -> reviewers.as(RITA, () -> approvals.approve(request.id(), "looks fine to me")))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(ApprovalRefusedException.Refusal.SELF_REVIEW))
        .hasMessageContaining("separation of duties");
    Reviewer shouting = Reviewer.of(" RITA", ApprovalService.DEFAULT_REVIEWER_ROLE);
    assertThatThrownBy(() -> reviewers.as(shouting, () -> approvals.approve(request.id(), "looks fine to me")))
        .isInstanceOfSatisfying(ApprovalRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(ApprovalRefusedException.Refusal.SELF_REVIEW));
    reviewers.as(Reviewer.of("sam", ApprovalService.DEFAULT_REVIEWER_ROLE),
        () -> approvals.approve(request.id(), "a plain delivery answer, fine for a minor"));
    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ANSWER);
  }

  @Test
  void aStreamedCallRecordsTheUserSignedInOnTheCallingThread() throws Exception {
    Future<List<String>> call = caller.submit(() -> asSignedIn("rita", () -> chat.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.protectedParam("age_band"), "under-18"))
        .stream().content().collectList().block(Duration.ofSeconds(20))));

    ApprovalRequest request = requests.next();
    assertThat(request.requester()).isEqualTo("rita");
    reviewers.as(Reviewer.of("sam", ApprovalService.DEFAULT_REVIEWER_ROLE),
        () -> approvals.approve(request.id(), "a plain delivery answer, fine for a minor"));
    assertThat(String.join("", call.get(20, TimeUnit.SECONDS))).isEqualTo(ANSWER);
  }

  @Test
  void theRequesterParamIsRefusedUnlessTheAdvisorTrustsIt() {
    assertThatThrownBy(() -> asSignedIn("rita", () -> chat.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.REQUESTER, "somebody-else")).call().content()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("advisor parameter 'aims.requester' names the requester from request data and is not"
            + " trusted: build the advisor with trustRequesterParam() (property aims.ai.trust-requester-param=true)");
    assertThat(model.calls()).isZero();
  }

  @Test
  void aTrustedRequesterParamIsOnTheApprovalRequestAndCannotApproveItself() throws Exception {
    ChatClient trusting = ChatClient.builder(model).defaultAdvisors(AimsChatAdvisor.builder(aims).system(SYSTEM)
        .useCase(USE_CASE).model(GPT).trustRequesterParam().build()).build();
    Future<String> call = caller.submit(() -> asSignedIn("support-portal", () -> trusting.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.protectedParam("age_band"), "under-18")
            .param(AimsChatAdvisor.REQUESTER, "rita"))
        .call().content()));

    ApprovalRequest request = requests.next();
    assertThat(request.requester()).isEqualTo("rita");
    assertThat(request.reasons()).extracting(Reason::boundary).containsExactly("minor");
    assertThatThrownBy(() -> reviewers.as(RITA, () -> approvals.approve(request.id(), "looks fine to me")))
        .isInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining("separation of duties");
    reviewers.as(Reviewer.of("sam", ApprovalService.DEFAULT_REVIEWER_ROLE),
        () -> approvals.approve(request.id(), "a plain delivery answer, fine for a minor"));
    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ANSWER);
  }

  private static <T> T asSignedIn(String user, java.util.concurrent.Callable<T> work) throws Exception {
    SecurityContextHolder.getContext().setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, "n/a", List.of()));
    try {
      return work.call();
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  @Test
  void anAdvisorParamOfTheWrongTypeFailsNamingTheParam() {
    assertThatThrownBy(() -> chat.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.featureParam("tags"), List.of("late", "lost"))).call().content())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aims.feature.tags")
        .hasMessageContaining("java.util");
    ChatClient trusting = ChatClient.builder(model).defaultAdvisors(AimsChatAdvisor.builder(aims).system(SYSTEM)
        .useCase(USE_CASE).model(GPT).trustRequesterParam().build()).build();
    assertThatThrownBy(() -> trusting.prompt().user(QUESTION)
        .advisors(a -> a.param(AimsChatAdvisor.REQUESTER, 42)).call().content())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AimsChatAdvisor.REQUESTER);
    assertThat(model.calls()).isZero();
  }

  // ---- REVIEW ------------------------------------------------------------------------------------

  @Test
  void anAnswerFromAModelOutsideTheRegisterWaitsForAReviewerAndReturnsOnceApprovedOnAnotherThread()
      throws Exception {
    model.reporting("gpt-5-preview");
    Future<String> call = caller.submit(() -> chat.prompt().user(QUESTION).call().content());

    ApprovalRequest request = requests.next();
    assertThat(request.reasons()).extracting(Reason::boundary).containsExactly(ModelChangeControl.OUTPUT_ID);
    assertThat(request.proposedOutput()).contains(ANSWER);
    assertThat(call).isNotDone();
    reviewers.as(RITA, () -> approvals.approve(request.id(), "same answer as gpt-4o gives, fine"));

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(ANSWER);
    DecisionEvent event = finalEvent();
    assertThat(event.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(event.verdict()).isEqualTo(Verdict.REVIEW);
    assertThat(event.responseModel()).isEqualTo(ModelRef.of("openai", "gpt-5-preview", AimsChatAdvisor.UNKNOWN_VERSION));
    assertThat(event.actor()).isEqualTo(Actor.of("rita", ApprovalService.DEFAULT_REVIEWER_ROLE));
  }

  @Test
  void aReviewerOverrideReplacesTheAnswerText() throws Exception {
    model.answering("We will refund you twice.");
    Future<ChatClientResponse> call = caller.submit(() -> chat.prompt().user(QUESTION).call().chatClientResponse());

    ApprovalRequest request = requests.next();
    String corrected = "A colleague will contact you about a refund.";
    reviewers.as(RITA, () -> approvals.override(request.id(), "we never promise double refunds", corrected));

    ChatClientResponse response = call.get(10, TimeUnit.SECONDS);
    assertThat(response.chatResponse().getResults()).hasSize(1);
    assertThat(response.chatResponse().getResult().getOutput().getText()).isEqualTo(corrected);
    assertThat(response.chatResponse().getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    assertThat(response.chatResponse().getMetadata().getModel()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(finalEvent().outcome()).isEqualTo(Outcome.OVERRIDDEN);
    assertThat(log.events(EventTypes.DECISION_OVERRIDDEN, DecisionEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.overriddenOutput()).isEqualTo(corrected));
  }

  @Test
  void aRejectedReviewThrowsAndTheAnswerIsNotReturned() throws Exception {
    model.answering("We will refund you twice.");
    Future<String> call = caller.submit(() -> chat.prompt().user(QUESTION).call().content());

    ApprovalRequest request = requests.next();
    reviewers.as(RITA, () -> approvals.reject(request.id(), "we never promise double refunds"));

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(DecisionRejectedException.class)
        .hasMessageContaining("we never promise double refunds");
    assertThat(finalEvent().outcome()).isEqualTo(Outcome.REJECTED);
  }

  // ---- streaming ---------------------------------------------------------------------------------

  @Test
  void aStreamedAnswerIsGovernedAsAWholeThenReplayedChunkByChunk() {
    List<String> chunks = chat.prompt().user(QUESTION).stream().content().collectList().block(Duration.ofSeconds(10));

    assertThat(chunks).hasSize(5);
    assertThat(String.join("", chunks)).isEqualTo(ANSWER);
    assertThat(log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)).hasSize(1);
    DecisionEvent event = finalEvent();
    assertThat(event.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(event.output()).isEqualTo(ANSWER);
    assertThat(event.responseModel()).isEqualTo(GPT);
    assertThat(event.usage()).isEqualTo(TokenUsage.of(12, 5));
  }

  @Test
  void aStreamedAnswerCrossingABoundaryDeliversNoChunkAtAll() {
    model.answering("Your account 12345678 is credited.");
    List<String> received = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> chat.prompt().user(QUESTION).stream().content().doOnNext(received::add)
        .blockLast(Duration.ofSeconds(10)))
        .isInstanceOf(DecisionDeniedException.class);
    assertThat(received).isEmpty();
    assertThat(finalEvent().outcome()).isEqualTo(Outcome.DENIED);
  }

  @Test
  void aStreamedAnswerOverriddenByAReviewerArrivesAsTheReviewersText() throws Exception {
    model.answering("We will refund you twice.");
    Future<List<String>> call = caller.submit(() ->
        chat.prompt().user(QUESTION).stream().content().collectList().block(Duration.ofSeconds(20)));

    ApprovalRequest request = requests.next();
    assertThat(request.proposedOutput()).contains("We will refund you twice.");
    reviewers.as(RITA, () -> approvals.override(request.id(), "we never promise double refunds",
        "A colleague will contact you about a refund."));

    assertThat(call.get(10, TimeUnit.SECONDS)).containsExactly("A colleague will contact you about a refund.");
  }

  // ---- Spring AI's own observation ------------------------------------------------------------------

  @Test
  void theObservationFilterDropsOnlySpringAisObservationOfTheAimsAdvisor() {
    for (boolean filtered : new boolean[] {false, true}) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      ObservationRegistry observations = ObservationRegistry.create();
      observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
      if (filtered) {
        observations.observationConfig().observationPredicate(AimsChatAdvisor.withoutSpringAiAdvisorObservation());
      }
      ChatClient observed = ChatClient.builder(model, observations, null, null).defaultAdvisors(advisor).build();

      assertThat(observed.prompt().user(QUESTION).call().content()).isEqualTo(ANSWER);

      List<String> advisorsTimed = meters.find("spring.ai.advisor").timers().stream()
          .map(t -> t.getId().getTag("spring.ai.advisor.name")).toList();
      assertThat(advisorsTimed).as("filtered=%s", filtered).isNotEmpty();
      if (filtered) {
        assertThat(advisorsTimed).doesNotContain(AimsChatAdvisor.NAME);
      } else {
        assertThat(advisorsTimed).contains(AimsChatAdvisor.NAME);
      }
      assertThat(meters.find("spring.ai.chat.client").timer()).isNotNull();
      assertThat(finalEvent().outcome()).isEqualTo(Outcome.ALLOWED);
    }
  }

  // ---- configuration -----------------------------------------------------------------------------

  @Test
  void theBuilderFailsFastNamingWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> AimsChatAdvisor.builder(aims).useCase(USE_CASE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("system(");
    assertThatThrownBy(() -> AimsChatAdvisor.builder(aims).system(SYSTEM).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("useCase(");
    assertThatThrownBy(() -> AimsChatAdvisor.builder(aims).system("no-such-system").useCase(USE_CASE).build())
        .isInstanceOf(UnknownSystemException.class).hasMessageContaining("no-such-system");
    assertThatThrownBy(() -> AimsChatAdvisor.builder(aims).system(SYSTEM).useCase(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("useCase");
    assertThatThrownBy(() -> AimsChatAdvisor.builder(aims).system(SYSTEM).useCase(USE_CASE).model(GPT)
        .provider("anthropic").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("anthropic").hasMessageContaining("openai");
    try (Aims open = Aims.builder().register(AiSystem.builder("open").owner("lab").purpose("experiments")
        .riskTier(RiskTier.MINIMAL).anyModel().build()).build()) {
      assertThatThrownBy(() -> AimsChatAdvisor.builder(open).system("open").useCase(USE_CASE).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("provider(");
      assertThat(AimsChatAdvisor.builder(open).system("open").useCase(USE_CASE).provider("ollama").build().system())
          .isEqualTo("open");
    }
  }

  @Test
  void withoutAModelTheSystemsOnlyProviderNamesTheReportedModel() {
    try (Aims single = Aims.builder().register(AiSystem.builder("faq").owner("support-team").purpose("faq answers")
        .riskTier(RiskTier.MINIMAL).allowModel(MINI).build()).decisionLog(log).build()) {
      ChatClient faq = ChatClient.builder(model.reporting("gpt-4o-mini-2024-07-18"))
          .defaultAdvisors(AimsChatAdvisor.builder(single).system("faq").useCase("faq").build()).build();

      assertThat(faq.prompt().user(QUESTION).call().content()).isEqualTo(ANSWER);
      assertThat(finalEvent().model()).isEqualTo(MINI);
      assertThat(finalEvent().responseModel()).isEqualTo(MINI);
    }
  }
}
