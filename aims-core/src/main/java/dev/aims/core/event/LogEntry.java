package dev.aims.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event handed to a {@link dev.aims.core.DecisionLog}, with the encoder that turns it into its
 * redacted JSON body. Encoding is lazy and done once, so a log that writes on a background thread
 * keeps serialisation off the caller's path. Thread-safe.
 */
public final class LogEntry {
  private final AimsEvent event;
  private final EventEncoder encoder;
  private volatile @Nullable ObjectNode body;
  private volatile @Nullable CanonicalBody canonical;

  public LogEntry(AimsEvent event, EventEncoder encoder) {
    this.event = Objects.requireNonNull(event, "event");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
  }

  public AimsEvent event() {
    return event;
  }

  /** The redacted, capped JSON body without envelope fields. Callers must not modify it. */
  public ObjectNode body() {
    ObjectNode b = body;
    if (b == null) {
      b = encoder.encode(event);
      body = b;
    }
    return b;
  }

  /** The body in canonical form. */
  public String canonicalBody() {
    return canonical().toString();
  }

  /**
   * The redacted, capped body as canonical UTF-8 bytes with its members' places: what a log hashes
   * and writes. Encoded once; without a redactor it is written straight from the event's objects
   * ({@link EventEncoder#encodeCanonical}), so no tree is built unless {@link #body()} is called.
   */
  public CanonicalBody canonical() {
    CanonicalBody c = canonical;
    if (c == null) {
      ObjectNode b = body;
      c = b != null ? CanonicalBody.of(b) : encoder.encodeCanonical(event);
      canonical = c;
    }
    return c;
  }

  @Override
  public String toString() {
    return event.type() + " " + event.ts();
  }
}
