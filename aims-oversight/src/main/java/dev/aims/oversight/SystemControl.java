package dev.aims.oversight;

import dev.aims.core.Actor;
import java.time.Instant;
import java.util.Objects;

/**
 * The stop switch of one AI system as a store shares it between instances: the last press.
 *
 * @param stopped whether the system is stopped
 * @param reason the reason given with the last press (stop or resume)
 * @param actor who pressed it last
 * @param at when
 * @param version 1 for the first press, one more for every press that changed the state; an
 *     instance applies a state only when its version is newer than the last one it applied
 * @param instance the instance the press was made on
 */
record SystemControl(String system, boolean stopped, String reason, Actor actor, Instant at, long version,
    String instance) {
  SystemControl {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(instance, "instance");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1 but was " + version);
    }
  }
}
