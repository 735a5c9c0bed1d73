package dev.aims.core.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What is monitored for one AI system, given to {@code Aims.builder().monitor(systemId, config)}.
 *
 * <pre>{@code
 * MonitorConfig.builder()
 *     .drift(DriftFeature.numeric("income", Reference.of(trainingIncomes)))
 *     .drift(DriftFeature.numericOutput("score", Score.class, Score::value, Reference.firstDecisions(1000)))
 *     .fairness(FairnessConfig.of("age_band", bands, Score.class, s -> s.value() >= 0.5))
 *     .build();
 * }</pre>
 *
 * @param drift the monitored distributions; names are unique
 * @param fairness fairness monitoring, if any
 * @param reviewOnDrift whether a drift alarm turns ALLOW into REVIEW for the system (default true)
 * @param evaluationInterval how often statistics are recomputed at most (default 10 s); gauges
 *     read the last figures, so scraping costs nothing
 * @param fleet fleet-wide figures and labels through a shared store, if any
 */
public record MonitorConfig(
    List<DriftFeature> drift, @Nullable FairnessConfig fairness, boolean reviewOnDrift, Duration evaluationInterval,
    @Nullable FleetConfig fleet) {

  public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofSeconds(10);

  public MonitorConfig {
    drift = List.copyOf(Objects.requireNonNull(drift, "drift"));
    Set<String> names = new HashSet<>();
    for (DriftFeature f : drift) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("drift feature '" + f.name() + "' is configured twice");
      }
      f.requireFiguresPossible();
    }
    if (fairness != null) {
      fairness.requireFiguresPossible();
    }
    if (drift.isEmpty() && fairness == null) {
      throw new IllegalArgumentException("a monitor needs at least one drift feature or a fairness configuration");
    }
    Objects.requireNonNull(evaluationInterval, "evaluationInterval");
    if (evaluationInterval.isNegative() || evaluationInterval.isZero()) {
      throw new IllegalArgumentException("evaluationInterval must be positive but was " + evaluationInterval);
    }
    if (fleet != null && fleet.staleAfter().compareTo(evaluationInterval) <= 0) {
      throw new IllegalArgumentException("fleet staleAfter (" + fleet.staleAfter() + ") must be longer than"
          + " evaluationInterval (" + evaluationInterval + "): every instance publishes once per interval, so a"
          + " shorter limit would leave live instances out of the fleet figures");
    }
  }

  /** The same configuration without fleet monitoring. */
  public MonitorConfig(List<DriftFeature> drift, @Nullable FairnessConfig fairness, boolean reviewOnDrift,
      Duration evaluationInterval) {
    this(drift, fairness, reviewOnDrift, evaluationInterval, null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MonitorConfig}; single-valued settings may be given once. */
  public static final class Builder {
    private final List<DriftFeature> drift = new ArrayList<>();
    private @Nullable FairnessConfig fairness;
    private @Nullable Boolean reviewOnDrift;
    private @Nullable Duration evaluationInterval;
    private @Nullable FleetConfig fleet;

    private Builder() {}

    /** Fleet-wide figures and labels through a shared store (docs/monitoring.md, "Fleet"). */
    public Builder fleet(FleetConfig fleet) {
      Objects.requireNonNull(fleet, "fleet must not be null");
      if (this.fleet != null) {
        throw new IllegalStateException("fleet was already set");
      }
      this.fleet = fleet;
      return this;
    }

    public Builder drift(DriftFeature... features) {
      for (DriftFeature f : Objects.requireNonNull(features, "features")) {
        Objects.requireNonNull(f, "drift feature must not be null");
        for (DriftFeature existing : drift) {
          if (existing.name().equals(f.name())) {
            throw new IllegalArgumentException("drift feature '" + f.name() + "' is configured twice");
          }
        }
        drift.add(f);
      }
      return this;
    }

    public Builder fairness(FairnessConfig fairness) {
      Objects.requireNonNull(fairness, "fairness must not be null");
      if (this.fairness != null) {
        throw new IllegalStateException("fairness was already set");
      }
      this.fairness = fairness;
      return this;
    }

    /** Whether a drift alarm turns ALLOW into REVIEW for the system (default true). */
    public Builder reviewOnDrift(boolean reviewOnDrift) {
      if (this.reviewOnDrift != null) {
        throw new IllegalStateException("reviewOnDrift was already set");
      }
      this.reviewOnDrift = reviewOnDrift;
      return this;
    }

    public Builder evaluationInterval(Duration interval) {
      Objects.requireNonNull(interval, "evaluationInterval must not be null");
      if (this.evaluationInterval != null) {
        throw new IllegalStateException("evaluationInterval was already set");
      }
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("evaluationInterval must be positive but was " + interval);
      }
      this.evaluationInterval = interval;
      return this;
    }

    public MonitorConfig build() {
      return new MonitorConfig(drift, fairness, reviewOnDrift == null || reviewOnDrift,
          evaluationInterval == null ? DEFAULT_EVALUATION_INTERVAL : evaluationInterval, fleet);
    }
  }
}
