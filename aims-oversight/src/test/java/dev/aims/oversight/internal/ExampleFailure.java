package dev.aims.oversight.internal;

/** A runtime exception from a class in a {@code dev.aims} package that is not one of AIMS's exception kinds. */
public final class ExampleFailure extends RuntimeException {
  public ExampleFailure(String message) {
    super(message);
  }
}
