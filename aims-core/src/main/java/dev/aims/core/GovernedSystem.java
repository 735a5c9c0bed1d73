package dev.aims.core;

/** One registered AI system, as reached through {@link Aims#system(String)}. */
public final class GovernedSystem {
  private final Aims aims;
  private final SystemRuntime runtime;

  GovernedSystem(Aims aims, SystemRuntime runtime) {
    this.aims = aims;
    this.runtime = runtime;
  }

  /** The register entry as it is now. */
  public AiSystem definition() {
    return runtime.definition;
  }

  /** Starts describing one governed call for a use case, e.g. {@code "score-applicant"}. */
  public DecisionCall<Object> useCase(String useCase) {
    return new DecisionCall<>(aims, runtime, Checks.requireText(useCase, "useCase"));
  }

  public boolean isStopped() {
    return runtime.stopped != null;
  }

  @Override
  public String toString() {
    return "GovernedSystem[" + runtime.definition.id() + "]";
  }
}
