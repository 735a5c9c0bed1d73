package dev.aims.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aims.core.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@link AimsEvent} into its JSON body: event fields in snake_case, each payload (model
 * input and output) serialised on its own, then the system's {@link Redactor} applied, then each
 * payload capped at {@code maxPayloadBytes}.
 *
 * <ul>
 *   <li>A payload Jackson cannot serialise becomes {@code {"aims_unserializable": "<type>",
 *       "error": "..."}}; a warning naming the type is logged once per type.
 *   <li>A payload whose canonical form exceeds the cap becomes {@code {"aims_truncated": true,
 *       "bytes": n, "sha256": "<hex of the full redacted value>", "preview": "<first characters>"}}.
 * </ul>
 *
 * Redaction runs before the cap, so neither the preview nor the digest is taken over unredacted data.
 */
public final class EventEncoder {
  /** 64 KiB: a model input or output larger than this is kept only as its digest. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EventEncoder.class);
  private static final int PREVIEW_CHARS = 256;
  /**
   * {@link Redactor#none()}. HotSpot hands out one instance of a lambda that captures nothing, so a
   * system configured without a redactor gets this one; if a JVM did otherwise, such a system would
   * only take the (equivalent, slower) tree path.
   */
  private static final Redactor NO_REDACTION = Redactor.none();
  private static final ThreadLocal<CanonicalWriter> WRITER = ThreadLocal.withInitial(CanonicalWriter::new);

  private final ObjectMapper mapper;
  private final Function<String, Redactor> redactors;
  private final int maxPayloadBytes;
  private final Set<Class<?>> warnedTypes = ConcurrentHashMap.newKeySet();

  /**
   * @param redactors the redactor for a system id (return {@link Redactor#none()} for none)
   * @param maxPayloadBytes the cap for one payload's canonical JSON, at least 1 KiB
   */
  public EventEncoder(Function<String, Redactor> redactors, int maxPayloadBytes) {
    this.redactors = Objects.requireNonNull(redactors, "redactors");
    if (maxPayloadBytes < 1024) {
      throw new IllegalArgumentException("maxPayloadBytes must be >= 1024 but was " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    this.mapper = newMapper();
  }

  /** An encoder with no redaction and the default cap. */
  public static EventEncoder plain() {
    return new EventEncoder(system -> Redactor.none(), DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** The mapper AIMS writes events with: snake_case, instants in {@link Timestamps}' fixed form, nulls left out. */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new SimpleModule("aims-timestamps").addSerializer(Instant.class, new InstantSerializer()))
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** The event's body as a fresh tree (no envelope fields). */
  public ObjectNode encode(AimsEvent event) {
    ObjectNode body = mapper.valueToTree(event);
    Map<String, Object> payloads = event.payloads();
    for (Map.Entry<String, Object> p : payloads.entrySet()) {
      body.set(p.getKey(), payload(p.getValue()));
    }
    String system = event.system();
    if (system != null) {
      redactors.apply(system).redact(body);
    }
    for (String field : payloads.keySet()) {
      JsonNode value = body.get(field);
      if (value != null) {
        body.set(field, cap(value));
      }
    }
    return body;
  }

  /**
   * The event's body in canonical form: the same bytes as {@code CanonicalJson.bytes(encode(event))}.
   *
   * <p>When the event's system has no redactor (the redactor is {@link Redactor#none()}), the bytes
   * are written in one pass straight from the event and its payloads, with no tree in between, and
   * each payload's size is known as it is written. Whatever that pass cannot do exactly as the tree
   * path does — a redactor to run, a payload over the cap or that cannot be serialised, a key twice
   * in one object, raw JSON — goes through {@link #encode} instead, with the same result.
   */
  public CanonicalBody encodeCanonical(AimsEvent event) {
    Objects.requireNonNull(event, "event");
    String system = event.system();
    if ((system == null || redactors.apply(system) == NO_REDACTION)
        && !mapper.isEnabled(SerializationFeature.WRAP_ROOT_VALUE)) {
      CanonicalWriter w = WRITER.get();
      if (w.busy) {
        w = new CanonicalWriter(); // a serializer that logs while it is being logged
      }
      w.busy = true;
      try {
        return writeDirect(event, w);
      } catch (IOException | RuntimeException e) {
        // the tree path below handles it, with markers and warnings where it applies
      } finally {
        w.busy = false;
        w.forgetKeys();
        w.trim();
      }
    }
    return CanonicalBody.of(encode(event));
  }

  /** One pass from the objects; throws where {@link #encodeCanonical} falls back to the tree. */
  CanonicalBody writeDirect(AimsEvent event, CanonicalWriter w) throws IOException {
    w.reset(true);
    CanonicalGenerator g = w.generator(mapper);
    mapper.writeValue(g, event);
    if (w.depth() != 1) {
      throw new CanonicalWriter.Unsupported("the event is not a JSON object");
    }
    for (Map.Entry<String, Object> p : event.payloads().entrySet()) {
      w.fieldName(p.getKey());
      int start = w.len;
      mapper.writeValue(g, p.getValue());
      if (w.len - start > maxPayloadBytes) {
        throw new CanonicalWriter.Unsupported("payload '" + p.getKey() + "' is over the cap");
      }
    }
    return w.finishBody(event.type());
  }

  private JsonNode payload(Object value) {
    try {
      return mapper.valueToTree(value);
    } catch (IllegalArgumentException e) {
      Class<?> type = value.getClass();
      if (warnedTypes.add(type)) {
        LOG.warn(
            "AIMS cannot serialise {} to JSON for the decision log ({}); the record keeps a marker"
                + " instead of the value. Make the type Jackson-serialisable or pass a serialisable"
                + " view of it as the call's input/output.",
            type.getName(),
            e.getMessage());
      }
      ObjectNode marker = JsonNodeFactory.instance.objectNode();
      marker.put("aims_unserializable", type.getName());
      marker.put("error", String.valueOf(e.getMessage()));
      return marker;
    }
  }

  private JsonNode cap(JsonNode value) {
    // a bound from node counts and string lengths first: most payloads are far under the cap
    if (CanonicalJson.maxUtf8Length(value, maxPayloadBytes) <= maxPayloadBytes) {
      return value;
    }
    String canonical = CanonicalJson.write(value);
    byte[] bytes = canonical.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxPayloadBytes) {
      return value;
    }
    ObjectNode marker = JsonNodeFactory.instance.objectNode();
    marker.put("aims_truncated", true);
    marker.put("bytes", bytes.length);
    marker.put("sha256", sha256Hex(bytes));
    int end = Math.min(PREVIEW_CHARS, canonical.length());
    if (end > 0 && Character.isHighSurrogate(canonical.charAt(end - 1))) {
      end--;
    }
    marker.put("preview", canonical.substring(0, end));
    return marker;
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** Every {@link Instant} in a record, {@code ts} included, in the log's one fixed form. */
  private static final class InstantSerializer extends StdSerializer<Instant> {
    InstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(Timestamps.format(value));
    }
  }
}
