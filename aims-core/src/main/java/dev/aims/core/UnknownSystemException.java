package dev.aims.core;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** A call or setting named an AI system that is not in the register. */
public class UnknownSystemException extends AimsException {
  private final String system;
  private final Set<String> registered;

  public UnknownSystemException(String id, Collection<String> known) {
    super("no AI system '" + id + "' is registered (registered: " + new TreeSet<>(known)
        + "); register it with Aims.builder().register(...) or aims.register().add(...)");
    this.system = id;
    this.registered = Collections.unmodifiableSortedSet(new TreeSet<>(known));
  }

  /** The id that was asked for. */
  public String system() {
    return system;
  }

  /** The ids that are registered. */
  public Set<String> registered() {
    return registered;
  }
}
