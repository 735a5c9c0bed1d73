package dev.aims.core;

import dev.aims.core.monitor.Monitor;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.ModelChangeControl;
import dev.aims.core.policy.Stage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The live state of one registered AI system: its entry, policy, stop switch, meters and monitors. */
final class SystemRuntime {
  /**
   * A policy split by stage, with AIMS's model change control in front and, when the system's
   * monitor asks for it, the drift review boundary after it.
   */
  record PolicySnapshot(DecisionPolicy policy, DecisionBoundary[] input, DecisionBoundary[] output) {
    static PolicySnapshot of(DecisionPolicy policy, @Nullable Monitor monitor) {
      List<DecisionBoundary> in = new ArrayList<>();
      List<DecisionBoundary> out = new ArrayList<>();
      in.add(ModelChangeControl.input());
      out.add(ModelChangeControl.output());
      if (monitor != null) {
        monitor.reviewBoundary().ifPresent(in::add);
      }
      for (DecisionBoundary b : policy.boundaries()) {
        (b.stage() == Stage.INPUT ? in : out).add(b);
      }
      return new PolicySnapshot(policy, in.toArray(DecisionBoundary[]::new), out.toArray(DecisionBoundary[]::new));
    }
  }

  record StopState(Actor actor, String reason) {}

  final AimsMetrics metrics;
  final @Nullable Monitor monitor;
  volatile AiSystem definition;
  volatile PolicySnapshot policy;
  volatile @Nullable StopState stopped;

  SystemRuntime(AiSystem definition, DecisionPolicy policy, @Nullable Monitor monitor) {
    this.definition = definition;
    this.monitor = monitor;
    this.policy = PolicySnapshot.of(policy, monitor);
    this.metrics = new AimsMetrics(definition.id(), () -> this.stopped != null);
  }
}
