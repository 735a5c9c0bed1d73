package dev.aims.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps events in memory: for tests (assert on what was recorded) and demos. Not evidence: it is
 * gone when the process ends. {@link #create()} keeps everything; {@link #keepingLast(int)} keeps
 * a bounded window and says so in its name.
 */
public final class InMemoryDecisionLog implements DecisionLog {
  private final ArrayDeque<LogEntry> entries = new ArrayDeque<>();
  private final int capacity;
  private long appended;

  private InMemoryDecisionLog(int capacity) {
    this.capacity = capacity;
  }

  public static InMemoryDecisionLog create() {
    return new InMemoryDecisionLog(Integer.MAX_VALUE);
  }

  /** Keeps only the last {@code capacity} events; older ones are evicted. */
  public static InMemoryDecisionLog keepingLast(int capacity) {
    Checks.requireArgument(capacity > 0, "capacity must be > 0 but was %s", capacity);
    return new InMemoryDecisionLog(capacity);
  }

  @Override
  public synchronized void append(LogEntry entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
    appended++;
  }

  /** How many events were ever appended (evicted ones included). */
  public synchronized long appendedCount() {
    return appended;
  }

  public synchronized List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  public List<AimsEvent> events() {
    List<AimsEvent> events = new ArrayList<>();
    for (LogEntry e : entries()) {
      events.add(e.event());
    }
    return events;
  }

  /** Events of one type, cast to the record class that carries it. */
  public <E extends AimsEvent> List<E> events(String type, Class<E> eventClass) {
    List<E> events = new ArrayList<>();
    for (LogEntry e : entries()) {
      if (e.event().type().equals(type)) {
        events.add(eventClass.cast(e.event()));
      }
    }
    return events;
  }

  /** The redacted JSON bodies of the events that match, in order. */
  public List<ObjectNode> json(Predicate<AimsEvent> filter) {
    List<ObjectNode> out = new ArrayList<>();
    for (LogEntry e : entries()) {
      if (filter.test(e.event())) {
        out.add(e.body());
      }
    }
    return out;
  }

  public synchronized void clear() {
    entries.clear();
  }
}
