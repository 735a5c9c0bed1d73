package dev.aims.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The record of one evaluation suite run over one model artefact: what was measured against which
 * minimum, whether it passed and why not, who approved it and when. A HIGH-risk system whose
 * {@link ValidationGate} is on may only allow a model version that a passing record for the same
 * artefact digest covers; the register entry cites the records ({@link AiSystem#validations()}).
 *
 * <p>{@code passed} and {@code failures} are not given but computed from the metrics and thresholds,
 * so a record cannot claim a pass its numbers do not show.
 *
 * @param thresholds the minimum each metric must reach; every threshold needs a metric
 * @param artefactDigest {@code sha256:} and 64 lowercase hex digits of the model artefact evaluated
 */
@JsonPropertyOrder({"suite", "model", "artefactDigest", "metrics", "thresholds", "passed", "failures", "approver",
    "validatedAt"})
public record ModelValidation(String suite, ModelRef model, String artefactDigest, Map<String, Double> metrics,
    Map<String, Double> thresholds, boolean passed, List<String> failures, String approver, Instant validatedAt) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public ModelValidation {
    Checks.requireText(suite, "suite");
    Objects.requireNonNull(model, "model");
    requireDigest(artefactDigest, "artefactDigest of validation '" + suite + "'");
    metrics = new TreeMap<>(Objects.requireNonNull(metrics, "metrics"));
    thresholds = new TreeMap<>(Objects.requireNonNull(thresholds, "thresholds"));
    Checks.requireText(approver, "approver of validation '" + suite + "'");
    Objects.requireNonNull(validatedAt, "validatedAt");
    if (thresholds.isEmpty()) {
      throw new IllegalArgumentException("validation '" + suite + "' has no threshold: a suite must say what passes");
    }
    List<String> why = new ArrayList<>();
    for (Map.Entry<String, Double> t : thresholds.entrySet()) {
      Double value = metrics.get(t.getKey());
      if (value == null) {
        throw new IllegalArgumentException("validation '" + suite + "' has a threshold for metric '" + t.getKey()
            + "' but no such metric (metrics: " + metrics.keySet() + ")");
      }
      if (value.isNaN() || value < t.getValue()) {
        why.add(t.getKey() + " " + value + " < " + t.getValue());
      }
    }
    if (passed != why.isEmpty()) {
      throw new IllegalArgumentException("validation '" + suite + "' says passed=" + passed + " but its metrics "
          + (why.isEmpty() ? "meet every threshold" : "miss: " + String.join(", ", why)));
    }
    failures = List.copyOf(why);
    metrics = java.util.Collections.unmodifiableMap(metrics);
    thresholds = java.util.Collections.unmodifiableMap(thresholds);
  }

  /** A record whose result is computed from {@code metrics} and {@code thresholds}. */
  public static ModelValidation of(String suite, ModelRef model, String artefactDigest, Map<String, Double> metrics,
      Map<String, Double> thresholds, String approver, Instant validatedAt) {
    boolean pass = thresholds.entrySet().stream().allMatch(t -> {
      Double v = metrics.get(t.getKey());
      return v == null || (!v.isNaN() && v >= t.getValue());
    });
    return new ModelValidation(suite, model, artefactDigest, metrics, thresholds, pass, List.of(), approver,
        validatedAt);
  }

  /** The record as JSON, in the form a register file's {@code validations} array takes. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write validation '" + suite + "' as JSON", e);
    }
  }

  /** Reads {@link #toJson()}'s form; a {@code passed} its metrics do not show is refused. */
  public static ModelValidation fromJson(String json, String source) {
    try {
      return AiRegister.validation(JSON.readTree(json), source);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper
      .builder().addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  static String requireDigest(String digest, String name) {
    Objects.requireNonNull(digest, () -> name + " must not be null");
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException(name + " must be sha256: and 64 lowercase hex digits but was '" + digest + "'");
    }
    return digest;
  }
}
