package dev.aims.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Removes or masks personal data in an event's JSON body before it is hashed, stored or leaves
 * the process. It works on the body of one event (fields such as {@code input}, {@code output},
 * {@code features}) and changes it in place. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Redactor {

  void redact(ObjectNode event);

  static Redactor none() {
    return event -> {};
  }

  /**
   * Masks the values at dotted field paths of the event body, e.g. {@code "input.ssn"},
   * {@code "input.applicant.email"}, {@code "output.explanation"}. Arrays on the way are walked
   * element by element; {@code *} matches any field name. A path that is absent is ignored.
   */
  static Redactor maskFields(String... paths) {
    return new FieldMaskRedactor(List.of(paths));
  }

  default Redactor andThen(Redactor next) {
    Objects.requireNonNull(next, "next");
    return event -> {
      redact(event);
      next.redact(event);
    };
  }
}
