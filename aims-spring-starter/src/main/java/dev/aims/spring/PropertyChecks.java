package dev.aims.spring;

import dev.aims.core.ModelRef;
import dev.aims.core.RiskTier;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.spring.AimsProperties.Boundary;
import dev.aims.spring.AimsProperties.Drift;
import dev.aims.spring.AimsProperties.SystemProperties;
import dev.aims.spring.AimsProperties.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.Errors;

/** Start-up checks of {@link AimsProperties}; every message starts with the property's full name. */
final class PropertyChecks {
  private PropertyChecks() {}

  static void check(AimsProperties p, Errors errors) {
    for (Map.Entry<String, SystemProperties> e : p.getSystems().entrySet()) {
      checkSystem(e.getKey(), e.getValue(), errors);
    }
    if (p.getMaxPayloadBytes() < 0) {
      reject(errors, "maxPayloadBytes", "aims.max-payload-bytes", "must not be negative, was " + p.getMaxPayloadBytes());
    }
    AimsProperties.Log log = p.getLog();
    if (log.getCheckpointEvery() < 0) {
      reject(errors, "log.checkpointEvery", "aims.log.checkpoint-every", "must not be negative");
    }
    positive(errors, "log.checkpointInterval", "aims.log.checkpoint-interval", log.getCheckpointInterval());
    positive(errors, "log.retention", "aims.log.retention", log.getRetention());
    if ((log.getSigningKey() == null) != (log.getPublicKey() == null)) {
      reject(errors, "log.signingKey", "aims.log.signing-key",
          "and aims.log.public-key go together: set both (PEM files from `aims keygen`) or neither");
    }
    if (log.getType() == AimsProperties.LogType.POSTGRES && !log.getTable().matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      reject(errors, "log.table", "aims.log.table", "'" + log.getTable() + "' is not a plain SQL identifier");
    }
    if (log.getType() == AimsProperties.LogType.POSTGRES && log.isPublishCheckpoints()
        && !log.getCheckpointsTable().matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      reject(errors, "log.checkpointsTable", "aims.log.checkpoints-table",
          "'" + log.getCheckpointsTable() + "' is not a plain SQL identifier");
    }
    if (log.getType() == AimsProperties.LogType.FILE && log.isPublishCheckpoints()) {
      Path dir = log.getDirectory().toAbsolutePath().normalize();
      Path file = log.checkpointsFileOrDefault().toAbsolutePath().normalize();
      if (file.startsWith(dir)) {
        reject(errors, "log.checkpointsFile", "aims.log.checkpoints-file", "must be outside aims.log.directory ("
            + dir + "), or cutting the log's tail could cut its anchors too; was " + file);
      } else if (log.getCheckpointsFile() != null && !Files.isDirectory(file.getParent())) {
        // an unmounted disk must not turn into a directory on the wrong one
        reject(errors, "log.checkpointsFile", "aims.log.checkpoints-file", "is in a directory that does not exist: "
            + file.getParent());
      }
    }
    AimsProperties.Oversight o = p.getOversight();
    blank(errors, "oversight.reviewerRole", "aims.oversight.reviewer-role", o.getReviewerRole());
    blank(errors, "oversight.adminRole", "aims.oversight.admin-role", o.getAdminRole());
    positive(errors, "oversight.defaultDeadline", "aims.oversight.default-deadline", o.getDefaultDeadline());
    positive(errors, "oversight.sweepEvery", "aims.oversight.sweep-every", o.getSweepEvery());
    if (o.getMinRationaleLength() < 0) {
      reject(errors, "oversight.minRationaleLength", "aims.oversight.min-rationale-length", "must not be negative");
    }
    if (o.getMaxRationaleBytes() < Math.max(1, o.getMinRationaleLength())) {
      reject(errors, "oversight.maxRationaleBytes", "aims.oversight.max-rationale-bytes",
          "must be at least aims.oversight.min-rationale-length");
    }
    if (o.getMaxRefusedAttemptsPerRequest() < 0) {
      reject(errors, "oversight.maxRefusedAttemptsPerRequest", "aims.oversight.max-refused-attempts-per-request",
          "must not be negative");
    }
    if (o.getReviewerRefusalsPerMinute() < 1) {
      reject(errors, "oversight.reviewerRefusalsPerMinute", "aims.oversight.reviewer-refusals-per-minute",
          "must be at least 1");
    }
  }

