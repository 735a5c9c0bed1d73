package dev.aims.core.action;

import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionContext;
import dev.aims.core.policy.Ruling;
import dev.aims.core.policy.Stage;

/**
 * The boundary {@link ActionGovernor} adds to a system's policy: for a tool call's decision it
 * returns the ruling of the tool's policy; the system's other boundaries (written for model calls)
 * do not judge tool calls.
 */
final class ToolBoundary {
  static final String ID = "aims-tool-policy";

  static DecisionBoundary create(String version) {
    return DecisionBoundary.of(ID, version, Stage.INPUT,
        ctx -> ctx.input() instanceof ToolProposal p ? p.ruling() : Ruling.allow());
  }

  /** Wraps one of the system's own boundaries so that it lets tool calls through to the tool policy. */
  static DecisionBoundary modelCallsOnly(DecisionBoundary b) {
    if (b instanceof ModelCallsOnly) {
      return b;
    }
    return new ModelCallsOnly(b);
  }

  static final class ModelCallsOnly implements DecisionBoundary {
    final DecisionBoundary inner;

    ModelCallsOnly(DecisionBoundary inner) {
      this.inner = inner;
    }

    @Override
    public String id() {
      return inner.id();
    }

    @Override
    public String version() {
      return inner.version();
    }

    @Override
    public Stage stage() {
      return inner.stage();
    }

    @Override
    public Ruling evaluate(DecisionContext context) {
      return context.input() instanceof ToolProposal ? Ruling.allow() : inner.evaluate(context);
    }
  }

  private ToolBoundary() {}
}
