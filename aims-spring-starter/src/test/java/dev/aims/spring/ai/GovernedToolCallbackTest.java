package dev.aims.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.ApprovalGate;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ReviewOutcome;
import dev.aims.core.ReviewRequest;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.action.ActionGovernor;
import dev.aims.core.action.ActionResult;
import dev.aims.core.action.ArgumentRule;
import dev.aims.core.action.ToolPolicy;
import dev.aims.core.event.EventTypes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.function.FunctionToolCallback;

class GovernedToolCallbackTest {
  static final String SYSTEM = "support-agent";
  static final Actor REVIEWER = Actor.of("rita", "AIMS_REVIEWER");

  record Refund(String customer, double amount) {}

  final InMemoryDecisionLog log = InMemoryDecisionLog.create();
  final BlockingQueue<ReviewRequest> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<CompletableFuture<ReviewOutcome>> reviews = new LinkedBlockingQueue<>();
  final ApprovalGate desk = r -> {
    CompletableFuture<ReviewOutcome> f = new CompletableFuture<>();
    reviews.add(f);
    requests.add(r);
    return f;
  };
  final Aims aims = Aims.builder()
      .register(AiSystem.builder(SYSTEM).owner("support").purpose("help").riskTier(RiskTier.HIGH).anyModel().build())
      .decisionLog(log).approvalGate(desk).build();
  final ActionGovernor governor = ActionGovernor.builder(aims)
      .tools(SYSTEM, ToolPolicy.custom("issue_refund").rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW)).build())
      .build();
  final List<Refund> issued = new CopyOnWriteArrayList<>();
  final ToolCallback refundTool = FunctionToolCallback.builder("issue_refund", (Function<Refund, String>) r -> {
    issued.add(r);
    return "refund of " + r.amount() + " issued";
  }).description("refund a customer").inputType(Refund.class).build();

  GovernedToolCallback.Builder governed() {
    return GovernedToolCallback.builder(refundTool, governor, SYSTEM);
  }

  static String ask(ToolCallingStubModel model, ToolCallback tool) {
    // Spring AI's own tool execution (DefaultToolCallingManager, what ChatClient's tool loop calls),
    // then the model's next turn with the tool response
    Prompt prompt = new Prompt("please refund", ToolCallingChatOptions.builder().toolCallbacks(tool).build());
    ToolExecutionResult result = DefaultToolCallingManager.builder().build().executeToolCalls(prompt, model.call(prompt));
    return model.call(new Prompt(result.conversationHistory(), prompt.getOptions())).getResult().getOutput().getText();
  }

  @Test
  void anAllowedToolCallRunsThroughSpringAisToolCallingManager() {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":120}");

    String answer = ask(model, governed().build());

    assertThat(answer).isEqualTo("tool said: \"refund of 120.0 issued\"");
    assertThat(issued).containsExactly(new Refund("c-7", 120));
    assertThat(log.events()).extracting(e -> e.type()).contains(EventTypes.ACTION_EXECUTED);
  }

  @Test
  void theGatedToolDoesNotRunBeforeApprovalAndRunsOnceAfterIt() throws Exception {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":900}");
    CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> ask(model, governed().build()));

    ReviewRequest request = requests.poll(10, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(issued).isEmpty();
    reviews.take().complete(ReviewOutcome.approved(REVIEWER, "entitled", Instant.now()));

    assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("tool said: \"refund of 900.0 issued\"");
    assertThat(issued).hasSize(1);
  }

  @Test
  void aRejectionReachesTheModelAsAToolResultAndTheToolNeverRuns() throws Exception {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":900}");
    CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> ask(model, governed().build()));
    reviews.poll(10, TimeUnit.SECONDS).complete(ReviewOutcome.rejected(REVIEWER, "not entitled", Instant.now()));

    assertThat(answer.get(10, TimeUnit.SECONDS)).contains("\"status\":\"rejected\"").contains("not carried out");
    assertThat(model.toolResponses).singleElement().asString().contains("rejected");
    assertThat(issued).isEmpty();
  }

  @Test
  void anExpiryReachesTheModelAsAToolResultAndTheToolNeverRuns() throws Exception {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":900}");
    CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> ask(model, governed().build()));
    reviews.poll(10, TimeUnit.SECONDS).complete(ReviewOutcome.expired(Instant.now()));

    assertThat(answer.get(10, TimeUnit.SECONDS)).contains("\"status\":\"expired\"");
    assertThat(issued).isEmpty();
  }

  @Test
  void aDenialCanBeAnExceptionInsteadOfAResult() {
    // a tool the system's policy does not name is denied at once (no review to wait for)
    ToolCallback other = FunctionToolCallback.builder("wire_money", (Function<Refund, String>) r -> {
      issued.add(r);
      return "wired";
    }).inputType(Refund.class).build();
    ToolCallback tool = GovernedToolCallback.builder(other, governor, SYSTEM)
        .denial(GovernedToolCallback.Denial.EXCEPTION).build();

    assertThatThrownBy(() -> tool.call("{\"customer\":\"c-7\",\"amount\":1}")).isInstanceOf(ToolExecutionException.class)
        .hasMessageContaining("tool 'wire_money' is not configured");
    assertThat(issued).isEmpty();
  }

  @Test
  void deferredTheModelIsToldAtOnceAndTheApprovedActionRunsOnceWithItsResultDelivered() throws Exception {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":900}");
    BlockingQueue<ActionResult> delivered = new LinkedBlockingQueue<>();
    ToolCallback tool = governed().mode(GovernedToolCallback.Mode.DEFERRED).deferredResults(delivered::add).build();

    String answer = ask(model, tool);

    assertThat(answer).contains("awaiting_approval").contains("request_id");
    assertThat(issued).isEmpty();
    reviews.take().complete(ReviewOutcome.approved(REVIEWER, "ok", Instant.now()));
    ActionResult result = delivered.poll(10, TimeUnit.SECONDS);
    assertThat(result.executed()).isTrue();
    assertThat(result.result()).isEqualTo("\"refund of 900.0 issued\"");
    assertThat(issued).hasSize(1);
  }

  @Test
  void userControlledToolExecutionIsGovernedToo() {
    ToolCallingStubModel model = new ToolCallingStubModel("issue_refund", "{\"customer\":\"c-7\",\"amount\":900}");
    ToolCallingChatOptions options = ToolCallingChatOptions.builder().toolCallbacks(governed().build()).build();
    Prompt prompt = new Prompt("please refund", options);
    ChatResponse response = model.call(prompt);
    CompletableFuture<ToolExecutionResult> run = CompletableFuture.supplyAsync(
        () -> DefaultToolCallingManager.builder().build().executeToolCalls(prompt, response));

    assertThat(issued).isEmpty();
    try {
      reviews.poll(10, TimeUnit.SECONDS).complete(ReviewOutcome.rejected(REVIEWER, "no", Instant.now()));
      assertThat(run.get(10, TimeUnit.SECONDS).conversationHistory().toString()).contains("rejected");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(issued).isEmpty();
  }

  @Test
  void anUnknownToolNameFromTheModelDoesNotRun() {
    ToolCallback other = FunctionToolCallback.builder("wire_money", (Function<Refund, String>) r -> {
      issued.add(r);
      return "wired";
    }).inputType(Refund.class).build();
    ToolCallingStubModel model = new ToolCallingStubModel("wire_money", "{\"customer\":\"c-7\",\"amount\":1}");

    String answer = ask(model, GovernedToolCallback.builder(other, governor, SYSTEM).build());

    assertThat(answer).contains("\"status\":\"denied\"").contains("tool 'wire_money' is not configured");
    assertThat(issued).isEmpty();
  }
}
