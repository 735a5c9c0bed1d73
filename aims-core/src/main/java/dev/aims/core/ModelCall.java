package dev.aims.core;

/**
 * The model call a decision governs: input in, output out. Any exception it throws, checked or
 * not, is recorded as a failed decision and rethrown unchanged.
 *
 * @param <X> the checked exception the call may throw ({@code RuntimeException} if none)
 */
@FunctionalInterface
public interface ModelCall<I, O, X extends Exception> {
  O apply(I input) throws X;
}
