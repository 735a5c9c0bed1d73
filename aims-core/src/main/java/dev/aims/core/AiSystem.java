package dev.aims.core;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
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
    LogFailurePolicy onLogFailure) {

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
    return b;
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
          failure);
    }
  }
}
