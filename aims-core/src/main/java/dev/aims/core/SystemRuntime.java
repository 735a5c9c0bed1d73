package dev.aims.core;

import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.ModelChangeControl;
import dev.aims.core.policy.Stage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The live state of one registered AI system: its entry, policy, stop switch and meters. */
final class SystemRuntime {
  /** A policy split by stage, with AIMS's model change control in front. */
  record PolicySnapshot(DecisionPolicy policy, DecisionBoundary[] input, DecisionBoundary[] output) {
    static PolicySnapshot of(DecisionPolicy policy) {
      List<DecisionBoundary> in = new ArrayList<>();
      List<DecisionBoundary> out = new ArrayList<>();
      in.add(ModelChangeControl.input());
      out.add(ModelChangeControl.output());
      for (DecisionBoundary b : policy.boundaries()) {
        (b.stage() == Stage.INPUT ? in : out).add(b);
      }
      return new PolicySnapshot(policy, in.toArray(DecisionBoundary[]::new), out.toArray(DecisionBoundary[]::new));
    }
  }

  record StopState(Actor actor, String reason) {}

  final AimsMetrics metrics;
  volatile AiSystem definition;
  volatile PolicySnapshot policy;
  volatile @Nullable StopState stopped;

  SystemRuntime(AiSystem definition, DecisionPolicy policy) {
    this.definition = definition;
    this.policy = PolicySnapshot.of(policy);
    this.metrics = new AimsMetrics(definition.id());
  }
}