  private static void checkSystem(String id, SystemProperties s, Errors errors) {
    String field = "systems[" + id + "]";
    String prop = "aims.systems." + id;
    blank(errors, field + ".name", prop + ".name", s.getName());
    blank(errors, field + ".owner", prop + ".owner", s.getOwner());
    blank(errors, field + ".purpose", prop + ".purpose", s.getPurpose());
    if (s.getRiskTier() == null) {
      reject(errors, field + ".riskTier", prop + ".risk-tier", "is required: one of MINIMAL, LIMITED, HIGH");
    } else if (s.getRiskTier() == RiskTier.UNACCEPTABLE) {
      reject(errors, field + ".riskTier", prop + ".risk-tier",
          "UNACCEPTABLE practices are prohibited (EU AI Act Art. 5) and cannot be registered");
    }
    if (s.getAllowedModels().isEmpty() && !s.isAnyModel()) {
      reject(errors, field + ".allowedModels", prop + ".allowed-models",
          "is empty: list the models as provider:name:version, or set " + prop + ".any-model=true");
    }
    for (int i = 0; i < s.getAllowedModels().size(); i++) {
      String m = s.getAllowedModels().get(i);
      try {
        ModelRef.parse(m == null ? "" : m);
      } catch (IllegalArgumentException e) {
        reject(errors, field + ".allowedModels[" + i + "]", prop + ".allowed-models[" + i + "]", e.getMessage());
      }
    }
    positive(errors, field + ".reviewCadence", prop + ".review-cadence", s.getReviewCadence());
    for (int i = 0; i < s.getBoundaries().size(); i++) {
      checkBoundary(s.getBoundaries().get(i), field + ".boundaries[" + i + "]", prop + ".boundaries[" + i + "]", errors);
    }
    AimsProperties.Review r = s.getReview();
    for (int i = 0; i < r.getTiers().size(); i++) {
      Tier t = r.getTiers().get(i);
      String tf = field + ".review.tiers[" + i + "]";
      String tp = prop + ".review.tiers[" + i + "]";
      if (t.getRole() == null || t.getRole().isBlank()) {
        reject(errors, tf + ".role", tp + ".role", "is required: a reviewer tier without a role could be approved by anyone");
      }
      if (t.getDeadline() == null) {
        reject(errors, tf + ".deadline", tp + ".deadline", "is required (e.g. 4h)");
      } else {
        positive(errors, tf + ".deadline", tp + ".deadline", t.getDeadline());
      }
    }
    if (r.getApprovalsRequired() < 1 || r.getApprovalsRequired() > 10) {
      reject(errors, field + ".review.approvalsRequired", prop + ".review.approvals-required",
          "must be between 1 and 10, was " + r.getApprovalsRequired());
    }
    AimsProperties.Redaction red = s.getRedaction();
    if (!red.getHash().isEmpty() && (red.getHashKey() == null || red.getHashKey().length() < 16)) {
      reject(errors, field + ".redaction.hashKey", prop + ".redaction.hash-key",
          "is required with at least 16 characters when redaction.hash lists fields");
    }
    for (int i = 0; i < s.getMonitoring().getDrift().size(); i++) {
      Drift d = s.getMonitoring().getDrift().get(i);
      String df = field + ".monitoring.drift[" + i + "]";
      String dp = prop + ".monitoring.drift[" + i + "]";
      blank(errors, df + ".feature", dp + ".feature", d.getFeature());
      if (d.getMinSamples() < 1) {
        reject(errors, df + ".minSamples", dp + ".min-samples", "must be at least 1, was " + d.getMinSamples());
      } else if (d.getWindow() < d.getMinSamples()) {
        // a smaller window never holds enough values: its gauges would stay NaN forever
        reject(errors, df + ".window", dp + ".window", "must be at least " + dp + ".min-samples (" + d.getMinSamples()
            + ") decisions, was " + d.getWindow() + ": a smaller window would never have a drift figure");
      } else if (d.getWindow() > Window.EXACT_LIMIT
          && Window.lastDecisions(d.getWindow()).fewestHeldOnceFull() < d.getMinSamples()) {
        reject(errors, df + ".window", dp + ".window", "holds " + Window.lastDecisions(d.getWindow()).fewestHeldOnceFull()
            + " values just after it moves a slice, fewer than " + dp + ".min-samples (" + d.getMinSamples() + ")");
      }
      if (d.getReference().isEmpty()
          && (d.getReferenceFirstDecisions() < 10 || d.getReferenceFirstDecisions() > Reference.MAX_FIRST_DECISIONS)) {
        reject(errors, df + ".referenceFirstDecisions", dp + ".reference-first-decisions",
            "must be between 10 and " + Reference.MAX_FIRST_DECISIONS + " decisions, was " + d.getReferenceFirstDecisions());
      }
      if (d.getType() == AimsProperties.FeatureType.NUMERIC) {
        for (int j = 0; j < d.getReference().size(); j++) {
          try {
            Double.parseDouble(d.getReference().get(j));
          } catch (NumberFormatException ex) {
            reject(errors, df + ".reference[" + j + "]", dp + ".reference[" + j + "]",
                "'" + d.getReference().get(j) + "' is not a number (type is NUMERIC)");
          }
        }
      }
      if (!(d.getPsiAlarm() > 0)) {
        reject(errors, df + ".psiAlarm", dp + ".psi-alarm", "must be positive");
      }
    }
    AimsProperties.Fairness f = s.getMonitoring().getFairness();
    if (f != null) {
      String ff = field + ".monitoring.fairness";
      String fp = prop + ".monitoring.fairness";
      blank(errors, ff + ".attribute", fp + ".attribute", f.getAttribute());
      blank(errors, ff + ".favourableField", fp + ".favourable-field", f.getFavourableField());
      if (f.getGroups().size() < 2) {
        reject(errors, ff + ".groups", fp + ".groups", "needs at least two groups to compare");
      }
      if (f.getMinGroupSize() < 1) {
        reject(errors, ff + ".minGroupSize", fp + ".min-group-size", "must be at least 1, was " + f.getMinGroupSize());
      } else if (f.getWindow() < f.getMinGroupSize()) {
        reject(errors, ff + ".window", fp + ".window", "must be at least " + fp + ".min-group-size ("
            + f.getMinGroupSize() + ") decisions, was " + f.getWindow() + ": no group would ever have a figure");
      }
      if (!(f.getDisparateImpactAlarm() > 0 && f.getDisparateImpactAlarm() <= 1)) {
        reject(errors, ff + ".disparateImpactAlarm", fp + ".disparate-impact-alarm", "must be in (0, 1]");
      }
    }
    positive(errors, field + ".monitoring.evaluationInterval", prop + ".monitoring.evaluation-interval",
        s.getMonitoring().getEvaluationInterval());
    FleetMonitoringProperties fleet = s.getMonitoring().getFleet();
    if (!fleet.isEnabled() && fleet.getAlarms() == dev.aims.core.monitor.FleetConfig.AlarmScope.FLEET) {
      // a fleet alarm without fleet figures would silently stay an instance alarm
      reject(errors, field + ".monitoring.fleet.alarms", prop + ".monitoring.fleet.alarms",
          "fleet needs " + prop + ".monitoring.fleet.enabled=true");
    }
    if (fleet.isEnabled()) {
      Duration interval = s.getMonitoring().getEvaluationInterval() == null
          ? dev.aims.core.monitor.MonitorConfig.DEFAULT_EVALUATION_INTERVAL : s.getMonitoring().getEvaluationInterval();
      if (fleet.getStaleAfter() == null || fleet.getStaleAfter().compareTo(interval) <= 0) {
        // every instance publishes once per interval: a shorter limit would drop live instances
        reject(errors, field + ".monitoring.fleet.staleAfter", prop + ".monitoring.fleet.stale-after",
            "must be longer than " + prop + ".monitoring.evaluation-interval (" + interval + "), was "
                + fleet.getStaleAfter());
      }
      if (fleet.getInstance() != null && (fleet.getInstance().isBlank()
          || fleet.getInstance().length() > dev.aims.core.monitor.FleetConfig.MAX_INSTANCE_LENGTH)) {
        reject(errors, field + ".monitoring.fleet.instance", prop + ".monitoring.fleet.instance",
            "must be 1 to " + dev.aims.core.monitor.FleetConfig.MAX_INSTANCE_LENGTH + " characters, not blank");
      }
    }
  }

