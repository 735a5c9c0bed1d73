package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads events back from a log directory, in seq order, as JSON objects (envelope included):
 *
 * <pre>{@code
 * try (Stream<ObjectNode> events = LogReader.of(dir).system("credit-scoring")
 *     .between(from, to).type("decision.final").stream()) { ... }
 * }</pre>
 *
 * Reading does not verify; run {@link LogVerifier} for that. Filters combine with AND.
 */
public final class LogReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path dir;
  private @Nullable Instant from;
  private @Nullable Instant to;
  private @Nullable String system;
  private @Nullable String decisionId;
  private @Nullable String type;

  private LogReader(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  public static LogReader of(Path dir) {
    return new LogReader(dir);
  }

  /** Events with {@code from <= ts < to}. */
  public LogReader between(Instant from, Instant to) {
    if (!Objects.requireNonNull(from, "from").isBefore(Objects.requireNonNull(to, "to"))) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    this.from = from;
    this.to = to;
    return this;
  }

  public LogReader system(String system) {
    this.system = Objects.requireNonNull(system, "system");
    return this;
  }

  public LogReader decision(UUID decisionId) {
    this.decisionId = Objects.requireNonNull(decisionId, "decisionId").toString();
    return this;
  }

  public LogReader type(String type) {
    this.type = Objects.requireNonNull(type, "type");
    return this;
  }

  /** The matching events; close the stream to release the files. */
  public Stream<ObjectNode> stream() throws IOException {
    List<Path> segments = Segments.list(dir);
    if (segments.isEmpty()) {
      throw new IOException("no decision log segments (decisions-*.jsonl) in " + dir);
    }
    Predicate<ObjectNode> filter = this::matches;
    return segments.stream().flatMap(LogReader::lines).map(LogReader::parse).filter(filter);
  }

  private boolean matches(ObjectNode e) {
    if (system != null && !system.equals(e.path("system").asText(null))) {
      return false;
    }
    if (decisionId != null && !decisionId.equals(e.path("decision_id").asText(null))) {
      return false;
    }
    if (type != null && !type.equals(e.path("type").asText(null))) {
      return false;
    }
    if (from != null) {
      Instant ts;
      try {
        ts = Instant.parse(e.path("ts").asText());
      } catch (DateTimeParseException ex) {
        return false;
      }
      return !ts.isBefore(from) && ts.isBefore(to);
    }
    return true;
  }

  private static Stream<String> lines(Path segment) {
    try {
      BufferedReader in = Files.newBufferedReader(segment, StandardCharsets.UTF_8);
      return in.lines().onClose(() -> {
        try {
          in.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + segment, e);
    }
  }

  private static ObjectNode parse(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      if (n instanceof ObjectNode o) {
        return o;
      }
      throw new UncheckedIOException(new IOException("not a JSON object: " + abbreviate(line)));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable log line " + abbreviate(line) + "; run `aims verify`", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
