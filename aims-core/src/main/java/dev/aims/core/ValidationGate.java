package dev.aims.core;

/**
 * What a HIGH-risk system does with an allowed model version that no passing {@link ModelValidation}
 * for its declared artefact digest covers. Lower risk tiers are never gated.
 */
public enum ValidationGate {
  /** No check (the default, so registers written before validation records keep working). */
  OFF,
  /** The register refuses the entry: at build, start-up, add or update, naming the system and the model. */
  REFUSE,
  /** The entry is accepted, but each call with such a model goes to human review. */
  REVIEW
}
