package dev.aims.core;

/**
 * Like {@link ModelCall}, for calls that report more than the output: the model that answered,
 * token usage, confidence.
 */
@FunctionalInterface
public interface ModelInvocation<I, O, X extends Exception> {
  ModelResult<O> apply(I input) throws X;
}
