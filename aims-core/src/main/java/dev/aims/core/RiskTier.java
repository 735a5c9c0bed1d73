package dev.aims.core;

/**
 * The EU AI Act's risk tiers (Art. 5, 6, 50). AIMS refuses to register an {@link #UNACCEPTABLE} system:
 * such practices are prohibited, so there is nothing to govern.
 */
public enum RiskTier {
  UNACCEPTABLE,
  HIGH,
  LIMITED,
  MINIMAL;

  /** Whether this tier is at least as strict as {@code other} (UNACCEPTABLE is the strictest). */
  public boolean atLeast(RiskTier other) {
    return ordinal() <= other.ordinal();
  }
}
