package dev.aims.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.AiSystem;
import dev.aims.core.ModelRef;
import dev.aims.core.Redactor;
import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.FairnessConfig;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.core.policy.ConfidenceFloor;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.policy.RiskTierGate;
import dev.aims.logging.redact.PersonalDataRedactor;
import dev.aims.oversight.ReviewPolicy;
import dev.aims.spring.AimsProperties.Boundary;
import dev.aims.spring.AimsProperties.Drift;
import dev.aims.spring.AimsProperties.Fairness;
import dev.aims.spring.AimsProperties.SystemProperties;
import dev.aims.spring.AimsProperties.Tier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Turns validated {@link AimsProperties} into AIMS's own values. */
final class PropertiesTranslator {
  /** Reads output fields and converts reviewers' overrides; shared by the starter. */
  static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private PropertiesTranslator() {}

  static AiSystem system(String id, SystemProperties s) {
    AiSystem.Builder b = AiSystem.builder(id)
        .name(Objects.requireNonNull(s.getName()))
        .owner(Objects.requireNonNull(s.getOwner()))
        .purpose(Objects.requireNonNull(s.getPurpose()))
        .riskTier(Objects.requireNonNull(s.getRiskTier()));
    for (String m : s.getAllowedModels()) {
      b.allowModel(ModelRef.parse(m));
    }
    if (s.isAnyModel()) {
      b.anyModel();
    }
    if (s.getReviewCadence() != null) {
      b.reviewCadence(s.getReviewCadence());
    }
    if (s.getOnLogFailure() != null) {
      b.onLogFailure(s.getOnLogFailure());
    }
    return b.build();
  }

  static @Nullable DecisionPolicy policy(SystemProperties s) {
    if (s.getBoundaries().isEmpty()) {
      return null;
    }
    List<DecisionBoundary> boundaries = new ArrayList<>();
    for (Boundary b : s.getBoundaries()) {
      boundaries.add(boundary(b));
    }
    return new DecisionPolicy(s.getPolicyVersion(), boundaries);
  }

  private static DecisionBoundary boundary(Boundary b) {
    String id = Objects.requireNonNull(b.getId());
    return switch (Objects.requireNonNull(b.getType())) {
      case FEATURE_THRESHOLD -> limit(NumericThreshold.onFeature(id, Objects.requireNonNull(b.getFeature()))
          .version(b.getVersion()), b);
      case OUTPUT_THRESHOLD -> {
        String field = Objects.requireNonNull(b.getField());
        yield limit(NumericThreshold.onOutput(id, Object.class, out -> number(out, field)).version(b.getVersion()), b);
      }
      case CONFIDENCE_FLOOR -> ConfidenceFloor.of(id, b.getVersion(), Objects.requireNonNull(b.getBelow()), b.getVerdict());
      case RISK_TIER -> RiskTierGate.atOrAbove(Objects.requireNonNull(b.getRiskTier()), b.getVerdict());
    };
  }

  private static NumericThreshold limit(NumericThreshold.Builder builder, Boundary b) {
    return b.getAbove() != null ? builder.above(b.getAbove(), b.getVerdict()) : builder.below(
        Objects.requireNonNull(b.getBelow()), b.getVerdict());
  }

