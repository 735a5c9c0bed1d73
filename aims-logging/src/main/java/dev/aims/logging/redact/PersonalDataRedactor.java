package dev.aims.logging.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.aims.core.Redactor;
import dev.aims.logging.redact.PiiDetector.Match;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes personal data from an event body before it is hashed into the decision log: first the
 * field rules, in the order they were added, then the detectors, in order, over every string in
 * the scanned subtrees.
 *
 * <pre>{@code
 * Redactor redactor = PersonalDataRedactor.builder()
 *     .keyedHash("input.customer_id", hmacKey)   // still joinable, not readable
 *     .drop("input.date_of_birth")
 *     .mask("output.explanation")
 *     .withDefaultDetectors()                    // e-mail, IBAN, card, IPv6, IPv4, phone
 *     .build();
 * Aims aims = Aims.builder().register(creditScoring).redactor("credit-scoring", redactor)...build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link Builder#mask mask}: the value becomes {@value #MASK}.
 *   <li>{@link Builder#drop drop}: the field is removed.
 *   <li>{@link Builder#keyedHash keyedHash}: the value becomes {@code hmac-sha256:} and the hex
 *       HMAC-SHA-256 of its canonical JSON, so equal values give equal strings under one key.
 *   <li>detectors: each match inside a string (or in the decimal form of an integral number) is
 *       replaced by {@code [kind]}, e.g. {@code [email]}; a number with a match becomes a string.
 * </ul>
 *
 * <p>Redaction never throws for odd input: if a detector fails, the string it was scanning is
 * replaced as a whole by {@value #DETECTOR_FAILED} (and a warning is logged once per kind), so a
 * failure loses the text rather than leaking it. Field names are not scanned. Thread-safe and
 * deterministic.
 */
public final class PersonalDataRedactor implements Redactor {
  /** What {@code mask} writes. */
  public static final String MASK = "[masked]";
  /** What a string becomes when a detector throws while scanning it. */
  public static final String DETECTOR_FAILED = "[redaction-failed]";
  /** The subtrees detectors scan unless {@link Builder#scan} says otherwise. */
  public static final List<String> DEFAULT_SCAN_PATHS =
      List.of("input", "output", "overridden_output", "rationale", "error");

  private static final Logger LOG = LoggerFactory.getLogger(PersonalDataRedactor.class);
  private static final TextNode MASK_NODE = TextNode.valueOf(MASK);

  private final List<FieldRule> rules;
  private final List<Detector> detectors;
  private final List<FieldPath> scanPaths;
  private final Set<String> warnedKinds = ConcurrentHashMap.newKeySet();

  private PersonalDataRedactor(Builder b) {
    this.rules = List.copyOf(b.rules);
    this.detectors = List.copyOf(b.detectors.values());
    this.scanPaths = List.copyOf(b.scanPaths != null ? b.scanPaths : defaultScanPaths());
  }

  /** Starts a redactor: add field rules, detectors, or both, then {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void redact(@Nullable ObjectNode event) {
    if (event == null) {
      return;
    }
    for (FieldRule rule : rules) {
      rule.path.forEach(event, rule.action);
    }
    if (detectors.isEmpty()) {
      return;
    }
    for (FieldPath path : scanPaths) {
      path.forEach(event, (object, name) -> {
        JsonNode value = object.get(name);
        JsonNode redacted = scrub(value);
        if (redacted != value) {
          object.set(name, redacted);
        }
      });
    }
  }

  /**
   * The text with every detector match replaced by its placeholder, e.g. for a message that goes
   * to an application log rather than the decision log. Never throws; {@code null} gives null.
   */
  public @Nullable String redactText(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String current = text;
    for (Detector d : detectors) {
      List<Match> matches;
      try {
        matches = d.detector.find(current);
      } catch (RuntimeException | StackOverflowError e) {
        if (warnedKinds.add(d.kind)) {
          LOG.warn(
              "AIMS personal-data detector '{}' ({}) failed: {}. The text it was scanning is"
                  + " logged as {} instead; fix or remove the detector.",
              d.kind, d.detector.getClass().getName(), e.toString(), DETECTOR_FAILED);
        }
        return DETECTOR_FAILED;
      }
      if (matches != null && !matches.isEmpty()) {
        current = replace(current, matches, d.placeholder);
      }
    }
    return current;
  }

  /** The node with its strings redacted: the same node if nothing changed at its top. */
  private JsonNode scrub(JsonNode node) {
    if (!node.isContainerNode()) {
      JsonNode replaced = scrubScalar(node);
      return replaced != null ? replaced : node;
    }
    // iterative, so a deeply nested payload cannot overflow the stack
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(node);
    while (!pending.isEmpty()) {
      JsonNode container = pending.pop();
      if (container instanceof ObjectNode object) {
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
          JsonNode child = e.getValue();
          if (child.isContainerNode()) {
            pending.push(child);
          } else {
            JsonNode replaced = scrubScalar(child);
            if (replaced != null) {
              changes.put(e.getKey(), replaced);
            }
          }
        }
        changes.forEach(object::set);
      } else if (container instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          JsonNode child = array.get(i);
          if (child.isContainerNode()) {
            pending.push(child);
          } else {
            JsonNode replaced = scrubScalar(child);
            if (replaced != null) {
              array.set(i, replaced);
            }
          }
        }
      }
    }
    return node;
  }

  /** The replacement for a string or integral number with personal data in it, else null. */
  private @Nullable JsonNode scrubScalar(JsonNode node) {
    String text;
    if (node.isTextual()) {
      text = node.textValue();
    } else if (node.isIntegralNumber()) {
      text = node.bigIntegerValue().toString();
    } else {
      return null;
    }
    String redacted = redactText(text);
    return redacted == null || redacted.equals(text) ? null : TextNode.valueOf(redacted);
  }

  private static String replace(String text, List<Match> matches, String placeholder) {
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (Match m : matches) {
      // a plugged-in detector may return unordered or out-of-range spans: skip them
      if (m == null || m.start() < last || m.end() > text.length()) {
        continue;
      }
      out.append(text, last, m.start()).append(placeholder);
      last = m.end();
    }
    if (last == 0) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  private static List<FieldPath> defaultScanPaths() {
    List<FieldPath> paths = new ArrayList<>();
    for (String p : DEFAULT_SCAN_PATHS) {
      paths.add(FieldPath.parse(p, "scan path"));
    }
    return paths;
  }

  @Override
  public String toString() {
    List<String> kinds = new ArrayList<>();
    for (Detector d : detectors) {
      kinds.add(d.kind);
    }
    return "PersonalDataRedactor[rules=" + rules + ", detectors=" + kinds + ", scan=" + scanPaths + "]";
  }

  private record FieldRule(String name, FieldPath path, BiConsumer<ObjectNode, String> action) {
    @Override
    public String toString() {
      return name + " " + path;
    }
  }

  private record Detector(PiiDetector detector, String kind, String placeholder) {}

  /**
   * Collects the rules; {@link #build()} fails fast on a redactor that would do nothing. Not
   * thread-safe.
   */
  public static final class Builder {
    private final List<FieldRule> rules = new ArrayList<>();
    private final Map<String, String> ruleByPath = new LinkedHashMap<>();
    private final Map<String, Detector> detectors = new LinkedHashMap<>();
    private @Nullable List<FieldPath> scanPaths;

    private Builder() {}

    /** Replaces the value at {@code path} with {@value PersonalDataRedactor#MASK}. */
    public Builder mask(String path) {
      return rule("mask", FieldPath.parse(path, "path"), (object, name) -> object.set(name, MASK_NODE));
    }

    /** Removes the field at {@code path}. */
    public Builder drop(String path) {
      return rule("drop", FieldPath.parse(path, "path"), ObjectNode::remove);
    }

    /**
     * Replaces the value at {@code path} with {@code hmac-sha256:<hex>}, the HMAC-SHA-256 of the
     * value's canonical JSON under {@code key}. Equal values give equal strings, so records can be
     * joined on them; without the key the value cannot be recovered or confirmed by guessing.
     * The key is copied; keep it secret and stable (rotating it breaks joins across the rotation).
     *
     * @param key at least 16 bytes; 32 random bytes are recommended
     */
    public Builder keyedHash(String path, byte[] key) {
      FieldPath parsed = FieldPath.parse(path, "path");
      Objects.requireNonNull(key, "key must not be null");
      if (key.length < KeyedHasher.MIN_KEY_BYTES) {
        throw new IllegalArgumentException(
            "key for keyedHash('" + path + "') must be at least " + KeyedHasher.MIN_KEY_BYTES
                + " bytes but was " + key.length);
      }
      KeyedHasher hasher = new KeyedHasher(key);
      return rule("keyedHash", parsed, (object, name) -> object.put(name, hasher.hash(object.get(name))));
    }

    /** Adds detectors, run after the built-ins or others added before, in this order. */
    public Builder detectors(PiiDetector... detectors) {
      Objects.requireNonNull(detectors, "detectors must not be null");
      for (int i = 0; i < detectors.length; i++) {
        PiiDetector d = Objects.requireNonNull(detectors[i], "detectors[" + i + "] must not be null");
        String kind = Kinds.require(d.kind());
        if (this.detectors.containsKey(kind)) {
          throw new IllegalArgumentException("a detector of kind '" + kind + "' was already added");
        }
        this.detectors.put(kind, new Detector(d, kind, "[" + kind + "]"));
      }
      return this;
    }

    /** Adds {@link PiiDetector#defaults()}: e-mail, IBAN, card, IPv6, IPv4, then phone. */
    public Builder withDefaultDetectors() {
      return detectors(PiiDetector.defaults().toArray(PiiDetector[]::new));
    }

    /**
     * The subtrees of the body the detectors scan, replacing {@link #DEFAULT_SCAN_PATHS}, e.g.
     * {@code scan("input", "output", "error")}. Set once.
     */
    public Builder scan(String... paths) {
      Objects.requireNonNull(paths, "paths must not be null");
      if (scanPaths != null) {
        throw new IllegalStateException("scan paths were already set to " + scanPaths);
      }
      if (paths.length == 0) {
        throw new IllegalArgumentException("scan needs at least one path");
      }
      List<FieldPath> parsed = new ArrayList<>();
      for (String p : paths) {
        parsed.add(FieldPath.parse(p, "scan path"));
      }
      scanPaths = parsed;
      return this;
    }

    /**
     * @throws IllegalStateException if there is nothing to do, or scan paths without detectors
     */
    public PersonalDataRedactor build() {
      if (rules.isEmpty() && detectors.isEmpty()) {
        throw new IllegalStateException(
            "PersonalDataRedactor has no field rules and no detectors: add mask/drop/keyedHash,"
                + " detectors(...) or withDefaultDetectors(), or use Redactor.none()");
      }
      if (scanPaths != null && detectors.isEmpty()) {
        throw new IllegalStateException(
            "scan paths " + scanPaths + " were set but no detectors: add detectors(...) or"
                + " withDefaultDetectors()");
      }
      return new PersonalDataRedactor(this);
    }

    private Builder rule(String name, FieldPath path, BiConsumer<ObjectNode, String> action) {
      String existing = ruleByPath.putIfAbsent(path.toString(), name);
      if (existing != null) {
        throw new IllegalArgumentException("path '" + path + "' already has a rule (" + existing + ")");
      }
      rules.add(new FieldRule(name, path, action));
      return this;
    }
  }
}
