package dev.aims.core;

import java.util.Collection;
import java.util.TreeSet;

/** A call or setting named an AI system that is not in the register. */
public class UnknownSystemException extends AimsException {
  public UnknownSystemException(String id, Collection<String> known) {
    super("no AI system '" + id + "' is registered (registered: " + new TreeSet<>(known)
        + "); register it with Aims.builder().register(...) or aims.register().add(...)");
  }
}
