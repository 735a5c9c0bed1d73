package dev.aims.spring;

import dev.aims.core.UnknownSystemException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.ObjectError;

/**
 * Turns a start-up failure caused by AIMS's configuration into one short description and one
 * action, the way Spring Boot reports a port in use: an {@link AimsConfigurationException} (unknown
 * properties, an unknown system in {@code aims.ai.system} or {@link Governed}, a model the register
 * does not allow), the {@code aims.*} validation errors, an {@code aims.*} value that cannot be
 * read, and, as a last resort, an {@link UnknownSystemException}. Registered in
 * {@code META-INF/spring.factories}; runs before Boot's own analyzers.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class AimsFailureAnalyzer implements FailureAnalyzer {
  private static final String DOCS = "docs/spring.md lists every aims.* property";

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    AimsConfigurationException config = find(failure, AimsConfigurationException.class);
    if (config != null) {
      return new FailureAnalysis(config.description(), config.action(), config);
    }
    BindValidationException invalid = find(failure, BindValidationException.class);
    if (invalid != null && isAims(invalid.getValidationErrors().getName().toString())) {
      List<String> messages = new ArrayList<>();
      for (ObjectError e : invalid.getValidationErrors()) {
        messages.add(e.getDefaultMessage());
      }
      return new FailureAnalysis((messages.size() == 1 ? "Invalid AIMS setting: " : "Invalid AIMS settings:\n  ")
          + String.join("\n  ", messages), "Correct " + (messages.size() == 1 ? "it" : "them") + " (" + DOCS + ").",
          invalid);
    }
    BindException unreadable = find(failure, BindException.class);
    if (unreadable != null && unreadable.getProperty() != null
        && isAims(unreadable.getProperty().getName().toString())) {
      return unreadable(unreadable);
    }
    UnknownSystemException unknown = find(failure, UnknownSystemException.class);
    if (unknown != null) {
      return new FailureAnalysis("No AI system '" + unknown.system() + "' is registered (registered: "
          + unknown.registered() + ").", "Register it under aims.systems." + unknown.system()
          + " (name, owner, purpose, risk-tier, allowed-models), or use one of the registered ids.", unknown);
    }
    return null;
  }

  private static FailureAnalysis unreadable(BindException e) {
    String property = e.getProperty().getName().toString();
    Object value = e.getProperty().getValue();
    Class<?> target = e.getTarget().getType().resolve(Object.class);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String action;
    if (target.isEnum()) {
      action = "Set " + property + " to one of " + Arrays.stream(target.getEnumConstants())
          .map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", ")) + ".";
    } else {
      action = "Set " + property + " to a " + target.getSimpleName() + " (" + DOCS + ").";
    }
    return new FailureAnalysis("AIMS setting " + property + " = '" + value + "' cannot be read as a "
        + target.getSimpleName() + ": " + root.getMessage() + " (" + e.getProperty().getOrigin() + ")", action, e);
  }

  private static boolean isAims(String name) {
    return name.equals("aims") || name.startsWith("aims.") || name.startsWith("aims[");
  }

  private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
