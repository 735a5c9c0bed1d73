package dev.aims.core.policy;

/** When a boundary is evaluated: before the model call (on the input) or after it (on the output). */
public enum Stage {
  INPUT,
  OUTPUT
}
