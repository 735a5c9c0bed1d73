package dev.aims.spring.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.action.ActionGovernor;
import dev.aims.core.action.ActionNotAuthorisedException;
import dev.aims.core.action.ActionResult;
import dev.aims.core.action.ActionStatus;
import dev.aims.core.action.GovernedAction;
import dev.aims.core.action.ToolCall;
import dev.aims.spring.AuthenticatedUser;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A Spring AI {@link ToolCallback} (a {@code @Tool} method, a function callback, an MCP client tool)
 * whose every call AIMS governs first: the call is proposed to an {@link ActionGovernor} and the
 * tool runs only if it is allowed, or approved (blocking: within {@link Mode#BLOCKING}'s wait), at
 * most once. Works inside {@code ChatClient}'s tool loop and with user-controlled tool execution,
 * since both call {@link #call(String, ToolContext)}.
 *
 * <p>A denial, rejection or expiry reaches the model as a tool result it can explain (a JSON object
 * with {@code status}, {@code decision_id} and {@code reasons}), or as a {@link ToolExecutionException}
 * when {@link Denial#EXCEPTION} is chosen. In {@link Mode#DEFERRED} a call awaiting approval returns
 * at once with its request id; when approved it runs once and the {@link ActionResult} goes to the
 * listener (rejected or expired: the listener is told, nothing runs).
 *
 * <p>The requester is the Spring Security user on the calling thread; the parent decision and the
 * conversation come from the {@link ToolContext} keys {@link #PARENT_DECISION_ID} and
 * {@link #CONVERSATION}, when given.
 */
public final class GovernedToolCallback implements ToolCallback {
  /** ToolContext key: the conversation turn's decision id (UUID or its text). */
  public static final String PARENT_DECISION_ID = "aims.parent-decision-id";
  /** ToolContext key: the conversation id the rate bound counts under. */
  public static final String CONVERSATION = "aims.conversation";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a call that needs approval waits. */
  public enum Mode { BLOCKING, DEFERRED }

  /** How a denied, rejected or expired call reaches the model. */
  public enum Denial { RESULT, EXCEPTION }

  private final ToolCallback delegate;
  private final ActionGovernor governor;
  private final String system;
  private final Mode mode;
  private final Duration blockingWait;
  private final Denial denial;
  private final Consumer<ActionResult> deferredResults;
  private final Supplier<@Nullable String> requester;

  private GovernedToolCallback(Builder b) {
    this.delegate = b.delegate;
    this.governor = b.governor;
    this.system = b.system;
    this.mode = b.mode;
    this.blockingWait = b.blockingWait;
    this.denial = b.denial;
    this.deferredResults = b.deferredResults;
    this.requester = b.requester;
  }

  public static Builder builder(ToolCallback delegate, ActionGovernor governor, String system) {
    return new Builder(delegate, governor, system);
  }

  /** The tool being governed. */
  public ToolCallback delegate() {
    return delegate;
  }

  @Override
  public ToolDefinition getToolDefinition() {
    return delegate.getToolDefinition();
  }

  @Override
  public ToolMetadata getToolMetadata() {
    return delegate.getToolMetadata();
  }

  @Override
  public String call(String toolInput) {
    return call(toolInput, null);
  }

  @Override
  public String call(String toolInput, @Nullable ToolContext toolContext) {
    String name = delegate.getToolDefinition().name();
    ToolCall call = ToolCall.of(system, name, toolInput == null ? "" : toolInput).withRequester(requester.get());
    if (toolContext != null) {
      Object parent = toolContext.getContext().get(PARENT_DECISION_ID);
      if (parent != null) {
        call = call.withParent(parent instanceof UUID u ? u : UUID.fromString(parent.toString()));
      }
      Object conversation = toolContext.getContext().get(CONVERSATION);
      if (conversation != null) {
        call = call.withConversation(conversation.toString());
      }
    }
    GovernedAction action = governor.propose(call);
    ActionStatus status = action.status();
    if (status == ActionStatus.AWAITING_APPROVAL) {
      if (mode == Mode.DEFERRED) {
        action.whenDecided(args -> delegate.call(args, toolContext), deferredResults);
        return awaiting(action);
      }
      try {
        status = action.await(blockingWait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return denied(action, "interrupted while waiting for approval");
      }
      if (status == ActionStatus.AWAITING_APPROVAL) {
        return denied(action, "no reviewer decided within " + blockingWait + "; the tool did not run");
      }
    }
    if (!status.mayRun()) {
      return denied(action, null);
    }
    try {
      return action.execute(args -> delegate.call(args, toolContext));
    } catch (ActionNotAuthorisedException e) {
      return denied(action, e.getMessage());
    } catch (RuntimeException e) {
      throw e; // the tool's own failure, passed on as Spring AI's tool would
    } catch (Exception e) {
      throw new ToolExecutionException(delegate.getToolDefinition(), e);
    }
  }

  private String awaiting(GovernedAction action) {
    ObjectNode n = JSON.createObjectNode();
    n.put("status", "awaiting_approval");
    n.put("tool", action.tool());
    n.put("request_id", action.decisionId().toString());
    n.put("message", "This action needs human approval and has not run. It will run once if a reviewer approves"
        + " it; the application is told either way. Tell the user it is pending with request id "
        + action.decisionId() + ".");
    return n.toString();
  }

  private String denied(GovernedAction action, @Nullable String extra) {
    ObjectNode n = JSON.createObjectNode();
    n.put("status", action.status().name().toLowerCase(java.util.Locale.ROOT));
    n.put("tool", action.tool());
    n.put("decision_id", action.decisionId().toString());
    var reasons = n.putArray("reasons");
    action.reasons().forEach(reasons::add);
    if (extra != null) {
      reasons.add(extra);
    }
    n.put("message", "The action was not carried out. Explain this to the user; do not retry it unchanged.");
    if (denial == Denial.EXCEPTION) {
      throw new ToolExecutionException(delegate.getToolDefinition(),
          new ActionNotAuthorisedException(n.toString(), action.decisionId(), action.status()));
    }
    return n.toString();
  }

  @Override
  public String toString() {
    return "GovernedToolCallback[" + system + "/" + delegate.getToolDefinition().name() + "]";
  }

  public static final class Builder {
    private final ToolCallback delegate;
    private final ActionGovernor governor;
    private final String system;
    private Mode mode = Mode.BLOCKING;
    private Duration blockingWait = Duration.ofMinutes(2);
    private Denial denial = Denial.RESULT;
    private Consumer<ActionResult> deferredResults = r -> {};
    private Supplier<@Nullable String> requester = AuthenticatedUser.supplier();

    private Builder(ToolCallback delegate, ActionGovernor governor, String system) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.governor = Objects.requireNonNull(governor, "governor");
      this.system = Objects.requireNonNull(system, "system");
    }

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How long a blocking call waits for a reviewer; 2 minutes unless set. */
    public Builder blockingWait(Duration wait) {
      Objects.requireNonNull(wait, "blockingWait");
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("blockingWait must be positive, was " + wait);
      }
      this.blockingWait = wait;
      return this;
    }

    public Builder denial(Denial denial) {
      this.denial = Objects.requireNonNull(denial, "denial");
      return this;
    }

    /** Where deferred calls' results go (the auto-configuration publishes them as application events). */
    public Builder deferredResults(Consumer<ActionResult> listener) {
      this.deferredResults = Objects.requireNonNull(listener, "deferredResults");
      return this;
    }

    public Builder requester(Supplier<@Nullable String> requester) {
      this.requester = Objects.requireNonNull(requester, "requester");
      return this;
    }

    public GovernedToolCallback build() {
      return new GovernedToolCallback(this);
    }
  }
}
