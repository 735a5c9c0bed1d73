package dev.aims.examples.quickstart;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.action.ActionGovernor;
import dev.aims.core.action.ActionResult;
import dev.aims.core.action.ActionStatus;
import dev.aims.core.action.ArgumentRule;
import dev.aims.core.action.GovernedAction;
import dev.aims.core.action.ToolCall;
import dev.aims.core.action.ToolExecutor;
import dev.aims.core.action.ToolPolicy;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.CanonicalJson;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ReviewPolicy;
import dev.aims.oversight.Reviewer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The quickstart's agent section (docs/agents.md): a simulated support assistant proposes tool
 * calls, each governed before it runs. Refunds up to 500 and e-mails to {@code @acme.com} run at
 * once; a refund of 900 waits for the simulated reviewer and runs after approval; a refund of
 * 2,500 is rejected and never runs; an e-mail to a customer outside acme is deferred (the
 * assistant goes on at once) and runs when the reviewer approves it. E-mail recipients are
 * personal data: redacted before anything is logged or shown.
 */
final class AgentDemo {
  static final String SYSTEM = "support-agent";
  static final String ASSISTANT = "support-assistant";
  static final Reviewer REVIEWER = Reviewer.of("agent-reviewer", ApprovalService.DEFAULT_REVIEWER_ROLE);
  static final UUID CONVERSATION = UUID.fromString("01900000-0000-7000-8000-00000000a9e7");

  /** One proposed tool call: what the reviewer and the log saw (redacted), how it ended, what the tool said. */
  record Line(String tool, String shownArguments, ActionStatus status, @Nullable String result) {}

  /**
   * @param calls in the order the assistant proposed them
   * @param toolRuns how often a tool actually ran
   * @param logEventTypes the agent run's decision log, by event type
   */
  record Summary(List<Line> calls, int toolRuns, Map<String, Long> logEventTypes) {}

  private AgentDemo() {}

  static Summary run(PrintStream out) throws Exception {
    InMemoryDecisionLog log = InMemoryDecisionLog.create();
    ApprovalService approvals = ApprovalService.builder().reviewers(() -> REVIEWER)
        .policy(SYSTEM, ReviewPolicy.of(ApprovalService.DEFAULT_REVIEWER_ROLE, Duration.ofMinutes(30))).build();
    List<Line> calls = new ArrayList<>();
    int[] runs = {0};
    ToolExecutor refund = args -> "refund r-" + (++runs[0]) + " issued";
    ToolExecutor email = args -> "e-mail m-" + (++runs[0]) + " sent";

    try (Aims aims = Aims.builder()
        .register(AiSystem.builder(SYSTEM).owner("support").purpose("help customers with orders")
            .riskTier(RiskTier.HIGH).anyModel().build())
        .approvalGate(approvals).decisionLog(log).build(); approvals) {
      approvals.attach(aims);
      ActionGovernor governor = ActionGovernor.builder(aims)
          .tools(SYSTEM,
              ToolPolicy.custom("refund").description("refund a customer (EUR)")
                  .rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW)).build(),
              ToolPolicy.custom("send_email").description("send an e-mail")
                  .rule(ArgumentRule.allowList("/to", Set.of("@acme.com"), Verdict.REVIEW)).redact("/to").build())
          .executor(Runnable::run)    // a deferred call runs on the approving thread: the demo stays in order
          .build();

      // small calls: allowed, run at once
      calls.add(runNow(governor.propose(call("refund", "{\"customer\":\"c-101\",\"amount\":40}")), refund));
      calls.add(runNow(governor.propose(call("send_email", "{\"to\":\"billing@acme.com\",\"body\":\"refund r-1\"}")),
          email));

      // a large refund: the assistant waits (blocking, with a deadline) while the reviewer approves
      GovernedAction large = governor.propose(call("refund", "{\"customer\":\"c-102\",\"amount\":900}"));
      approvals.approve(large.decisionId(), "order 102 arrived broken; full refund");
      calls.add(runNow(large, refund));

      // a very large refund: rejected, never runs
      GovernedAction huge = governor.propose(call("refund", "{\"customer\":\"c-103\",\"amount\":2500}"));
      approvals.reject(huge.decisionId(), "more than the order was worth");
      calls.add(runNow(huge, refund));

      // an e-mail outside acme: deferred; the assistant is told it awaits approval and goes on
      GovernedAction deferred = governor.propose(call("send_email",
          "{\"to\":\"jane.doe@example.org\",\"body\":\"your refund is on its way\"}"));
      AtomicReference<ActionResult> later = new AtomicReference<>();
      deferred.whenDecided(email, later::set);
      ActionStatus whenProposed = deferred.status();
      approvals.approve(deferred.decisionId(), "customer asked for confirmation by e-mail");
      ActionResult r = later.get();
      if (whenProposed != ActionStatus.AWAITING_APPROVAL || r == null) {
        throw new IllegalStateException("the deferred call did not wait for approval: " + whenProposed + ", " + r);
      }
      calls.add(new Line(deferred.tool(), shown(deferred), r.status(), r.result()));
    }

    Map<String, Long> types = new TreeMap<>();
    for (AimsEvent e : log.events()) {
      types.merge(e.type(), 1L, Long::sum);
    }
    Summary summary = new Summary(List.copyOf(calls), runs[0], types);
    print(out, summary);
    return summary;
  }

  private static ToolCall call(String tool, String arguments) {
    return ToolCall.of(SYSTEM, tool, arguments).withParent(CONVERSATION).withRequester(ASSISTANT);
  }

  /** Waits for the review if there is one, then runs the tool if it may. */
  private static Line runNow(GovernedAction action, ToolExecutor tool) throws Exception {
    ActionStatus status = action.await(Duration.ofSeconds(10));
    String result = status.mayRun() ? action.execute(tool) : null;
    return new Line(action.tool(), shown(action), status, result);
  }

  private static String shown(GovernedAction action) {
    var arguments = action.proposal().arguments();
    return arguments == null ? "-" : CanonicalJson.write(arguments);
  }

  private static void print(PrintStream out, Summary s) {
    out.printf(Locale.ROOT, "%nAgent tool calls (system %s; arguments as the reviewer and the log saw them)%n", SYSTEM);
    for (Line l : s.calls()) {
      out.printf(Locale.ROOT, "  %-10s %-62s %-9s %s%n", l.tool(), l.shownArguments(), l.status(),
          l.result() == null ? "(did not run)" : l.result());
    }
    out.printf(Locale.ROOT, "  %d tool runs; log: %s%n", s.toolRuns(), s.logEventTypes().entrySet().stream()
        .filter(e -> e.getKey().startsWith("action.") || e.getKey().startsWith("approval."))
        .map(e -> e.getKey() + " " + e.getValue()).toList());
  }
}
