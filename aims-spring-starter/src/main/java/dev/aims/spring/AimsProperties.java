package dev.aims.spring;

import dev.aims.core.LogFailurePolicy;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.logging.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Everything AIMS reads from {@code application.yml}, under the prefix {@code aims}. Binding
 * validates itself ({@link #validate}): a bad value stops start-up with the property's full name
 * in the message. Any bean of an AIMS type that the application defines wins over what these
 * properties would build.
 */
@ConfigurationProperties("aims")
public class AimsProperties implements Validator {

  /** Whether AIMS is configured at all. */
  private boolean enabled = true;

  /** The AI system register, keyed by system id. */
  private Map<String, SystemProperties> systems = new LinkedHashMap<>();

  /** A JSON register file (the format of {@code AiRegister.readJson}), read in addition to {@code aims.systems}. */
  private @Nullable Path registerFile;

  /** Largest input or output payload recorded in full, in bytes of canonical JSON (0 = the core default). */
  private int maxPayloadBytes;

  /** Put redacted inputs and outputs on OpenTelemetry spans (off: content stays in the decision log). */
  private boolean captureContentOnSpans;

  /** Record protected attribute values in the decision log (off: only fairness metrics see them). */
  private boolean logProtectedAttributes;

  private final Log log = new Log();
  private final Oversight oversight = new Oversight();
  private final Web web = new Web();
  private final Ai ai = new Ai();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, SystemProperties> getSystems() {
    return systems;
  }

  public void setSystems(Map<String, SystemProperties> systems) {
    this.systems = systems;
  }

  public @Nullable Path getRegisterFile() {
    return registerFile;
  }

  public void setRegisterFile(@Nullable Path registerFile) {
    this.registerFile = registerFile;
  }

  public int getMaxPayloadBytes() {
    return maxPayloadBytes;
  }

  public void setMaxPayloadBytes(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public boolean isCaptureContentOnSpans() {
    return captureContentOnSpans;
  }

  public void setCaptureContentOnSpans(boolean captureContentOnSpans) {
    this.captureContentOnSpans = captureContentOnSpans;
  }

  public boolean isLogProtectedAttributes() {
    return logProtectedAttributes;
  }

  public void setLogProtectedAttributes(boolean logProtectedAttributes) {
    this.logProtectedAttributes = logProtectedAttributes;
  }

  public Log getLog() {
    return log;
  }

  public Oversight getOversight() {
    return oversight;
  }

  public Web getWeb() {
    return web;
  }

  public Ai getAi() {
    return ai;
  }

  /** One registered AI system ({@code aims.systems.<id>}). */
  public static class SystemProperties {
    /** Human-readable name. */
    private @Nullable String name;
    /** Accountable owner (team or person). */
    private @Nullable String owner;
    /** Intended purpose, as registered. */
    private @Nullable String purpose;
    /** EU AI Act risk tier: MINIMAL, LIMITED or HIGH (UNACCEPTABLE cannot be registered). */
    private @Nullable RiskTier riskTier;
    /** Models the system may use, each as {@code provider:name:version}. */
    private List<String> allowedModels = new ArrayList<>();
    /** Switch model change control off: any model may be used. */
    private boolean anyModel;
    /** How often the system's registration is reviewed (default: yearly). */
    private @Nullable Duration reviewCadence;
    /** What a call does when the decision log cannot be written (default: REFUSE for HIGH risk, COUNT otherwise). */
    private @Nullable LogFailurePolicy onLogFailure;
    /** Version of the decision policy built from {@code boundaries}. */
    private String policyVersion = "1";
    /** Decision boundaries evaluated on every call. */
    private List<Boundary> boundaries = new ArrayList<>();
    private final Redaction redaction = new Redaction();
    private final Review review = new Review();
    private final Monitoring monitoring = new Monitoring();

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public @Nullable String getOwner() {
      return owner;
    }

    public void setOwner(@Nullable String owner) {
      this.owner = owner;
    }

    public @Nullable String getPurpose() {
      return purpose;
    }

    public void setPurpose(@Nullable String purpose) {
      this.purpose = purpose;
    }

    public @Nullable RiskTier getRiskTier() {
      return riskTier;
    }

    public void setRiskTier(@Nullable RiskTier riskTier) {
      this.riskTier = riskTier;
    }

    public List<String> getAllowedModels() {
      return allowedModels;
    }

    public void setAllowedModels(List<String> allowedModels) {
      this.allowedModels = allowedModels;
    }

    public boolean isAnyModel() {
      return anyModel;
    }

    public void setAnyModel(boolean anyModel) {
      this.anyModel = anyModel;
    }

    public @Nullable Duration getReviewCadence() {
      return reviewCadence;
    }

    public void setReviewCadence(@Nullable Duration reviewCadence) {
      this.reviewCadence = reviewCadence;
    }

    public @Nullable LogFailurePolicy getOnLogFailure() {
      return onLogFailure;
    }

    public void setOnLogFailure(@Nullable LogFailurePolicy onLogFailure) {
      this.onLogFailure = onLogFailure;
    }

    public String getPolicyVersion() {
      return policyVersion;
    }

    public void setPolicyVersion(String policyVersion) {
      this.policyVersion = policyVersion;
    }

    public List<Boundary> getBoundaries() {
      return boundaries;
    }

    public void setBoundaries(List<Boundary> boundaries) {
      this.boundaries = boundaries;
    }

    public Redaction getRedaction() {
      return redaction;
    }

    public Review getReview() {
      return review;
    }

    public Monitoring getMonitoring() {
      return monitoring;
    }
  }

  /** What a boundary checks. */
  public enum BoundaryType {
    /** A numeric input feature against {@code above} or {@code below}. */
    FEATURE_THRESHOLD,
    /** A numeric field of the output (read as a JSON property) against {@code above} or {@code below}. */
    OUTPUT_THRESHOLD,
    /** The model's confidence below {@code below}. */
    CONFIDENCE_FLOOR,
    /** Every call of a system at or above {@code risk-tier}. */
    RISK_TIER
  }

  /** One decision boundary ({@code aims.systems.<id>.boundaries[n]}). */
  public static class Boundary {
    /** Boundary id, recorded with every ruling. */
    private @Nullable String id;
    /** Boundary version, recorded with every ruling. */
    private String version = "1";
    private @Nullable BoundaryType type;
    /** Input feature name (FEATURE_THRESHOLD). */
    private @Nullable String feature;
    /** Output field, a JSON property name or a JSON pointer such as {@code /terms/amount} (OUTPUT_THRESHOLD). */
    private @Nullable String field;
    /** The ruling applies when the value is above this. */
    private @Nullable Double above;
    /** The ruling applies when the value is below this. */
    private @Nullable Double below;
    /** RISK_TIER: the lowest tier the ruling applies to. */
    private @Nullable RiskTier riskTier;
    /** The ruling: REVIEW (default) or DENY. */
    private Verdict verdict = Verdict.REVIEW;

    public @Nullable String getId() {
      return id;
    }

    public void setId(@Nullable String id) {
      this.id = id;
    }

    public String getVersion() {
      return version;
    }

    public void setVersion(String version) {
      this.version = version;
    }

    public @Nullable BoundaryType getType() {
      return type;
    }

    public void setType(@Nullable BoundaryType type) {
      this.type = type;
    }

    public @Nullable String getFeature() {
      return feature;
    }

    public void setFeature(@Nullable String feature) {
      this.feature = feature;
    }

    public @Nullable String getField() {
      return field;
    }

    public void setField(@Nullable String field) {
      this.field = field;
    }

    public @Nullable Double getAbove() {
      return above;
    }

    public void setAbove(@Nullable Double above) {
      this.above = above;
    }

    public @Nullable Double getBelow() {
      return below;
    }

    public void setBelow(@Nullable Double below) {
      this.below = below;
    }

    public @Nullable RiskTier getRiskTier() {
      return riskTier;
    }

    public void setRiskTier(@Nullable RiskTier riskTier) {
      this.riskTier = riskTier;
    }

    public Verdict getVerdict() {
      return verdict;
    }

    public void setVerdict(Verdict verdict) {
      this.verdict = verdict;
    }
  }

  /** Redaction rules of one system ({@code aims.systems.<id>.redaction}). */
  public static class Redaction {
    /** Field paths (e.g. {@code input.name}) replaced by a mask. */
    private List<String> mask = new ArrayList<>();
    /** Field paths removed. */
    private List<String> drop = new ArrayList<>();
    /** Field paths replaced by HMAC-SHA-256 with {@code hash-key}, so records can still be joined. */
    private List<String> hash = new ArrayList<>();
    /** Key for {@code hash} rules; read from the environment or a secret store, at least 16 bytes. */
    private @Nullable String hashKey;
    /** Scan free text for personal data (e-mail, phone, card, IBAN, IP addresses) and mask it. */
    private boolean personalData = true;

    public List<String> getMask() {
      return mask;
    }

    public void setMask(List<String> mask) {
      this.mask = mask;
    }

    public List<String> getDrop() {
      return drop;
    }

    public void setDrop(List<String> drop) {
      this.drop = drop;
    }

    public List<String> getHash() {
      return hash;
    }

    public void setHash(List<String> hash) {
      this.hash = hash;
    }

    public @Nullable String getHashKey() {
      return hashKey;
    }

    public void setHashKey(@Nullable String hashKey) {
      this.hashKey = hashKey;
    }

    public boolean isPersonalData() {
      return personalData;
    }

    public void setPersonalData(boolean personalData) {
      this.personalData = personalData;
    }
  }

  /** Human review of one system ({@code aims.systems.<id>.review}). */
  public static class Review {
    /** The escalation chain: the first tier reviews, later tiers take over at each deadline; after the last, deny. */
    private List<Tier> tiers = new ArrayList<>();
    /** Distinct approvers needed (2 = the two-person rule). */
    private int approvalsRequired = 1;

    public List<Tier> getTiers() {
      return tiers;
    }

    public void setTiers(List<Tier> tiers) {
      this.tiers = tiers;
    }

    public int getApprovalsRequired() {
      return approvalsRequired;
    }

    public void setApprovalsRequired(int approvalsRequired) {
      this.approvalsRequired = approvalsRequired;
    }
  }

  /** One reviewer tier. */
  public static class Tier {
    /** The role a reviewer of this tier holds. */
    private @Nullable String role;
    /** How long this tier has before the request moves on. */
    private @Nullable Duration deadline;

    public @Nullable String getRole() {
      return role;
    }

    public void setRole(@Nullable String role) {
      this.role = role;
    }

    public @Nullable Duration getDeadline() {
      return deadline;
    }

    public void setDeadline(@Nullable Duration deadline) {
      this.deadline = deadline;
    }
  }

  /** Drift and fairness monitoring of one system ({@code aims.systems.<id>.monitoring}). */
  public static class Monitoring {
    /** Features watched for drift. */
    private List<Drift> drift = new ArrayList<>();
    /** Fairness across the groups of one protected attribute. */
    private @Nullable Fairness fairness;
    /** Send decisions to REVIEW while a drift alarm is raised. */
    private boolean reviewOnDrift;
    /** How often statistics are recomputed. */
    private @Nullable Duration evaluationInterval;
    /** Fleet-wide figures and labels through PostgreSQL. */
    private FleetMonitoringProperties fleet = new FleetMonitoringProperties();

    public FleetMonitoringProperties getFleet() {
      return fleet;
    }

    public void setFleet(FleetMonitoringProperties fleet) {
      this.fleet = fleet;
    }

    public List<Drift> getDrift() {
      return drift;
    }

    public void setDrift(List<Drift> drift) {
      this.drift = drift;
    }

    public @Nullable Fairness getFairness() {
      return fairness;
    }

    public void setFairness(@Nullable Fairness fairness) {
      this.fairness = fairness;
    }

    public boolean isReviewOnDrift() {
      return reviewOnDrift;
    }

    public void setReviewOnDrift(boolean reviewOnDrift) {
      this.reviewOnDrift = reviewOnDrift;
    }

    public @Nullable Duration getEvaluationInterval() {
      return evaluationInterval;
    }

    public void setEvaluationInterval(@Nullable Duration evaluationInterval) {
      this.evaluationInterval = evaluationInterval;
    }
  }

  /** Whether a drift feature is numeric or categorical. */
  public enum FeatureType {
    NUMERIC,
    CATEGORICAL
  }

  /** One drift-monitored feature. */
  public static class Drift {
    /** Input feature name. */
    private @Nullable String feature;
    private FeatureType type = FeatureType.NUMERIC;
    /** Reference values (numeric) or categories; empty: the first {@code reference-first-decisions} decisions. */
    private List<String> reference = new ArrayList<>();
    /** Size of the reference taken from the first decisions, when no values are given. */
    private int referenceFirstDecisions = 1000;
    /** Window of recent decisions compared with the reference; at least {@code min-samples}. */
    private int window = 1000;
    /** The fewest current values a drift figure is computed from; the window must hold at least as many. */
    private int minSamples = 30;
    /** Alarm threshold on the population stability index. */
    private double psiAlarm = 0.2;

    public @Nullable String getFeature() {
      return feature;
    }

    public void setFeature(@Nullable String feature) {
      this.feature = feature;
    }

    public FeatureType getType() {
      return type;
    }

    public void setType(FeatureType type) {
      this.type = type;
    }

    public List<String> getReference() {
      return reference;
    }

    public void setReference(List<String> reference) {
      this.reference = reference;
    }

    public int getReferenceFirstDecisions() {
      return referenceFirstDecisions;
    }

    public void setReferenceFirstDecisions(int referenceFirstDecisions) {
      this.referenceFirstDecisions = referenceFirstDecisions;
    }

    public int getWindow() {
      return window;
    }

    public void setWindow(int window) {
      this.window = window;
    }

    public int getMinSamples() {
      return minSamples;
    }

    public void setMinSamples(int minSamples) {
      this.minSamples = minSamples;
    }

    public double getPsiAlarm() {
      return psiAlarm;
    }

    public void setPsiAlarm(double psiAlarm) {
      this.psiAlarm = psiAlarm;
    }
  }

  /** Fairness of one protected attribute. */
  public static class Fairness {
    /** Protected attribute name (as passed to {@code protectedAttribute}). */
    private @Nullable String attribute;
    /** Its monitored values. */
    private List<String> groups = new ArrayList<>();
    /** Output field (JSON property or pointer) whose value says whether the outcome is favourable. */
    private @Nullable String favourableField;
    /** Values of that field that count as favourable (e.g. {@code true}, {@code APPROVED}). */
    private List<String> favourableValues = new ArrayList<>(List.of("true"));
    /** Alarm when a group's rate over the best group's is below this (the four-fifths rule). */
    private double disparateImpactAlarm = 0.8;
    /** Window of recent decisions; at least {@code min-group-size}. */
    private int window = 1000;
    /** The fewest decisions (or labels) in a group before its figures are reported. */
    private int minGroupSize = 30;

    public int getMinGroupSize() {
      return minGroupSize;
    }

    public void setMinGroupSize(int minGroupSize) {
      this.minGroupSize = minGroupSize;
    }

    public @Nullable String getAttribute() {
      return attribute;
    }

    public void setAttribute(@Nullable String attribute) {
      this.attribute = attribute;
    }

    public List<String> getGroups() {
      return groups;
    }

    public void setGroups(List<String> groups) {
      this.groups = groups;
    }

    public @Nullable String getFavourableField() {
      return favourableField;
    }

    public void setFavourableField(@Nullable String favourableField) {
      this.favourableField = favourableField;
    }

    public List<String> getFavourableValues() {
      return favourableValues;
    }

    public void setFavourableValues(List<String> favourableValues) {
      this.favourableValues = favourableValues;
    }

    public double getDisparateImpactAlarm() {
      return disparateImpactAlarm;
    }

    public void setDisparateImpactAlarm(double disparateImpactAlarm) {
      this.disparateImpactAlarm = disparateImpactAlarm;
    }

    public int getWindow() {
      return window;
    }

    public void setWindow(int window) {
      this.window = window;
    }
  }

  /** Where decisions are recorded. */
  public enum LogType {
    /** Hash-chained, signed JSON-lines files (the evidence, embedded default). */
    FILE,
    /** One chain per instance in a PostgreSQL table, through the application's DataSource. */
    POSTGRES,
    /** In memory only (tests, demos): not evidence. */
    MEMORY,
    /** Nothing is recorded. */
    NONE
  }

  /** The decision log ({@code aims.log}). */
  public static class Log {
    private LogType type = LogType.FILE;
    /** Directory of the file log. */
    private Path directory = Path.of("aims-data", "decisions");
    /** SYNC, GROUP (default) or ASYNC. */
    private Durability durability = Durability.GROUP;
    /** This instance's chain name (default: the host name). */
    private @Nullable String stream;
    /** PEM Ed25519 private key that signs checkpoints. */
    private @Nullable Path signingKey;
    /** The matching PEM public key. */
    private @Nullable Path publicKey;
    /** A checkpoint every this many records (0 = the log's default). */
    private int checkpointEvery;
    /** And at least this often, also when idle. */
    private @Nullable Duration checkpointInterval;
    /** How long segments are kept (at least six months by default). */
    private @Nullable Duration retention;
    /** PostgreSQL table of the POSTGRES log. */
    private String table = "aims_decisions";
    /** Also write each event as one JSON line to the SLF4J logger {@code aims.decisions} (a copy, not evidence). */
    private boolean slf4jCopy;
    /**
     * Publish every checkpoint to a second place, so that records cut off the end of the log are
     * detected (`aims verify --checkpoints`): for the FILE log to aims.log.checkpoints-file, for the
     * POSTGRES log to the table aims.log.checkpoints-table. On by default; false switches it off.
     */
    private boolean publishCheckpoints = true;
    /**
     * The published-checkpoints file of the FILE log; must be outside aims.log.directory (default:
     * beside it, named after it: aims-data/decisions.checkpoints.jsonl). Ideally on another disk.
     */
    private @Nullable Path checkpointsFile;
    /** The PostgreSQL table the POSTGRES log publishes its checkpoints to (created if missing). */
    private String checkpointsTable = "aims_checkpoints";

    public LogType getType() {
      return type;
    }

    public void setType(LogType type) {
      this.type = type;
    }

    public Path getDirectory() {
      return directory;
    }

    public void setDirectory(Path directory) {
      this.directory = directory;
    }

    public Durability getDurability() {
      return durability;
    }

    public void setDurability(Durability durability) {
      this.durability = durability;
    }

    public @Nullable String getStream() {
      return stream;
    }

    public void setStream(@Nullable String stream) {
      this.stream = stream;
    }

    public @Nullable Path getSigningKey() {
      return signingKey;
    }

    public void setSigningKey(@Nullable Path signingKey) {
      this.signingKey = signingKey;
    }

    public @Nullable Path getPublicKey() {
      return publicKey;
    }

    public void setPublicKey(@Nullable Path publicKey) {
      this.publicKey = publicKey;
    }

    public int getCheckpointEvery() {
      return checkpointEvery;
    }

    public void setCheckpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
    }

    public @Nullable Duration getCheckpointInterval() {
      return checkpointInterval;
    }

    public void setCheckpointInterval(@Nullable Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
    }

    public @Nullable Duration getRetention() {
      return retention;
    }

    public void setRetention(@Nullable Duration retention) {
      this.retention = retention;
    }

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }

    public boolean isSlf4jCopy() {
      return slf4jCopy;
    }

    public void setSlf4jCopy(boolean slf4jCopy) {
      this.slf4jCopy = slf4jCopy;
    }

    public boolean isPublishCheckpoints() {
      return publishCheckpoints;
    }

    public void setPublishCheckpoints(boolean publishCheckpoints) {
      this.publishCheckpoints = publishCheckpoints;
    }

    public @Nullable Path getCheckpointsFile() {
      return checkpointsFile;
    }

    public void setCheckpointsFile(@Nullable Path checkpointsFile) {
      this.checkpointsFile = checkpointsFile;
    }

    /** {@link #getCheckpointsFile()}, or the default beside the log directory. */
    public Path checkpointsFileOrDefault() {
      if (checkpointsFile != null) {
        return checkpointsFile;
      }
      Path dir = directory.toAbsolutePath().normalize();
      String name = dir.getFileName() == null ? "decisions" : dir.getFileName().toString();
      return directory.resolveSibling(name + ".checkpoints.jsonl");
    }

    public String getCheckpointsTable() {
      return checkpointsTable;
    }

    public void setCheckpointsTable(String checkpointsTable) {
      this.checkpointsTable = checkpointsTable;
    }
  }

  /** Where approval requests live. */
  public enum StoreType {
    /** Bounded, in this process (requests do not survive a restart). */
    MEMORY,
    /** Shared by every instance through the application's PostgreSQL DataSource. */
    POSTGRES
  }

  /** Human oversight ({@code aims.oversight}). */
  public static class Oversight {
    private StoreType store = StoreType.MEMORY;
    /** Role that reviews when a system names no tiers. */
    private String reviewerRole = "AIMS_REVIEWER";
    /** Role that may press the stop switch and resume. */
    private String adminRole = "AIMS_ADMIN";
    /** Deadline when a system names no tiers. */
    private Duration defaultDeadline = Duration.ofHours(24);
    /** Fewest letters or digits a rationale must have (whitespace, control and format characters do not count). */
    private int minRationaleLength = 10;
    /** Longest rationale accepted, in bytes of UTF-8. */
    private int maxRationaleBytes = 4096;
    /** Refused reviewer attempts stored per request (per instance); later ones are only counted and logged. */
    private int maxRefusedAttemptsPerRequest = 32;
    /** Refused attempts a reviewer may make per minute (per instance) before further actions answer 429. */
    private int reviewerRefusalsPerMinute = 30;
    /** Decisions made faster than this count as rubber stamps. */
    private @Nullable Duration rubberStampFloor;
    /** How often expired deadlines are swept. */
    private @Nullable Duration sweepEvery;

    public StoreType getStore() {
      return store;
    }

    public void setStore(StoreType store) {
      this.store = store;
    }

    public String getReviewerRole() {
      return reviewerRole;
    }

    public void setReviewerRole(String reviewerRole) {
      this.reviewerRole = reviewerRole;
    }

    public String getAdminRole() {
      return adminRole;
    }

    public void setAdminRole(String adminRole) {
      this.adminRole = adminRole;
    }

    public Duration getDefaultDeadline() {
      return defaultDeadline;
    }

    public void setDefaultDeadline(Duration defaultDeadline) {
      this.defaultDeadline = defaultDeadline;
    }

    public int getMinRationaleLength() {
      return minRationaleLength;
    }

    public int getMaxRationaleBytes() {
      return maxRationaleBytes;
    }

    public void setMaxRationaleBytes(int maxRationaleBytes) {
      this.maxRationaleBytes = maxRationaleBytes;
    }

    public int getMaxRefusedAttemptsPerRequest() {
      return maxRefusedAttemptsPerRequest;
    }

    public void setMaxRefusedAttemptsPerRequest(int maxRefusedAttemptsPerRequest) {
      this.maxRefusedAttemptsPerRequest = maxRefusedAttemptsPerRequest;
    }

    public int getReviewerRefusalsPerMinute() {
      return reviewerRefusalsPerMinute;
    }

    public void setReviewerRefusalsPerMinute(int reviewerRefusalsPerMinute) {
      this.reviewerRefusalsPerMinute = reviewerRefusalsPerMinute;
    }

    public void setMinRationaleLength(int minRationaleLength) {
      this.minRationaleLength = minRationaleLength;
    }

    public @Nullable Duration getRubberStampFloor() {
      return rubberStampFloor;
    }

    public void setRubberStampFloor(@Nullable Duration rubberStampFloor) {
      this.rubberStampFloor = rubberStampFloor;
    }

    public @Nullable Duration getSweepEvery() {
      return sweepEvery;
    }

    public void setSweepEvery(@Nullable Duration sweepEvery) {
      this.sweepEvery = sweepEvery;
    }

  }

  /** The approvals HTTP API and the reviewer console ({@code aims.web}). */
  public static class Web {
    /** Serve {@code /aims/approvals}, {@code /aims/systems/{id}/stop|resume} and the console. */
    private boolean enabled = true;
    /** Serve the reviewer console at {@code /aims/console}. */
    private boolean console = true;
    /** Answer AIMS exceptions that reach the application's controllers as problem details (403, 422, 503...). */
    private boolean problemDetails = true;

    public boolean isProblemDetails() {
      return problemDetails;
    }

    public void setProblemDetails(boolean problemDetails) {
      this.problemDetails = problemDetails;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isConsole() {
      return console;
    }

    public void setConsole(boolean console) {
      this.console = console;
    }
  }

  /**
   * The Spring AI advisor ({@code aims.ai}); read by {@code AimsSpringAiAutoConfiguration}, which
   * checks the values at start-up. Without {@code system}, no advisor is added to ChatClients (the
   * {@code AimsChatAdvisors} factory is still there).
   */
  public static class Ai {
    /** The registered AI system every ChatClient call is governed as. */
    private @Nullable String system;
    /** The use case recorded with each chat decision. */
    private String useCase = "chat";
    /** The requested model as provider:name:version (default: the system's only allowed model, or the prompt's). */
    private @Nullable String model;
    /** Provider name used for models the response metadata reports without one. */
    private @Nullable String provider;
    /** The advisor's order (default: inside the chat-memory advisors, outside tool calling). */
    private @Nullable Integer order;
    /** Keep Spring AI's own observation of the AIMS advisor (default false: AIMS's decision timer and span measure the same work). */
    private boolean advisorObservation;
    /**
     * Accept the aims.requester advisor parameter as the requester instead of the signed-in user
     * (default false: the parameter is request data, and a call carrying it fails).
     */
    private boolean trustRequesterParam;

    public boolean isTrustRequesterParam() {
      return trustRequesterParam;
    }

    public void setTrustRequesterParam(boolean trustRequesterParam) {
      this.trustRequesterParam = trustRequesterParam;
    }

    public @Nullable String getSystem() {
      return system;
    }

    public void setSystem(@Nullable String system) {
      this.system = system;
    }

    public String getUseCase() {
      return useCase;
    }

    public void setUseCase(String useCase) {
      this.useCase = useCase;
    }

    public @Nullable String getModel() {
      return model;
    }

    public void setModel(@Nullable String model) {
      this.model = model;
    }

    public @Nullable String getProvider() {
      return provider;
    }

    public void setProvider(@Nullable String provider) {
      this.provider = provider;
    }

    public @Nullable Integer getOrder() {
      return order;
    }

    public void setOrder(@Nullable Integer order) {
      this.order = order;
    }

    public boolean isAdvisorObservation() {
      return advisorObservation;
    }

    public void setAdvisorObservation(boolean advisorObservation) {
      this.advisorObservation = advisorObservation;
    }
  }

  // ---- validation: each error names the property -----------------------------------------------

  @Override
  public boolean supports(Class<?> type) {
    return AimsProperties.class.isAssignableFrom(type);
  }

  @Override
  public void validate(Object target, Errors errors) {
    AimsProperties p = (AimsProperties) target;
    PropertyChecks.check(p, errors);
  }
}
