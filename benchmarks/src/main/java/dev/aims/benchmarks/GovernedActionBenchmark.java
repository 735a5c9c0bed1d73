package dev.aims.benchmarks;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.action.ActionGovernor;
import dev.aims.core.action.ActionStatus;
import dev.aims.core.action.ArgumentRule;
import dev.aims.core.action.GovernedAction;
import dev.aims.core.action.ToolCall;
import dev.aims.core.action.ToolExecutor;
import dev.aims.core.action.ToolPolicy;
import dev.aims.core.event.EventTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a plain-Java agent pays to govern one tool call on the ALLOW path (issue 16: ≤ 2 µs added
 * at p50), beside calling the tool directly, the peer a user without AIMS has.
 *
 * <ul>
 *   <li>{@link #directCall}: the tool alone.
 *   <li>{@link #governed}: {@code governor.propose(call)} then {@code action.execute(tool)}: the tool
 *       policy (schema check, an {@code /amount > 500 → REVIEW} rule the amount never trips), the
 *       decision, the in-memory execution ledger's claim, {@code action.started}/{@code action.executed}
 *       into an in-memory decision log, and the {@code aims.tool.*} meters.
 *   <li>{@link #proposeOnly}: the proposal without the execution, to split the cost.
 * </ul>
 *
 * {@link Mode#SampleTime} gives the percentiles (p50 is the target). Tracing is the no-op one on the
 * AIMS side, as the direct call has none. Each benchmark runs in its own fork.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class GovernedActionBenchmark {
  static final String SYSTEM = "support-agent";
  static final UUID PARENT = UUID.fromString("01900000-0000-7000-8000-000000000001");

  // Not final, so the JIT cannot fold the arguments into a constant.
  private String arguments = "{\"customer\":\"c-7\",\"amount\":120.0}";
  private long refunds;
  private final ToolExecutor refundTool = args -> "refund r-" + (++refunds) + " issued for " + args.length();

  private InMemoryDecisionLog decisionLog;
  private Aims aims;
  private ActionGovernor governor;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    decisionLog = InMemoryDecisionLog.keepingLast(1024);
    aims = Aims.builder()
        .register(AiSystem.builder(SYSTEM).owner("support").purpose("help customers").riskTier(RiskTier.HIGH)
            .anyModel().build())
        .meterRegistry(new SimpleMeterRegistry())
        .decisionLog(decisionLog)
        .build();
    governor = ActionGovernor.builder(aims)
        .tools(SYSTEM, ToolPolicy.custom("issue_refund").description("refund a customer")
            .rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW))
            .inputSchema("{\"type\":\"object\",\"required\":[\"customer\",\"amount\"],"
                + "\"properties\":{\"customer\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}}}")
            .build())
        .meterRegistry(new SimpleMeterRegistry())
        .build();

    // Fail fast if the setup ever leaves the ALLOW path or stops recording: the numbers would mean something else.
    GovernedAction action = governor.propose(call());
    if (action.status() != ActionStatus.ALLOWED) {
      throw new IllegalStateException("benchmark is not on the ALLOW path: " + action);
    }
    action.execute(refundTool);
    if (decisionLog.events(EventTypes.ACTION_EXECUTED, dev.aims.core.event.ActionEvent.class).isEmpty()) {
      throw new IllegalStateException("the governed execution was not recorded");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    aims.close();
  }

  private ToolCall call() {
    return ToolCall.of(SYSTEM, "issue_refund", arguments).withParent(PARENT).withCallId("call-1")
        .withRequester("agent-user");
  }

  @Benchmark
  public String directCall() throws Exception {
    return refundTool.run(arguments);
  }

  /** The proposal alone (judged, decided, recorded; never run): where the governed call's time goes. */
  @Benchmark
  public GovernedAction proposeOnly() {
    return governor.propose(call());
  }

  @Benchmark
  public String governed() throws Exception {
    return governor.propose(call()).execute(refundTool);
  }
}
