package dev.aims.core;

/**
 * Told when the stop switch of an AI system is pressed or released on an {@link Aims} instance
 * ({@link Aims#stop}, {@link Aims#resume}), whoever pressed it. An approval service uses it to
 * cancel the system's pending reviews.
 *
 * <p>Runs on the thread that pressed the switch, after the switch changed state and its event was
 * appended (or failed to be), and only when the state changed: pressing stop twice tells once.
 */
public interface SystemControlListener {

  /** The system was stopped; new decisions are already refused. */
  void stopped(String systemId, String reason, Actor actor);

  /** The system was resumed. Does nothing unless overridden. */
  default void resumed(String systemId, String reason, Actor actor) {}
}