  private static void checkBoundary(Boundary b, String field, String prop, Errors errors) {
    blank(errors, field + ".id", prop + ".id", b.getId());
    if (b.getType() == null) {
      reject(errors, field + ".type", prop + ".type",
          "is required: one of FEATURE_THRESHOLD, OUTPUT_THRESHOLD, CONFIDENCE_FLOOR, RISK_TIER");
      return;
    }
    if (b.getVerdict() == dev.aims.core.Verdict.ALLOW) {
      reject(errors, field + ".verdict", prop + ".verdict", "must be REVIEW or DENY: a boundary that allows does nothing");
    }
    switch (b.getType()) {
      case FEATURE_THRESHOLD -> {
        blank(errors, field + ".feature", prop + ".feature", b.getFeature());
        oneLimit(b, field, prop, errors);
      }
      case OUTPUT_THRESHOLD -> {
        blank(errors, field + ".field", prop + ".field", b.getField());
        oneLimit(b, field, prop, errors);
      }
      case CONFIDENCE_FLOOR -> {
        if (b.getBelow() == null || b.getBelow() < 0 || b.getBelow() > 1) {
          reject(errors, field + ".below", prop + ".below", "is required for CONFIDENCE_FLOOR: a confidence in [0, 1]");
        }
      }
      case RISK_TIER -> {
        if (b.getRiskTier() == null) {
          reject(errors, field + ".riskTier", prop + ".risk-tier", "is required for RISK_TIER");
        }
      }
    }
  }

  private static void oneLimit(Boundary b, String field, String prop, Errors errors) {
    if ((b.getAbove() == null) == (b.getBelow() == null)) {
      reject(errors, field + ".above", prop + ".above", "set exactly one of above or below");
    } else {
      Double limit = b.getAbove() != null ? b.getAbove() : b.getBelow();
      if (limit == null || !Double.isFinite(limit)) {
        reject(errors, field + ".above", prop + ".above", "the limit must be a finite number");
      }
    }
  }

  private static void blank(Errors errors, String field, String prop, @Nullable String value) {
    if (value == null || value.isBlank()) {
      reject(errors, field, prop, "is required and must not be blank");
    }
  }

  private static void positive(Errors errors, String field, String prop, @Nullable Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      reject(errors, field, prop, "must be positive, was " + d);
    }
  }

  private static void reject(Errors errors, String field, String prop, String message) {
    errors.rejectValue(field, "aims.invalid", prop + " " + message);
  }
}
