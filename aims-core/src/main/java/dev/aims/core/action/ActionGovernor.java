package dev.aims.core.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.DecisionCall;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.PendingDecision;
import dev.aims.core.Verdict;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.Reason;
import dev.aims.core.policy.Ruling;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Governs the tool calls of AI agents: each proposed call becomes a decision of its system (use
 * case {@code tool:<name>}), judged by the tool's {@link ToolPolicy}, taken to a reviewer when the
 * verdict is REVIEW (through the {@link Aims} instance's approval gate, bound to the digest of the
 * redacted arguments), and run at most once through an {@link ActionExecutionLedger}.
 *
 * <pre>{@code
 * ActionGovernor governor = ActionGovernor.builder(aims)
 *     .tools("support-agent",
 *         ToolPolicy.custom("issue_refund").rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW)).build(),
 *         ToolPolicy.allow("lookup_order"))
 *     .build();
 * GovernedAction action = governor.propose(ToolCall.of("support-agent", "issue_refund", "{\"amount\":900}"));
 * if (action.await(Duration.ofMinutes(2)).mayRun()) {
 *   String result = action.execute(args -> refunds.issue(args));
 * }
 * }</pre>
 *
 * <p>Building a governor adds its tool boundary to each configured system's policy; the system's
 * other boundaries keep judging model calls and let tool calls through to the tool policy. The stop
 * switch stops both proposals and executions. Thread-safe.
 */
public final class ActionGovernor {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String REDACTED = "[redacted]";
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("aims.decision.id");
  static final AttributeKey<String> VERDICT = AttributeKey.stringKey("aims.verdict");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("aims.outcome");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("aims.system");
  private static final String UNKNOWN = "unknown";

  final Aims aims;
  final Clock clock;
  final Duration executionWindow;
  final ActionExecutionLedger ledger;
  final Executor executor;
  final Tracer tracer;
  private final @Nullable MeterRegistry meters;
  private final Map<String, Map<String, ToolPolicy>> tools;
  private final Map<String, DecisionBoundary> boundaries = new LinkedHashMap<>();
  private final Verdict unknownTool;
  private final Cache<String, AtomicInteger> callCounts;

