package dev.aims.core.policy;

import java.util.Objects;

/** Holds a boundary's id, version and stage; subclasses supply the rule. */
abstract class SimpleBoundary implements DecisionBoundary {
  private final String id;
  private final String version;
  private final Stage stage;

  SimpleBoundary(String id, String version, Stage stage) {
    Objects.requireNonNull(id, "boundary id must not be null");
    Objects.requireNonNull(version, () -> "version of boundary '" + id + "' must not be null");
    if (id.isBlank() || version.isBlank()) {
      throw new IllegalArgumentException("boundary id and version must not be blank");
    }
    this.id = id;
    this.version = version;
    this.stage = Objects.requireNonNull(stage, () -> "stage of boundary '" + id + "' must not be null");
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String version() {
    return version;
  }

  @Override
  public final Stage stage() {
    return stage;
  }

  @Override
  public String toString() {
    return id + "@" + version + " (" + stage + ")";
  }
}
