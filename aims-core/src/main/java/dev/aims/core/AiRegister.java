package dev.aims.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AI system register of one {@link Aims} instance (ISO/IEC 42001's inventory, as code).
 * Changes made after start are recorded as {@code register.changed} events.
 *
 * <p>The JSON form ({@link #readJson(Path)}):
 *
 * <pre>{@code
 * {"systems": [{
 *   "id": "credit-scoring", "name": "Credit scoring", "owner": "risk-team",
 *   "purpose": "score consumer loan applications", "riskTier": "HIGH",
 *   "allowedModels": [{"provider": "acme", "name": "scorer", "version": "2.1"}],
 *   "reviewCadence": "P90D", "onLogFailure": "REFUSE"
 * }]}
 * }</pre>
 */
public final class AiRegister {
  private static final Set<String> SYSTEM_FIELDS = Set.of("id", "name", "owner", "purpose", "riskTier",
      "allowedModels", "anyModel", "reviewCadence", "onLogFailure", "validationGate", "validations", "card");
  private static final Set<String> MODEL_FIELDS = Set.of("provider", "name", "version", "digest");
  private static final Set<String> CARD_FIELDS = Set.of("intendedUse", "dataInputs", "dataOutputs", "affectedPersons",
      "oversight", "impactAssessment", "lastReviewed");
  private static final Set<String> VALIDATION_FIELDS = Set.of("suite", "model", "artefactDigest", "metrics",
      "thresholds", "passed", "failures", "approver", "validatedAt");

  private final Aims aims;

  AiRegister(Aims aims) {
    this.aims = aims;
  }

  public Optional<AiSystem> find(String id) {
    try {
      return Optional.of(get(id));
    } catch (UnknownSystemException e) {
      return Optional.empty();
    }
  }

  /** @throws UnknownSystemException if no system has that id */
  public AiSystem get(String id) {
    return aims.runtime(id).definition;
  }

  /** All systems, by id. */
  public List<AiSystem> systems() {
    List<AiSystem> all = new ArrayList<>();
    for (SystemRuntime r : aims.runtimes()) {
      all.add(r.definition);
    }
    all.sort(Comparator.comparing(AiSystem::id));
    return all;
  }

  /** Adds a system (with no policy beyond model change control until {@link Aims#setPolicy} is called). */
  public void add(AiSystem system) {
    aims.added(java.util.Objects.requireNonNull(system, "system"));
  }

  /** Replaces the entry with the same id, e.g. a new allowed model version. */
  public void update(AiSystem system) {
    aims.updated(java.util.Objects.requireNonNull(system, "system"));
  }

  public void remove(String id) {
    aims.removed(id);
  }

  // ---- JSON -----------------------------------------------------------------------------------

  public static List<AiSystem> readJson(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readJson(in, file.toString());
    }
  }

  /**
   * Reads a register from JSON. Errors name the source and the path of the bad field, e.g.
   * {@code register.json: systems[0].riskTier: unknown risk tier 'HIHG'; expected one of ...}.
   */
  public static List<AiSystem> readJson(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("systems").isArray()) {
      throw new IllegalArgumentException(source + ": expected an object with a \"systems\" array");
    }
    List<AiSystem> systems = new ArrayList<>();
    JsonNode array = root.get("systems");
    for (int i = 0; i < array.size(); i++) {
      String at = source + ": systems[" + i + "]";
      try {
        systems.add(system(array.get(i), at));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw e.getMessage() != null && e.getMessage().startsWith(source)
            ? e : new IllegalArgumentException(at + ": " + e.getMessage(), e);
      }
    }
    return systems;
  }

  private static AiSystem system(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(at + ": expected an object");
    }
    unknownFields(node, SYSTEM_FIELDS, at);
    AiSystem.Builder b = AiSystem.builder(text(node, "id", at));
    if (node.has("name")) {
      b.name(text(node, "name", at));
    }
    b.owner(text(node, "owner", at)).purpose(text(node, "purpose", at));
    b.riskTier(enumValue(RiskTier.class, text(node, "riskTier", at), at + ".riskTier", "risk tier"));
    JsonNode models = node.path("allowedModels");
    if (!models.isMissingNode()) {
      if (!models.isArray()) {
        throw new IllegalArgumentException(at + ".allowedModels: expected an array");
      }
      for (int j = 0; j < models.size(); j++) {
        JsonNode m = models.get(j);
        String mat = at + ".allowedModels[" + j + "]";
        if (!m.isObject()) {
          throw new IllegalArgumentException(mat + ": expected an object");
        }
        unknownFields(m, MODEL_FIELDS, mat);
        ModelRef ref = ModelRef.of(text(m, "provider", mat), text(m, "name", mat), text(m, "version", mat));
        if (m.has("digest")) {
          b.allowModel(ref, text(m, "digest", mat));
        } else {
          b.allowModel(ref);
        }
      }
    }
    if (node.path("anyModel").asBoolean(false)) {
      b.anyModel();
    }
    if (node.has("reviewCadence")) {
      String cadence = text(node, "reviewCadence", at);
      try {
        b.reviewCadence(Duration.parse(cadence));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(at + ".reviewCadence: '" + cadence
            + "' is not an ISO-8601 duration such as P90D");
      }
    }
    if (node.has("onLogFailure")) {
      b.onLogFailure(enumValue(LogFailurePolicy.class, text(node, "onLogFailure", at), at + ".onLogFailure",
          "log failure policy"));
    }
    if (node.has("validationGate")) {
      b.validationGate(enumValue(ValidationGate.class, text(node, "validationGate", at), at + ".validationGate",
          "validation gate"));
    }
    JsonNode validations = node.path("validations");
    for (int j = 0; j < validations.size(); j++) {
      b.validation(validation(validations.get(j), at + ".validations[" + j + "]"));
    }
    if (node.has("card")) {
      b.card(card(node.get("card"), at + ".card"));
    }
    return b.build();
  }

  private static SystemCard card(JsonNode c, String at) {
    unknownFields(c, CARD_FIELDS, at);
    return new SystemCard(text(c, "intendedUse", at), texts(c, "dataInputs"), texts(c, "dataOutputs"),
        texts(c, "affectedPersons"), text(c, "oversight", at),
        c.has("impactAssessment") ? text(c, "impactAssessment", at) : null,
        c.has("lastReviewed") ? instant(text(c, "lastReviewed", at), at + ".lastReviewed") : null);
  }

  /** A validation record in the form {@code ModelValidation} is written by the validation kit. */
  static ModelValidation validation(JsonNode v, String at) {
    unknownFields(v, VALIDATION_FIELDS, at);
    JsonNode m = v.path("model");
    ModelRef model = ModelRef.of(text(m, "provider", at + ".model"), text(m, "name", at + ".model"),
        text(m, "version", at + ".model"));
    ModelValidation computed = ModelValidation.of(text(v, "suite", at), model, text(v, "artefactDigest", at),
        numbers(v, "metrics"), numbers(v, "thresholds"), text(v, "approver", at),
        instant(text(v, "validatedAt", at), at + ".validatedAt"));
    if (v.has("passed") && v.get("passed").asBoolean() != computed.passed()) {
      throw new IllegalArgumentException(at + ": says passed=" + v.get("passed").asBoolean() + " but its metrics "
          + (computed.passed() ? "meet every threshold" : "miss: " + String.join(", ", computed.failures())));
    }
    return computed;
  }

  private static Map<String, Double> numbers(JsonNode n, String field) {
    Map<String, Double> m = new java.util.TreeMap<>();
    n.path(field).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble(Double.NaN)));
    return m;
  }

  private static List<String> texts(JsonNode n, String field) {
    List<String> l = new ArrayList<>();
    n.path(field).forEach(v -> l.add(v.asText()));
    return l;
  }

  private static java.time.Instant instant(String text, String at) {
    try {
      return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : java.time.Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(at + ": '" + text + "' is not a date (2026-03-01) or an instant");
    }
  }

  private static void unknownFields(JsonNode node, Set<String> known, String at) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(at + ": unknown field '" + name + "'; known fields are "
            + known.stream().sorted().toList());
      }
    }
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(at + "." + field + ": missing");
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw new IllegalArgumentException(at + "." + field + ": expected a non-blank string but was " + v);
    }
    return v.textValue();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String at, String what) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": unknown " + what + " '" + value + "'; expected one of "
          + Arrays.toString(type.getEnumConstants()));
    }
  }
}
