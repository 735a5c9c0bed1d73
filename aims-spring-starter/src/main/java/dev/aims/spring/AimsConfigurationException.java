package dev.aims.spring;

import dev.aims.core.AimsException;
import dev.aims.core.UnknownSystemException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@code aims.*} setting (or a {@link Governed} annotation) is wrong, so the application does
 * not start. {@link #description()} says what is wrong, naming the property or the method;
 * {@link #action()} says what to change. Spring Boot prints both (see {@link AimsFailureAnalyzer}).
 */
public class AimsConfigurationException extends AimsException {
  private final String description;
  private final String action;

  public AimsConfigurationException(String description, String action, @Nullable Throwable cause) {
    super(Objects.requireNonNull(description, "description") + " " + Objects.requireNonNull(action, "action"), null,
        cause);
    this.description = description;
    this.action = action;
  }

  public AimsConfigurationException(String description, String action) {
    this(description, action, null);
  }

  /**
   * A setting or annotation ({@code where}, e.g. {@code "aims.ai.system = 'loan'"}) names a system
   * that is not registered: says which ones are, the nearest one, and how to register it in YAML.
   */
  public static AimsConfigurationException unknownSystem(String where, UnknownSystemException e) {
    String nearest = AimsPropertyNames.nearest(e.system(), List.copyOf(e.registered()));
    return new AimsConfigurationException(where + " names no registered AI system (registered: "
        + (e.registered().isEmpty() ? "none" : String.join(", ", e.registered())) + ")"
        + (nearest == null ? "." : "; did you mean '" + nearest + "'?"),
        "Use a registered id, or register the system under aims.systems." + e.system()
            + " (name, owner, purpose, risk-tier, allowed-models).", e);
  }

  /** What is wrong, naming the property or method. */
  public String description() {
    return description;
  }

  /** What to change. */
  public String action() {
    return action;
  }
}