  /** A field of an output object read as JSON: a property name or a JSON pointer. NaN when absent or not a number. */
  static double number(@Nullable Object output, String field) {
    JsonNode node = field(output, field);
    if (node == null) {
      return Double.NaN;
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.textValue());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  static @Nullable JsonNode field(@Nullable Object output, String field) {
    if (output == null) {
      return null;
    }
    JsonNode tree = output instanceof JsonNode j ? j : MAPPER.valueToTree(output);
    JsonNode node = field.startsWith("/") ? tree.at(field) : tree.get(field);
    return node == null || node.isMissingNode() || node.isNull() ? null : node;
  }

  static Redactor redactor(SystemProperties s) {
    AimsProperties.Redaction r = s.getRedaction();
    PersonalDataRedactor.Builder b = PersonalDataRedactor.builder();
    r.getMask().forEach(b::mask);
    r.getDrop().forEach(b::drop);
    if (!r.getHash().isEmpty()) {
      byte[] key = Objects.requireNonNull(r.getHashKey()).getBytes(StandardCharsets.UTF_8);
      r.getHash().forEach(path -> b.keyedHash(path, key));
    }
    if (r.isPersonalData()) {
      b.withDefaultDetectors();
    }
    return b.build();
  }

  static boolean hasRedaction(SystemProperties s) {
    AimsProperties.Redaction r = s.getRedaction();
    return r.isPersonalData() || !r.getMask().isEmpty() || !r.getDrop().isEmpty() || !r.getHash().isEmpty();
  }

  static ReviewPolicy review(SystemProperties s, AimsProperties.Oversight defaults) {
    List<Tier> tiers = s.getReview().getTiers();
    ReviewPolicy policy;
    if (tiers.isEmpty()) {
      policy = ReviewPolicy.of(defaults.getReviewerRole(), defaults.getDefaultDeadline());
    } else {
      policy = ReviewPolicy.of(Objects.requireNonNull(tiers.get(0).getRole()), Objects.requireNonNull(tiers.get(0).getDeadline()));
      for (Tier t : tiers.subList(1, tiers.size())) {
        policy = policy.thenEscalateTo(Objects.requireNonNull(t.getRole()), Objects.requireNonNull(t.getDeadline()));
      }
    }
    return policy.requiring(s.getReview().getApprovalsRequired());
  }

  static @Nullable MonitorConfig monitor(SystemProperties s) {
    return monitor(s, null);
  }

  /** @param fleet fleet monitoring, when {@code monitoring.fleet.enabled} */
  static @Nullable MonitorConfig monitor(SystemProperties s, dev.aims.core.monitor.@Nullable FleetConfig fleet) {
    AimsProperties.Monitoring m = s.getMonitoring();
    if (m.getDrift().isEmpty() && m.getFairness() == null) {
      return null;
    }
    MonitorConfig.Builder b = MonitorConfig.builder();
    List<DriftFeature> features = new ArrayList<>();
    for (Drift d : m.getDrift()) {
      features.add(drift(d));
    }
    if (!features.isEmpty()) {
      b.drift(features.toArray(DriftFeature[]::new));
    }
    if (m.getFairness() != null) {
      b.fairness(fairness(m.getFairness()));
    }
    b.reviewOnDrift(m.isReviewOnDrift());
    if (m.getEvaluationInterval() != null) {
      b.evaluationInterval(m.getEvaluationInterval());
    }
    if (fleet != null) {
      b.fleet(fleet);
    }
    return b.build();
  }

  private static DriftFeature drift(Drift d) {
    String name = Objects.requireNonNull(d.getFeature());
    DriftFeature f;
    if (d.getType() == AimsProperties.FeatureType.NUMERIC) {
      Reference ref = d.getReference().isEmpty()
          ? Reference.firstDecisions(d.getReferenceFirstDecisions())
          : Reference.of(d.getReference().stream().mapToDouble(Double::parseDouble).toArray());
      f = DriftFeature.numeric(name, ref);
    } else {
      Reference ref = d.getReference().isEmpty()
          ? Reference.firstDecisions(d.getReferenceFirstDecisions())
          : Reference.ofCategories(d.getReference());
      f = DriftFeature.categorical(name, ref);
    }
    return f.window(Window.lastDecisions(d.getWindow())).minSamples(d.getMinSamples())
        .alarmOn(DriftStatistic.PSI, d.getPsiAlarm());
  }

  private static FairnessConfig fairness(Fairness f) {
    String field = Objects.requireNonNull(f.getFavourableField());
    Set<String> favourable = f.getFavourableValues().stream().map(String::trim).collect(Collectors.toSet());
    return FairnessConfig.of(Objects.requireNonNull(f.getAttribute()), f.getGroups(), Object.class, out -> {
          JsonNode node = field(out, field);
          return node != null && favourable.contains(node.asText());
        })
        .disparateImpactAlarm(f.getDisparateImpactAlarm())
        .minGroupSize(f.getMinGroupSize())
        .window(Window.lastDecisions(f.getWindow()));
  }
}