  private ActionGovernor(Builder b) {
    this.aims = b.aims;
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.executionWindow = b.executionWindow;
    this.ledger = b.ledger != null ? b.ledger : ActionExecutionLedger.inMemory();
    this.executor = b.executor != null ? b.executor : Runnable::run;
    this.tracer = (b.openTelemetry != null ? b.openTelemetry : OpenTelemetry.noop()).getTracer("dev.aims.action");
    this.meters = b.meterRegistry;
    this.unknownTool = b.unknownTool;
    Map<String, Map<String, ToolPolicy>> t = new LinkedHashMap<>();
    b.tools.forEach((system, policies) -> t.put(system, Map.copyOf(policies)));
    this.tools = Map.copyOf(t);
    this.callCounts = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(24)).build();
    for (String system : tools.keySet()) {
      install(system);
    }
  }

  public static Builder builder(Aims aims) {
    return new Builder(aims);
  }

  /** The tool policies configured for a system (empty when none). */
  public Map<String, ToolPolicy> tools(String system) {
    return tools.getOrDefault(system, Map.of());
  }

  private void install(String system) {
    DecisionPolicy current = aims.policy(system);
    List<DecisionBoundary> bs = new ArrayList<>();
    for (DecisionBoundary b : current.boundaries()) {
      if (!b.id().equals(ToolBoundary.ID)) {
        bs.add(ToolBoundary.modelCallsOnly(b));
      }
    }
    DecisionBoundary tool = ToolBoundary.create(toolsVersion(system));
    bs.add(tool);
    boundaries.put(system, tool);
    aims.setPolicy(system, new DecisionPolicy(current.version(), bs));
  }

  private String toolsVersion(String system) {
    return digest(tools.get(system).toString()).substring("sha256:".length(), "sha256:".length() + 12);
  }

  /**
   * Judges a proposed tool call and records it. Returns at once: ALLOWED, DENIED (with reasons) or
   * AWAITING_APPROVAL; never throws for a bad call (invalid arguments, unknown tool, stopped system
   * are DENIED with the reason), only for a system this governor has no tools for.
   */
  public GovernedAction propose(ToolCall call) {
    Objects.requireNonNull(call, "call");
    Map<String, ToolPolicy> systemTools = tools.get(call.system());
    if (systemTools == null) {
      throw new IllegalArgumentException("system '" + call.system() + "' has no tools configured in this governor "
          + "(configured: " + tools.keySet() + ")");
    }
    requireBoundaryInstalled(call.system());
    ToolPolicy policy = systemTools.get(call.tool());
    JsonNode raw = null;
    String parseError = null;
    try {
      raw = JSON.readTree(call.argumentsJson());
      if (raw == null || raw.isMissingNode()) {
        raw = null;
        parseError = "arguments of tool '" + call.tool() + "' are empty; a JSON object is needed";
      }
    } catch (JsonProcessingException e) {
      parseError = "arguments of tool '" + call.tool() + "' are not valid JSON: " + e.getOriginalMessage();
    }
    JsonNode redacted = raw == null ? null : redact(raw, policy);
    String digest = redacted == null ? digest(call.tool() + "\n" + call.argumentsJson()) : digestOf(call.tool(), redacted);
    int callNumber = callCounts.get(call.system() + "\u0000" + call.tool() + "\u0000" + call.conversationKey(),
        k -> new AtomicInteger()).incrementAndGet();
    Ruling ruling = judge(call, policy, systemTools, raw, parseError, callNumber);
    String description = policy == null ? "" : policy.description();
    ToolProposal proposal = new ToolProposal(call.tool(), description, redacted, digest, call.parentDecisionId(),
        call.callId(), callNumber, ruling);
    Map<String, Object> action = new LinkedHashMap<>();
    action.put("tool", call.tool());
    action.put("description", description);
    action.put("arguments", redacted);
    action.put("arguments_digest", digest);
    String toolTag = policy == null ? UNKNOWN : policy.tool();

    Span span = span(call);
    try (Scope ignored = span.makeCurrent()) {
      DecisionCall<ToolProposal> dc = aims.system(call.system()).useCase("tool:" + call.tool())
          .operation("tool_call").input(proposal).action(action);
      if (call.requester() != null) {
        dc.requester(call.requester());
      }
      AiSystem def = aims.system(call.system()).definition();
      if (!def.anyModel() && def.allowedModels().size() == 1) {
        dc.model(def.allowedModels().iterator().next());
      }
      GovernedAction result;
      try {
        PendingDecision<ToolProposal> pending = dc.submit(in -> in);
        result = new GovernedAction(this, call, toolTag, proposal, pending, List.of(), clock.instant());
      } catch (DecisionDeniedException e) {
        result = GovernedAction.denied(this, call, toolTag, proposal, Objects.requireNonNull(e.decisionId()),
            e.reasons().stream().map(Reason::message).toList());
      } catch (DecisionRefusedException e) {
        result = GovernedAction.denied(this, call, toolTag, proposal, Objects.requireNonNull(e.decisionId()),
            List.of(e.getMessage()));
      }
      ActionStatus initial = result.status();
      span.setAttribute(DECISION_ID, result.decisionId().toString());
      span.setAttribute(VERDICT, initial.name().toLowerCase(Locale.ROOT));
      if (initial == ActionStatus.DENIED) {
        span.setStatus(StatusCode.ERROR, String.join("; ", result.reasons()));
      }
      countProposal(call.system(), toolTag, initial);
      return result;
    } finally {
      span.end();
    }
  }

  private void requireBoundaryInstalled(String system) {
    DecisionBoundary mine = boundaries.get(system);
    if (!aims.policy(system).boundaries().contains(mine)) {
      throw new IllegalStateException("the policy of system '" + system + "' was replaced after this ActionGovernor"
          + " was built, without its tool boundary '" + ToolBoundary.ID + "'; build the governor after setting policies"
          + " (tool calls are not judged without it)");
    }
  }

  private Ruling judge(ToolCall call, @Nullable ToolPolicy policy, Map<String, ToolPolicy> known,
      @Nullable JsonNode raw, @Nullable String parseError, int callNumber) {
    if (parseError != null) {
      return Ruling.deny(parseError);
    }
    if (policy == null) {
      return Ruling.of(unknownTool, "tool '" + call.tool() + "' is not configured for system '" + call.system()
          + "' (known tools: " + new java.util.TreeSet<>(known.keySet()) + ")");
    }
    if (policy.inputSchema() != null) {
      String mismatch = ArgumentsSchema.mismatch(policy.inputSchema(), raw);
      if (mismatch != null) {
        return Ruling.deny("arguments of tool '" + call.tool() + "' do not match its input schema: " + mismatch);
      }
    }
    if (policy.maxCallsPerConversation() > 0 && callNumber > policy.maxCallsPerConversation()) {
      return Ruling.deny("tool '" + call.tool() + "' was called " + callNumber + " times in this conversation; at most "
          + policy.maxCallsPerConversation() + " are allowed");
    }
    Verdict verdict = policy.verdict();
    List<String> why = new ArrayList<>();
    if (verdict != Verdict.ALLOW) {
      why.add("tool '" + call.tool() + "' (" + policy.riskTier() + " risk) needs " + verdict + " by its policy");
    }
    for (ArgumentRule rule : policy.rules()) {
      ArgumentRule.Finding f = rule.check(raw);
      if (f != null) {
        verdict = verdict.and(f.verdict());
        why.add(f.message());
      }
    }
    return verdict == Verdict.ALLOW ? Ruling.allow() : Ruling.of(verdict, String.join("; ", why));
  }

  /** A copy of the arguments with the policy's personal-data pointers masked. */
  static JsonNode redact(JsonNode raw, @Nullable ToolPolicy policy) {
    if (policy == null || policy.redact().isEmpty()) {
      return raw;
    }
    JsonNode copy = raw.deepCopy();
    for (String pointer : policy.redact()) {
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = copy.at(pointer.substring(0, slash));
      String field = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      if (parent instanceof ObjectNode o && o.has(field)) {
        o.put(field, REDACTED);
      } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode a && field.matches("\\d+")
          && Integer.parseInt(field) < a.size()) {
        a.set(Integer.parseInt(field), JsonNodeFactory.instance.textNode(REDACTED));
      }
    }
    return copy;
  }

  /** {@code sha256:} + hex of the canonical JSON {@code {"arguments":...,"tool":...}}. */
  static String digestOf(String tool, JsonNode redactedArguments) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("tool", tool);
    n.set("arguments", redactedArguments);
    return digest(CanonicalJson.write(n));
  }

  static String digest(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  Span span(ToolCall call) {
    Span span = tracer.spanBuilder("execute_tool " + call.tool()).startSpan();
    span.setAttribute(OPERATION, "execute_tool");
    span.setAttribute(TOOL_NAME, call.tool());
    span.setAttribute(SYSTEM, call.system());
    if (call.callId() != null) {
      span.setAttribute(TOOL_CALL_ID, call.callId());
    }
    return span;
  }

  private void countProposal(String system, String tool, ActionStatus status) {
    if (meters == null) {
      return;
    }
    try {
      Counter.builder(AimsMetricNames.TOOL_CALLS).tag(AimsMetricNames.TAG_SYSTEM, system)
          .tag(AimsMetricNames.TAG_TOOL, tool).tag(AimsMetricNames.TAG_VERDICT, status.name().toLowerCase(Locale.ROOT))
          .register(meters).increment();
    } catch (RuntimeException e) {
      // telemetry never fails the call
    }
  }

  void countExecution(String system, String tool, String outcome, long nanos) {
    if (meters == null) {
      return;
    }
    try {
      Timer.builder(AimsMetricNames.TOOL_EXECUTIONS).tag(AimsMetricNames.TAG_SYSTEM, system)
          .tag(AimsMetricNames.TAG_TOOL, tool).tag(AimsMetricNames.TAG_OUTCOME, outcome)
          .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // telemetry never fails the call
    }
  }

  /** Fails fast: a setting given twice, a negative window, a system the Aims instance does not know. */
  public static final class Builder {
    private final Aims aims;
    private final Map<String, Map<String, ToolPolicy>> tools = new LinkedHashMap<>();
    private @Nullable Clock clock;
    private Duration executionWindow = Duration.ofMinutes(15);
    private @Nullable ActionExecutionLedger ledger;
    private @Nullable Executor executor;
    private @Nullable OpenTelemetry openTelemetry;
    private @Nullable MeterRegistry meterRegistry;
    private Verdict unknownTool = Verdict.DENY;

    private Builder(Aims aims) {
      this.aims = Objects.requireNonNull(aims, "aims");
    }

    /** The tools of one system; a system given twice, or a tool twice, fails. */
    public Builder tools(String system, ToolPolicy... policies) {
      return tools(system, List.of(policies));
    }

    public Builder tools(String system, List<ToolPolicy> policies) {
      ActionChecks.requireText(system, "system");
      aims.system(system);
      if (tools.containsKey(system)) {
        throw new IllegalArgumentException("tools of system '" + system + "' are given twice");
      }
      Map<String, ToolPolicy> bySystem = new LinkedHashMap<>();
      for (ToolPolicy p : policies) {
        if (bySystem.put(p.tool(), p) != null) {
          throw new IllegalArgumentException("tool '" + p.tool() + "' of system '" + system + "' is given twice");
        }
      }
      tools.put(system, bySystem);
      return this;
    }

    /** How long after it was allowed or approved a call may still run; 15 minutes unless set. */
    public Builder executionWindow(Duration window) {
      this.executionWindow = ActionChecks.requirePositive(window, "executionWindow");
      return this;
    }

    /** Where executions are claimed; in memory (one process) unless set. */
    public Builder ledger(ActionExecutionLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** Where deferred actions run when approved; the thread that completes the review unless set. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** What a tool name no policy names gets: DENY unless set (REVIEW lets a human decide). */
    public Builder unknownTool(Verdict verdict) {
      this.unknownTool = Objects.requireNonNull(verdict, "unknownTool");
      if (verdict == Verdict.ALLOW) {
        throw new IllegalArgumentException("unknownTool must be REVIEW or DENY: an unknown tool is never allowed unseen");
      }
      return this;
    }

    public ActionGovernor build() {
      if (tools.isEmpty()) {
        throw new IllegalStateException("an ActionGovernor needs the tools of at least one system (tools(system, ...))");
      }
      return new ActionGovernor(this);
    }
  }
}
