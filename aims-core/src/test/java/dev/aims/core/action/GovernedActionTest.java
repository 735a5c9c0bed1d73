package dev.aims.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.ApprovalGate;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.ReviewRequest;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.ActionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GovernedActionTest {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  static final String SYSTEM = "support-agent";
  static final Actor REVIEWER = Actor.of("rita", "AIMS_REVIEWER");
  static final UUID PARENT = UUID.fromString("01900000-0000-7000-8000-000000000001");

  final TestClock clock = TestClock.at("2026-12-03T10:00:00Z");
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final ReviewerDesk desk = new ReviewerDesk();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final Aims aims = Aims.builder()
      .register(AiSystem.builder(SYSTEM).owner("support").purpose("help customers").riskTier(RiskTier.HIGH)
          .anyModel().build())
      .decisionLog(log).approvalGate(desk).clock(clock).maxPayloadBytes(64 * 1024).build();
  final ActionGovernor governor = ActionGovernor.builder(aims)
      .tools(SYSTEM,
          ToolPolicy.custom("issue_refund").description("refund a customer")
              .rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW))
              .maxCallsPerConversation(3)
              .inputSchema("{\"type\":\"object\",\"required\":[\"customer\",\"amount\"],"
                  + "\"properties\":{\"customer\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}}}")
              .build(),
          ToolPolicy.custom("send_email").rule(ArgumentRule.allowList("/to", Set.of("@acme.com"), Verdict.DENY))
              .redact("/to").build(),
          ToolPolicy.allow("export_report"))
      .clock(clock).meterRegistry(meters).openTelemetry(OTEL.getOpenTelemetry())
      .executionWindow(Duration.ofMinutes(5)).build();
  final AtomicInteger refunds = new AtomicInteger();
  final ToolExecutor refundTool = args -> "refund r-" + refunds.incrementAndGet() + " issued";

  static ToolCall refund(double amount) {
    return ToolCall.of(SYSTEM, "issue_refund", "{\"customer\":\"c-7\",\"amount\":" + amount + "}")
        .withParent(PARENT).withCallId("call-1").withRequester("agent-user");
  }

  @Test
  void aSmallRefundIsAllowedRunsOnceAndIsOnTheRecordLinkedToItsParent() throws Exception {
    GovernedAction action = governor.propose(refund(120));

    assertThat(action.status()).isEqualTo(ActionStatus.ALLOWED);
    assertThat(action.execute(refundTool)).isEqualTo("refund r-1 issued");
    assertThat(log.events()).extracting(e -> e.type()).contains(EventTypes.DECISION_FINAL,
        EventTypes.ACTION_STARTED, EventTypes.ACTION_EXECUTED);
    ActionEvent executed = log.events(EventTypes.ACTION_EXECUTED, ActionEvent.class).get(0);
    assertThat(executed.decisionId()).isEqualTo(action.decisionId());
    assertThat(executed.parentDecisionId()).isEqualTo(PARENT);
    assertThat(executed.latencyMs()).isNotNull();
    assertThat(executed.result()).isEqualTo("refund r-1 issued");
    assertThatThrownBy(() -> action.execute(refundTool)).isInstanceOf(ActionNotAuthorisedException.class)
        .hasMessageContaining("has run already");
    assertThat(refunds).hasValue(1);
  }

  @Test
  void aLargeRefundDoesNotRunBeforeApprovalAndTheReviewerSeesTheToolAndItsArguments() throws Exception {
    GovernedAction action = governor.propose(refund(900));

    assertThat(action.status()).isEqualTo(ActionStatus.AWAITING_APPROVAL);
    assertThat(action.reasons()).singleElement().asString().contains("/amount is above 500");
    assertThatThrownBy(() -> action.execute(refundTool)).isInstanceOf(ActionNotAuthorisedException.class)
        .hasMessageContaining("awaiting approval");
    ReviewRequest request = desk.next();
    @SuppressWarnings("unchecked") Map<String, Object> shown = (Map<String, Object>) request.action();
    assertThat(shown).containsEntry("tool", "issue_refund").containsEntry("description", "refund a customer")
        .containsEntry("arguments_digest", action.argumentsDigest());
    assertThat(shown.get("arguments").toString()).isEqualTo("{\"customer\":\"c-7\",\"amount\":900.0}");
    assertThat(request.requester()).isEqualTo("agent-user");
    assertThat(refunds).hasValue(0);

    desk.decide(ReviewOutcome.approved(REVIEWER, "customer is entitled", clock.instant()));

    assertThat(action.await(Duration.ofSeconds(5))).isEqualTo(ActionStatus.APPROVED);
    assertThat(action.execute(refundTool)).isEqualTo("refund r-1 issued");
    assertThatThrownBy(() -> action.execute(refundTool)).hasMessageContaining("runs at most once");
    assertThat(refunds).hasValue(1);
  }

  @Test
  void aRejectedOrExpiredCallNeverRuns() throws Exception {
    GovernedAction rejected = governor.propose(refund(900));
    desk.next();
    desk.decide(ReviewOutcome.rejected(REVIEWER, "not entitled", clock.instant()));
    GovernedAction expired = governor.propose(refund(901).withConversation("other"));
    desk.next();
    desk.decide(ReviewOutcome.expired(clock.instant()));

    assertThat(rejected.await(Duration.ofSeconds(5))).isEqualTo(ActionStatus.REJECTED);
    assertThat(expired.await(Duration.ofSeconds(5))).isEqualTo(ActionStatus.EXPIRED);
    assertThatThrownBy(() -> rejected.execute(refundTool)).hasMessageContaining("a reviewer rejected it");
    assertThatThrownBy(() -> expired.execute(refundTool)).hasMessageContaining("before its deadline");
    assertThat(refunds).hasValue(0);
  }

  @Test
  void aBlockingWaitReturnsAwaitingApprovalWhenItsDeadlinePasses() throws Exception {
    GovernedAction action = governor.propose(refund(900));

    assertThat(action.await(Duration.ofMillis(20))).isEqualTo(ActionStatus.AWAITING_APPROVAL);
    assertThat(refunds).hasValue(0);
  }

  @Test
  void anApprovedCallDoesNotRunAfterItsExecutionDeadline() throws Exception {
    GovernedAction action = governor.propose(refund(900));
    desk.next();
    desk.decide(ReviewOutcome.approved(REVIEWER, "ok", clock.instant()));
    action.await(Duration.ofSeconds(5));
    clock.advance(Duration.ofMinutes(6));

    assertThatThrownBy(() -> action.execute(refundTool)).isInstanceOf(ActionNotAuthorisedException.class)
        .hasMessageContaining("execution deadline");
    assertThat(refunds).hasValue(0);
    assertThat(log.events(EventTypes.ACTION_REFUSED, ActionEvent.class)).singleElement()
        .extracting(ActionEvent::error).asString().contains("execution deadline");
  }

  @Test
  void argumentsChangedAfterApprovalAreNotAuthorised() throws Exception {
    GovernedAction action = governor.propose(refund(900));
    desk.next();
    desk.decide(ReviewOutcome.approved(REVIEWER, "ok", clock.instant()));
    action.await(Duration.ofSeconds(5));

    assertThatThrownBy(() -> action.execute("{\"customer\":\"c-7\",\"amount\":9000.0}", refundTool))
        .isInstanceOf(ActionNotAuthorisedException.class).hasMessageContaining("arguments differ from the ones approved");
    assertThat(refunds).hasValue(0);
    assertThat(action.execute("{\"amount\":900.0,\"customer\":\"c-7\"}", refundTool)).isEqualTo("refund r-1 issued");
  }

  @Test
  void changedArgumentsAreANewRequestWithANewDigest() {
    GovernedAction first = governor.propose(refund(900));
    GovernedAction second = governor.propose(refund(901));

    assertThat(second.decisionId()).isNotEqualTo(first.decisionId());
    assertThat(second.argumentsDigest()).isNotEqualTo(first.argumentsDigest());
  }

  @Test
  void argumentsThatAreNotJsonAreDeniedAndNamed() throws Exception {
    GovernedAction action = governor.propose(ToolCall.of(SYSTEM, "issue_refund", "{amount: 900"));

    assertThat(action.status()).isEqualTo(ActionStatus.DENIED);
    assertThat(action.reasons()).singleElement().asString()
        .startsWith("arguments of tool 'issue_refund' are not valid JSON");
    assertThatThrownBy(() -> action.execute(refundTool)).hasMessageContaining("it was denied");
    assertThat(log.events()).extracting(e -> e.type()).contains(EventTypes.DECISION_FINAL);
  }

  @Test
  void argumentsThatDoNotMatchTheInputSchemaAreDeniedNamingTheArgument() {
    GovernedAction missing = governor.propose(ToolCall.of(SYSTEM, "issue_refund", "{\"amount\":10}"));
    GovernedAction wrongType = governor.propose(ToolCall.of(SYSTEM, "issue_refund", "{\"customer\":\"c\",\"amount\":\"ten\"}"));

    assertThat(missing.reasons()).singleElement().asString().contains("required argument 'customer' is missing");
    assertThat(wrongType.reasons()).singleElement().asString()
        .contains("argument 'amount' must be of type number, was string");
  }

  @Test
  void aToolThatThrowsIsRecordedAndItsExceptionPassedOnUnchanged() throws Exception {
    GovernedAction action = governor.propose(refund(10));
    IllegalStateException boom = new IllegalStateException("payments down");

    assertThatThrownBy(() -> action.execute(args -> { throw boom; })).isSameAs(boom);
    ActionEvent failed = log.events(EventTypes.ACTION_FAILED, ActionEvent.class).get(0);
    assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: payments down");
    assertThat(meters.get(AimsMetricNames.TOOL_EXECUTIONS).tags("tool", "issue_refund", "outcome", "failed")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void aTenMegabyteResultIsCappedInTheLogButReturnedWhole() throws Exception {
    String huge = "x".repeat(10 * 1024 * 1024);
    GovernedAction action = governor.propose(ToolCall.of(SYSTEM, "export_report", "{}"));

    assertThat(action.execute(args -> huge)).hasSize(huge.length());
    ObjectNode logged = log.json(e -> e.type().equals(EventTypes.ACTION_EXECUTED)).get(0);
    assertThat(logged.path("result").path("aims_truncated").asBoolean()).isTrue();
    assertThat(logged.toString().length()).isLessThan(70 * 1024);
  }

  @Test
  void anUnknownToolNameIsDeniedNamingTheKnownTools() {
    GovernedAction action = governor.propose(ToolCall.of(SYSTEM, "delete_account", "{}"));

    assertThat(action.status()).isEqualTo(ActionStatus.DENIED);
    assertThat(action.reasons()).singleElement().asString().contains("tool 'delete_account' is not configured")
        .contains("[export_report, issue_refund, send_email]");
    assertThat(meters.get(AimsMetricNames.TOOL_CALLS).tags("tool", "unknown", "verdict", "denied").counter().count())
        .isEqualTo(1);
  }

  @Test
  void theSameCallRepeatedInALoopHitsTheRateBound() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(governor.propose(refund(10)).status()).isEqualTo(ActionStatus.ALLOWED);
    }
    GovernedAction fourth = governor.propose(refund(10));

    assertThat(fourth.status()).isEqualTo(ActionStatus.DENIED);
    assertThat(fourth.reasons()).singleElement().asString().contains("called 4 times in this conversation; at most 3");
    assertThat(governor.propose(refund(10).withConversation("another")).status()).isEqualTo(ActionStatus.ALLOWED);
  }

  @Test
  void theStopSwitchPressedMidRunRefusesLaterCallsAndApprovedOnesThatHaveNotRun() throws Exception {
    GovernedAction allowed = governor.propose(refund(10));
    aims.stop(SYSTEM, "agent misbehaving", Actor.of("olga", "AIMS_ADMIN"));

    assertThatThrownBy(() -> allowed.execute(refundTool)).hasMessageContaining("is stopped");
    GovernedAction later = governor.propose(refund(11));
    assertThat(later.status()).isEqualTo(ActionStatus.DENIED);
    assertThat(later.reasons()).singleElement().asString().contains("is stopped");
    assertThat(refunds).hasValue(0);
  }

  @Test
  void personalDataInArgumentsIsRedactedBeforeTheLogAndTheDigestIsOverTheRedactedForm() throws Exception {
    GovernedAction action = governor.propose(ToolCall.of(SYSTEM, "send_email", "{\"to\":\"jane.doe@acme.com\",\"body\":\"hi\"}"));
    action.execute(args -> "sent");

    assertThat(action.status()).isEqualTo(ActionStatus.ALLOWED);
    String whole = log.json(e -> true).toString();
    assertThat(whole).doesNotContain("jane.doe").contains("[redacted]");
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(
        "{\"arguments\":{\"body\":\"hi\",\"to\":\"[redacted]\"},\"tool\":\"send_email\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(action.argumentsDigest()).isEqualTo("sha256:" + HexFormat.of().formatHex(sha));
  }

  @Test
  void anAllowListOnArgumentValuesDeniesOtherRecipients() {
    GovernedAction action = governor.propose(ToolCall.of(SYSTEM, "send_email", "{\"to\":\"x@evil.example\",\"body\":\"hi\"}"));

    assertThat(action.status()).isEqualTo(ActionStatus.DENIED);
    assertThat(action.reasons()).singleElement().asString().contains("/to has a value not on its allow-list");
  }

  @Test
  void deferredAnApprovedCallRunsOnceAndItsResultIsDelivered() throws Exception {
    GovernedAction action = governor.propose(refund(900));
    BlockingQueue<ActionResult> delivered = new LinkedBlockingQueue<>();
    action.whenDecided(refundTool, delivered::add);
    assertThat(refunds).hasValue(0);
    desk.next();

    desk.decide(ReviewOutcome.approved(REVIEWER, "ok", clock.instant()));

    ActionResult result = delivered.poll(5, TimeUnit.SECONDS);
    assertThat(result).isNotNull();
    assertThat(result.executed()).isTrue();
    assertThat(result.result()).isEqualTo("refund r-1 issued");
    assertThat(refunds).hasValue(1);
  }

  @Test
  void deferredARejectedCallIsReportedAndNothingRuns() throws Exception {
    GovernedAction action = governor.propose(refund(900));
    BlockingQueue<ActionResult> delivered = new LinkedBlockingQueue<>();
    action.whenDecided(refundTool, delivered::add);
    desk.next();

    desk.decide(ReviewOutcome.rejected(REVIEWER, "no", clock.instant()));

    ActionResult result = delivered.poll(5, TimeUnit.SECONDS);
    assertThat(result.status()).isEqualTo(ActionStatus.REJECTED);
    assertThat(result.executed()).isFalse();
    assertThat(refunds).hasValue(0);
  }

  @Test
  void twoGovernorsSharingALedgerRunAnApprovedCallOnce() throws Exception {
    ActionExecutionLedger shared = ActionExecutionLedger.inMemory();
    ActionGovernor a = ActionGovernor.builder(aims).tools(SYSTEM, ToolPolicy.allow("export_report")).ledger(shared).build();
    GovernedAction action = a.propose(ToolCall.of(SYSTEM, "export_report", "{}"));
    // the same decision seen through a second handle, as a second instance would see it
    assertThat(shared.claim(action.decisionId(), action.argumentsDigest(), clock.instant())).isTrue();

    assertThatThrownBy(() -> action.execute(args -> "ran")).hasMessageContaining("has run already");
  }

  @Test
  void eachCallHasAnExecuteToolSpanWithToolNameCallIdDecisionAndVerdict() throws Exception {
    GovernedAction action = governor.propose(refund(900));

    SpanData span = OTEL.getSpans().stream().filter(s -> s.getName().equals("execute_tool issue_refund")).findFirst()
        .orElseThrow();
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("execute_tool");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("issue_refund");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id"))).isEqualTo("call-1");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.decision.id"))).isEqualTo(action.decisionId().toString());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("aims.verdict"))).isEqualTo("awaiting_approval");
    assertThat(meters.get(AimsMetricNames.TOOL_CALLS).tags("tool", "issue_refund", "verdict", "awaiting_approval")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void badConfigurationFailsAtBuildNamingTheSetting() {
    assertThatThrownBy(() -> ArgumentRule.above("amount", 5, Verdict.REVIEW)).hasMessageContaining("not a JSON pointer");
    assertThatThrownBy(() -> ArgumentRule.above("/amount", 5, Verdict.ALLOW)).hasMessageContaining("must be REVIEW or DENY");
    assertThatThrownBy(() -> ToolPolicy.custom("t").maxCallsPerConversation(-1).build())
        .hasMessageContaining("maxCallsPerConversation of tool 't'");
    assertThatThrownBy(() -> ActionGovernor.builder(aims).tools("nope", ToolPolicy.allow("t")))
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> ActionGovernor.builder(aims).tools(SYSTEM, ToolPolicy.allow("t"), ToolPolicy.allow("t")))
        .hasMessageContaining("tool 't' of system 'support-agent' is given twice");
  }

  /** A simulated reviewer: holds each request until the test decides it. */
  static final class ReviewerDesk implements ApprovalGate {
    final BlockingQueue<ReviewRequest> requests = new LinkedBlockingQueue<>();
    final BlockingQueue<CompletableFuture<ReviewOutcome>> open = new LinkedBlockingQueue<>();
    final AtomicReference<CompletableFuture<ReviewOutcome>> current = new AtomicReference<>();

    @Override
    public CompletableFuture<ReviewOutcome> submit(ReviewRequest request) {
      CompletableFuture<ReviewOutcome> f = new CompletableFuture<>();
      open.add(f);
      requests.add(request);
      return f;
    }

    ReviewRequest next() throws InterruptedException {
      ReviewRequest r = requests.poll(5, TimeUnit.SECONDS);
      current.set(open.poll(5, TimeUnit.SECONDS));
      assertThat(r).as("a review request").isNotNull();
      return r;
    }

    void decide(ReviewOutcome outcome) {
      current.get().complete(outcome);
    }
  }
}
