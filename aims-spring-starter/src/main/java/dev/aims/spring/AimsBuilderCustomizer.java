package dev.aims.spring;

import dev.aims.core.Aims;

/**
 * Adjusts the {@link Aims} the starter builds, after everything from {@code application.yml} is
 * applied: register systems, set policies or redactors in Java. A value the properties already set
 * cannot be set again (the builder refuses it with the parameter's name), so configure each system's
 * boundaries in one place. Define an {@code Aims} bean instead to take over completely.
 */
@FunctionalInterface
public interface AimsBuilderCustomizer {
  void customize(Aims.Builder builder);
}
