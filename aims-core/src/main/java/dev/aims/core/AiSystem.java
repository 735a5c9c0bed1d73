package dev.aims.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the AI system register (ISO/IEC 42001 A.4 inventory): what the system is for, who
 * owns it, its risk tier, which models it may use and how often it must be reviewed.
 *
 * <p>Built with {@link #builder(String)}; the constructor rejects an {@link RiskTier#UNACCEPTABLE}
 * tier, blank fields and an empty model list unless {@code anyModel} is set.
 *
 * @param allowedModels the models calls may request; a call naming another model is denied
 * @param anyModel true to switch off model change control (not recommended for HIGH risk)
 * @param reviewCadence how often the system's governance must be reviewed
 * @param onLogFailure what a call does when its decision cannot be logged
 * @param artefacts the artefact digest declared for each allowed model version that has one
 * @param validations the validation records this entry cites ({@link ModelValidation})
 * @param validationGate what a HIGH-risk entry does with a model no passing record covers
 * @param card what the entry says beyond what AIMS enforces; null if not given
 */
public record AiSystem(
    String id,
    String name,
    String owner,
    String purpose,
    RiskTier riskTier,
    Set<ModelRef> allowedModels,
    boolean anyModel,
    Duration reviewCadence,
    LogFailurePolicy onLogFailure,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Artefact> artefacts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelValidation> validations,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = GateOff.class) ValidationGate validationGate,
    @Nullable SystemCard card) {

  /** The artefact (weights, container image, ...) an allowed model version is, by digest. */
  public record Artefact(ModelRef model, String digest) {
    public Artefact {
      Objects.requireNonNull(model, "model");
      ModelValidation.requireDigest(digest, "artefact digest of model " + model);
    }
  }

  /** Leaves {@code validation_gate} out of the log while it is OFF, so entries without a gate encode as before. */
  static final class GateOff {
    @Override
    public boolean equals(Object o) {
      return o == ValidationGate.OFF;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** Used when no cadence is given: a yearly review, the longest cadence ISO 42001 audits accept in practice. */
  public static final Duration DEFAULT_REVIEW_CADENCE = Duration.ofDays(365);

  public AiSystem {
    Checks.requireText(id, "id");
    Checks.requireText(name, "name of AI system '" + id + "'");
    Checks.requireText(owner, "owner of AI system '" + id + "'");
    Checks.requireText(purpose, "purpose of AI system '" + id + "'");
    Objects.requireNonNull(riskTier, () -> "riskTier of AI system '" + id + "' must not be null");
    if (riskTier == RiskTier.UNACCEPTABLE) {
      throw new IllegalArgumentException(
          "AI system '" + id + "' has risk tier UNACCEPTABLE: such practices are prohibited"
              + " (EU AI Act Art. 5) and cannot be registered");
    }
    Objects.requireNonNull(allowedModels, "allowedModels must not be null");
    allowedModels = Set.copyOf(new LinkedHashSet<>(allowedModels));
    if (allowedModels.isEmpty() && !anyModel) {
      throw new IllegalArgumentException(
          "AI system '" + id + "' allows no model: call allowModel(...) for each model it may use,"
              + " or anyModel() to switch model change control off");
    }
    Objects.requireNonNull(reviewCadence, "reviewCadence must not be null");
    Checks.requireArgument(
        !reviewCadence.isNegative() && !reviewCadence.isZero(),
        "reviewCadence of AI system '%s' must be positive but was %s", id, reviewCadence);
    Objects.requireNonNull(onLogFailure, "onLogFailure must not be null");
    artefacts = List.copyOf(artefacts);
    validations = List.copyOf(validations);
    Objects.requireNonNull(validationGate, "validationGate must not be null");
    for (Artefact a : artefacts) {
      if (!allowedModels.contains(a.model())) {
        throw new IllegalArgumentException("AI system '" + id + "' declares an artefact digest for model "
            + a.model() + ", which it does not allow");
      }
    }
    if (validationGate == ValidationGate.REFUSE && riskTier == RiskTier.HIGH) {
      if (anyModel) {
        throw new IllegalArgumentException("AI system '" + id + "' is HIGH risk with validation gate REFUSE but"
            + " anyModel() switches model change control off: list each allowed model with its validation");
      }
      for (ModelRef m : allowedModels) {
        String problem = validationProblem(id, m, artefacts, validations);
        if (problem != null) {
          throw new IllegalArgumentException("AI system '" + id + "' (HIGH risk) may not allow model " + m + ": "
              + problem);
        }
      }
    }
  }

  /**
   * Why {@code model} is not covered by a passing validation of its declared artefact, or empty
   * when it is; always empty unless the system is HIGH risk with its gate on.
   */
  public Optional<String> unvalidated(ModelRef model) {
    if (validationGate == ValidationGate.OFF || riskTier != RiskTier.HIGH) {
      return Optional.empty();
    }
    return Optional.ofNullable(validationProblem(id, model, artefacts, validations));
  }

  private static @Nullable String validationProblem(String id, ModelRef model, List<Artefact> artefacts,
      List<ModelValidation> validations) {
    String digest = artefacts.stream().filter(a -> a.model().equals(model)).map(Artefact::digest).findFirst()
        .orElse(null);
    if (digest == null) {
      return "the entry declares no artefact digest for it (allowModel(model, digest))";
    }
    List<ModelValidation> forModel = validations.stream().filter(v -> v.model().equals(model)).toList();
    if (forModel.isEmpty()) {
      return "no validation record for it";
    }
    List<ModelValidation> sameArtefact = forModel.stream().filter(v -> v.artefactDigest().equals(digest)).toList();
    if (sameArtefact.isEmpty()) {
      return "its validation record(s) are for artefact " + forModel.stream().map(ModelValidation::artefactDigest)
          .distinct().toList() + ", not the declared " + digest;
    }
    if (sameArtefact.stream().noneMatch(ModelValidation::passed)) {
      ModelValidation last = sameArtefact.get(sameArtefact.size() - 1);
      return "validation '" + last.suite() + "' failed (" + String.join(", ", last.failures()) + ")";
    }
    return null;
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder preset with this system's values, for a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.name = name;
    b.owner = owner;
    b.purpose = purpose;
    b.riskTier = riskTier;
    b.allowedModels.addAll(allowedModels);
    b.anyModel = anyModel;
    b.reviewCadence = reviewCadence;
    b.onLogFailure = onLogFailure;
    artefacts.forEach(a -> b.artefacts.put(a.model(), a.digest()));
    b.validations.addAll(validations);
    b.validationGate = validationGate;
    b.card = card;
    return b;
  }

  /** When the next review is due: the card's last review plus the cadence; empty without a last review. */
  public Optional<java.time.Instant> nextReviewDue() {
    return card == null || card.lastReviewed() == null ? Optional.empty()
        : Optional.of(card.lastReviewed().plus(reviewCadence));
  }

  /** True when the card's last review is more than the cadence before {@code now}; false without a last review. */
  public boolean reviewOverdue(java.time.Instant now) {
    return nextReviewDue().map(now::isAfter).orElse(false);
  }

  /** Whether a call may use {@code model} under change control. */
  public boolean allows(ModelRef model) {
    return anyModel || allowedModels.contains(model);
  }

  public static final class Builder {
    private final String id;
    private @Nullable String name;
    private @Nullable String owner;
    private @Nullable String purpose;
    private @Nullable RiskTier riskTier;
    private final Set<ModelRef> allowedModels = new LinkedHashSet<>();
    private boolean anyModel;
    private Duration reviewCadence = DEFAULT_REVIEW_CADENCE;
    private @Nullable LogFailurePolicy onLogFailure;
    private final Map<ModelRef, String> artefacts = new LinkedHashMap<>();
    private final List<ModelValidation> validations = new ArrayList<>();
    private ValidationGate validationGate = ValidationGate.OFF;
    private @Nullable SystemCard card;

    private Builder(String id) {
      this.id = Checks.requireText(id, "id");
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder purpose(String purpose) {
      this.purpose = purpose;
      return this;
    }

    public Builder riskTier(RiskTier riskTier) {
      this.riskTier = riskTier;
      return this;
    }

    public Builder allowModel(ModelRef model) {
      allowedModels.add(ModelRef.requireNonNull(model, "model"));
      return this;
    }

    /** Allows {@code model} and declares the digest of its artefact, which a validation record must match. */
    public Builder allowModel(ModelRef model, String artefactDigest) {
      allowModel(model);
      artefacts.put(model, ModelValidation.requireDigest(artefactDigest, "artefact digest of model " + model));
      return this;
    }

    /** Cites a validation record (passing or not: a failing one keeps its model from being allowed). */
    public Builder validation(ModelValidation record) {
      validations.add(Objects.requireNonNull(record, "record"));
      return this;
    }

    public Builder validationGate(ValidationGate gate) {
      this.validationGate = Objects.requireNonNull(gate, "validationGate");
      return this;
    }

    public Builder card(SystemCard card) {
      this.card = Objects.requireNonNull(card, "card");
      return this;
    }

    /** Switches model change control off: any model may be called. */
    public Builder anyModel() {
      this.anyModel = true;
      return this;
    }

    public Builder reviewCadence(Duration reviewCadence) {
      this.reviewCadence = reviewCadence;
      return this;
    }

    public Builder onLogFailure(LogFailurePolicy onLogFailure) {
      this.onLogFailure = onLogFailure;
      return this;
    }

    /**
     * Builds the entry. The name defaults to the id; the log-failure policy defaults to REFUSE for
     * HIGH risk and CONTINUE otherwise.
     */
    public AiSystem build() {
      Objects.requireNonNull(riskTier, () -> "riskTier of AI system '" + id + "' must be set");
      LogFailurePolicy failure =
          onLogFailure != null
              ? onLogFailure
              : riskTier == RiskTier.HIGH ? LogFailurePolicy.REFUSE : LogFailurePolicy.CONTINUE;
      return new AiSystem(
          id,
          name != null ? name : id,
          Objects.requireNonNull(owner, () -> "owner of AI system '" + id + "' must be set"),
          Objects.requireNonNull(purpose, () -> "purpose of AI system '" + id + "' must be set"),
          riskTier,
          allowedModels,
          anyModel,
          reviewCadence,
          failure,
          artefacts.entrySet().stream().map(e -> new Artefact(e.getKey(), e.getValue())).toList(),
          validations,
          validationGate,
          card);
    }
  }
}
