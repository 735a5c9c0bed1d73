package dev.aims.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.Actor;
import dev.aims.core.AiSystem;
import dev.aims.core.ModelValidation;
import dev.aims.core.SystemCard;
import dev.aims.core.ValidationGate;
import dev.aims.core.incident.Incident;
import dev.aims.core.incident.IncidentKind;
import dev.aims.core.incident.Incidents;
import dev.aims.core.testing.ValidationSuite;
import dev.aims.logging.report.CompliancePack;
import dev.aims.logging.report.ControlMapping;
import dev.aims.logging.report.EvidenceReport;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.Decision;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.IdGenerator;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.DriftReport;
import dev.aims.core.monitor.DriftStatistic;
import dev.aims.core.monitor.FairnessConfig;
import dev.aims.core.monitor.FairnessReport;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.logging.DecisionLogs;
import dev.aims.logging.FileCheckpointPublisher;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.LogVerifier;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.VerificationReport;
import dev.aims.logging.redact.PersonalDataRedactor;
import dev.aims.oversight.ApprovalMetricNames;
import dev.aims.oversight.ApprovalPage;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStatus;
import dev.aims.oversight.ApprovalStore;
import dev.aims.oversight.ReviewPolicy;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.ReviewerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.stream.Stream;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import dev.aims.core.testing.TestClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AIMS quickstart: 5,000 synthetic loan applications scored by a HIGH-risk AI system, every
 * decision going through {@link Aims}. Run it with
 * {@code mvn -B -q -DskipTests -pl examples -am package exec:java}.
 *
 * <p>What it shows:
 *
 * <ol>
 *   <li>registering an AI system (owner, purpose, risk tier, the one model it may use);
 *   <li>a versioned decision policy: loans above 50,000 need a human ({@code REVIEW}); scores below
 *       0.20 are denied outright ({@code DENY});
 *   <li>a governed call: {@code aims.system(..).useCase(..).model(..).input(..).feature(..).call(model::score)},
 *       with denied and rejected decisions arriving as named exceptions;
 *   <li>human oversight with {@code aims-oversight}: the {@link ApprovalService} (in-memory store)
 *       is the approval gate; a simulated pool of four reviewers ({@link ReviewerPool}: two careful,
 *       one slow, one who rubber-stamps) takes the requests from its queue and approves, rejects or
 *       overrides them through its API; one request is left unanswered and EXPIRES at its one-hour
 *       deadline (a denial); an operator presses the stop switch for ten applications and releases
 *       it; the summary shows the requests' ends and each reviewer's adherence figures;
 *   <li>the evidence: Micrometer meters ({@code aims.decisions}, {@code aims.decision.duration},
 *       {@code aims.model.duration}) and a signed, hash-chained decision log on disk whose records
 *       are redacted (the applicant's e-mail never reaches the log), verified at the end;
 *   <li>monitoring: halfway through, incomes fall (most for the 18-29 age band); the income and
 *       score drift alarms go on and send otherwise allowed decisions to a reviewer, and the
 *       fairness figures (with simulated late repayment labels) show the group's approval rate drop;
 *   <li>an agent's tool calls ({@link AgentDemo}): small ones run, a large one waits for a reviewer,
 *       one is rejected, one is deferred and runs after approval.
 * </ol>
 *
 * Applicants come from a seeded random generator and the clock is simulated (one application every
 * 3 seconds from 09:00), so every run prints the same numbers and ids; only latencies vary.
 */
public final class Quickstart {
  /** The demo's PSI alarm: a moderate shift for decile PSI (docs/monitoring.md, "The statistics"). */
  static final double PSI_ALARM = 0.1;
  static final String SYSTEM = "credit-scoring";
  static final ModelRef SCORER = ModelRef.of("acme", "scorer", "2.1");
  static final int APPLICANTS = 5_000;
  static final long SEED = 42;
  static final double LARGE_LOAN = 50_000;
  static final double VERY_LOW_SCORE = 0.20;
  /** A reviewer has this long to answer; after it the request expires (a denial). */
  static final Duration REVIEW_DEADLINE = Duration.ofHours(1);
  /** How many applications arrive while the stop switch is pressed. */
  static final int STOPPED_FOR = 10;
  /** The operator who presses the stop switch (in a real deployment: from the authenticated session). */
  static final Reviewer OPERATOR = Reviewer.of("ops-admin", ApprovalService.DEFAULT_ADMIN_ROLE);
  static final Actor OPS = Actor.of("ops-admin", ApprovalService.DEFAULT_ADMIN_ROLE);

  private Quickstart() {}

  /** Where the demo writes its decision log, under the working directory. */
  static final Path LOG_DIR = Path.of("aims-data", "decisions");

  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** Runs the demo with 5,000 applicants and seed 42, printing the summary to {@code out}. */
  public static Summary run(PrintStream out) throws IOException {
    return run(out, APPLICANTS, SEED, LOG_DIR);
  }

  public static Summary run(PrintStream out, int applicants, long seed, Path logDir) throws IOException {
    // Meters: the registry your application already has. Percentiles are opt-in in Micrometer; ask
    // for them before the first decision registers the timers.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(percentiles(AimsMetricNames.DECISION_DURATION, AimsMetricNames.MODEL_DURATION));

    // The decision log: the durable, hash-chained file log is the evidence, with signed checkpoints.
    // The demo starts a fresh log each run and keeps an in-memory copy to print its summary from.
    // (A real service keeps the private key out of the log directory, e.g. in a secret store.)
    // Every checkpoint is also published outside the log directory: whoever cuts records off the
    // end of the log would have to change that file too (in production: another disk or host).
    TestClock clock = TestClock.at("2026-03-02T09:00:00Z");
    Path publicKey = freshDemoLog(logDir);
    Path published = publishedCheckpoints(logDir);
    KeyPair keys = SigningKeys.generate();
    SigningKeys.writePublic(publicKey, keys.getPublic());
    FileDecisionLog evidence = FileDecisionLog.builder(logDir).stream("quickstart").signingKey(keys)
        .checkpointEvery(1_000).publishCheckpointsTo(new FileCheckpointPublisher(published)).clock(clock).open();
    InMemoryDecisionLog log = InMemoryDecisionLog.create();

    // Model validation: the model runs over a golden set before the register allows it (HIGH risk,
    // gate REFUSE); the record is cited by the register entry, so it is in the signed log.
    ModelValidation validation = goldenSuite().run(SCORER, artefactDigest(), "ml-lead", clock,
        a -> new CreditModel().score(a).recommendation());
    AiSystem creditScoring = AiSystem.builder(SYSTEM)
        .owner("risk-team")
        .purpose("score consumer loan applications")
        .riskTier(RiskTier.HIGH)
        .allowModel(SCORER, validation.artefactDigest())
        .validation(validation)
        .validationGate(ValidationGate.REFUSE)
        .card(new SystemCard("pre-screen consumer loans; a credit officer decides large ones",
            List.of("income", "amount", "debt_ratio", "age_band", "email"), List.of("probability", "recommendation"),
            List.of("loan applicants"), "loans above 50 000 go to a credit officer; stop switch for ops-admin",
            "DPIA-2026-03", clock.instant()))
        .build();
    DecisionPolicy policy = DecisionPolicy.of("2026-03",
        NumericThreshold.onFeature("large-loan", "amount").above(LARGE_LOAN, Verdict.REVIEW),
        NumericThreshold.onOutput("very-low-score", Score.class, Score::probability).below(VERY_LOW_SCORE, Verdict.DENY));

    // Drift and fairness: income and the model's score against the first 1,000 decisions, and
    // approval rates per age band. Evaluated every 5 simulated minutes, inline (a synchronous
    // executor keeps the demo reproducible; a service leaves the default background executor).
    // The PSI alarm is at 0.1, the start of a "moderate" shift for decile PSI: the demo's 10% income fall
    // gives about 0.2 (the default, "significant" threshold, sits right at it).
    MonitorConfig monitoring = MonitorConfig.builder()
        .drift(DriftFeature.numeric("income", Reference.firstDecisions(1_000)).window(Window.lastDecisions(1_000))
                .alarmOn(DriftStatistic.PSI, PSI_ALARM),
            DriftFeature.numericOutput("score", Score.class, Score::probability, Reference.firstDecisions(1_000))
                .window(Window.lastDecisions(1_000)).alarmOn(DriftStatistic.PSI, PSI_ALARM))
        .fairness(FairnessConfig.of("age_band", Applicant.ageBands(), Score.class,
            score -> score.recommendation() == Score.Recommendation.APPROVE).window(Window.lastDecisions(2_000)))
        .evaluationInterval(Duration.ofMinutes(5))
        .build();

    CreditModel model = new CreditModel();
    Map<Outcome, Long> seenByCaller = new EnumMap<>(Outcome.class);
    List<DriftReport> beforeShift = List.of();
    MonitorSummary monitorSummary = null;
    Map<UUID, Applicant> decided = new java.util.LinkedHashMap<>();
    List<Throwable> unexpected = new java.util.ArrayList<>();
    long[] refusedWhileStopped = {0};
    long[] cancelledReviews = {0};
    int cancelledByStop = 0;
    Oversight oversight;

    // Human oversight: the approval service is the gate for REVIEW verdicts. The simulated reviewer
    // pool is its reviewer context (who is acting) and answers requests through its API. The
    // service's own sweeping thread is off: the pool sweeps on the simulated clock, so runs repeat.
    ReviewerPool pool = new ReviewerPool(clock, seed + 2);
    ApprovalService approvals = ApprovalService.builder()
        .reviewers(pool)
        .policy(SYSTEM, ReviewPolicy.of(ReviewerPool.ROLE, REVIEW_DEADLINE))
        .store(ApprovalStore.inMemory())
        .clock(clock)
        .sweepEvery(Duration.ZERO)
        .meterRegistry(registry)
        .build();
    pool.workFor(approvals);

    // closed in reverse order: approvals end (refusals written), then Aims, then the log Aims was given
    try (evidence; Aims aims = Aims.builder()
        .register(creditScoring)
        .policy(SYSTEM, policy)
        // field rules for known personal fields, detectors for personal data in free text
        .redactor(SYSTEM, PersonalDataRedactor.builder().mask("input.email").mask("input.age_band")
            .withDefaultDetectors().build())
        .approvalGate(approvals)
        .decisionLog(DecisionLogs.compose(evidence, log))
        .meterRegistry(registry)
        .clock(clock)
        .idGenerator(sequentialIds(clock))
        .monitor(SYSTEM, monitoring)
        .monitorExecutor(Runnable::run)
        .build(); approvals) {
      approvals.attach(aims);    // its decision log and redaction, and the stop switch
      // AI incidents: opened here from code when the income feed is suspected (triggers off: one incident)
      Incidents incidents = Incidents.builder(aims).meterRegistry(registry).openOnStopSwitch(false)
          .openOnDriftAlarm(false).build();
      Incident incident = null;

      List<Applicant> population = Applicant.generate(seed, applicants);
      for (int i = 0; i < population.size(); i++) {
        Applicant a = population.get(i);
        if (i == population.size() / 2) {
          aims.monitor(SYSTEM).evaluateNow();
          beforeShift = aims.monitor(SYSTEM).drift();
        }
        if (i >= population.size() / 2) {
          a = a.afterShift();
        }
        if (i == population.size() * 7 / 10) {
          pool.leaveNextUnanswered();       // nobody will pick up the next request: it expires
        }
        if (i == stopAt(population.size())) {
          cancelledByStop = pool.as(OPERATOR, () -> approvals.stop(SYSTEM, "income feed under investigation"));
          incident = incidents.open(SYSTEM, IncidentKind.DRIFT, "income inputs fell; feed suspected", OPS, List.of());
        }
        if (i == stopAt(population.size()) + STOPPED_FOR) {
          pool.as(OPERATOR, () -> {
            approvals.resume(SYSTEM, "income feed checked and correct");
            return null;
          });
        }
        // one application every 3 seconds; reviewers answer whatever falls due in between
        pool.runUntil(clock.instant().plus(Duration.ofSeconds(3)));
        Applicant applicant = a;
        CompletionStage<Decision<Score>> decision = aims.system(SYSTEM).useCase("score-applicant")
            .model(SCORER)
            .input(a)
            .requester("loan-portal")
            .feature("income", a.income())
            .feature("amount", a.amount())
            .feature("debt_ratio", a.debtRatio())
            .protectedAttribute("age_band", a.ageBand())
            .callAsync(in -> CompletableFuture.completedFuture(model.score(in)));
        // The decision completes at once, or (REVIEW) when a reviewer, the deadline or the stop
        // switch ends its approval request; everything runs on this thread.
        decision.whenComplete((d, error) -> {
          if (d != null) {
            // ALLOWED, APPROVED or OVERRIDDEN: d.output() may be acted upon (for OVERRIDDEN it is
            // the reviewer's counter-offer, not the model's answer).
            seenByCaller.merge(d.outcome(), 1L, Long::sum);
            decided.put(d.id(), applicant);
            return;
          }
          Throwable e = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
          if (e instanceof DecisionDeniedException denied) {
            seenByCaller.merge(Outcome.DENIED, 1L, Long::sum);     // a boundary said DENY
            decided.put(denied.decisionId(), applicant);
          } else if (e instanceof DecisionRejectedException rejected) {
            Outcome o = switch (rejected.review().resolution()) {
              case EXPIRED -> Outcome.EXPIRED;                     // nobody answered in time: a denial
              case CANCELLED -> Outcome.REFUSED;                   // the stop switch cancelled the request
              default -> Outcome.REJECTED;                         // the reviewer said no
            };
            if (o == Outcome.REFUSED) {
              cancelledReviews[0]++;
            }
            seenByCaller.merge(o, 1L, Long::sum);
            decided.put(rejected.decisionId(), applicant);
          } else if (e instanceof DecisionRefusedException refused
              && refused.refusal() == DecisionRefusedException.Cause.SYSTEM_STOPPED) {
            seenByCaller.merge(Outcome.REFUSED, 1L, Long::sum);    // the stop switch is pressed
            refusedWhileStopped[0]++;
          } else {
            unexpected.add(e);
          }
        });
        if (!decision.toCompletableFuture().isDone()) {
          pool.pickUp();                  // a new approval request is in the queue
        }
      }
      pool.drain();                       // the last reviews, and the deadline of any left unanswered
      incidents.classifyNotSerious(incident.id(), OPS);
      incidents.close(incident.id(), "feed checked and correct; income shift is real, reference kept", OPS);
      if (!unexpected.isEmpty()) {
        IllegalStateException failure = new IllegalStateException("unexpected failures of governed calls");
        unexpected.forEach(failure::addSuppressed);
        throw failure;
      }
      oversight = oversight(approvals, pool, registry, cancelledByStop, cancelledReviews[0], refusedWhileStopped[0]);

      // Months later, the actual outcomes arrive (simulated here: repaid with the probability the
      // model gave before the shift, so the shifted group was in truth as creditworthy as before).
      java.util.Random outcomes = new java.util.Random(seed + 1);
      CreditModel truth = new CreditModel();
      for (Map.Entry<UUID, Applicant> e : decided.entrySet()) {
        Applicant original = population.get(Integer.parseInt(e.getValue().id().substring(2)) - 1);
        boolean repaid = outcomes.nextDouble() < truth.score(original).probability();
        aims.feedback(e.getKey(), repaid);
      }
      aims.monitor(SYSTEM).evaluateNow();
      monitorSummary = new MonitorSummary(beforeShift, aims.monitor(SYSTEM).drift(),
          aims.monitor(SYSTEM).fairness().orElseThrow());
    }

    // What an auditor does: verify the chain and the checkpoint signatures with the public key, and
    // that the log still holds every checkpoint published outside it (nothing cut off the end).
    VerificationReport verification = LogVerifier.verify(logDir, SigningKeys.readPublic(publicKey), published);
    // The evidence pack: each ISO/IEC 42001 control and EU AI Act article, with the verified records behind it
    EvidenceReport report = EvidenceReport.builder(logDir).publicKey(SigningKeys.readPublic(publicKey))
        .checkpoints(published).clock(clock).build();
    for (String framework : ControlMapping.BUILT_IN) {
      Files.writeString(evidencePack(logDir, framework),
          CompliancePack.of(report, ControlMapping.builtIn(framework)).markdown());
    }
    Summary summary = summarise(registry, log, applicants, seenByCaller, verification, monitorSummary, oversight);
    print(out, summary, registry);
    out.printf(Locale.ROOT, "%nDecision log on disk: %s (%,d records, %,d signed checkpoints, %,d bytes)%n",
        logDir.toAbsolutePath(), verification.records(), verification.checkpoints(), verification.bytes());
    out.println("Verification with the public key and the published checkpoints (" + published + "): "
        + (verification.intact() ? "VERIFIED" : "BROKEN: " + verification.problem()) + ". Check it yourself:");
    out.println("  java -jar aims-logging/target/aims-logging-0.1.0-SNAPSHOT-cli.jar verify " + logDir
        + " --public-key " + publicKey + " --checkpoints " + published);
    try {
      AgentDemo.run(out);    // the agent section: governed tool calls (docs/agents.md)
    } catch (Exception e) {
      throw new IllegalStateException("the agent section failed", e);
    }
    return summary;
  }

  /**
   * What the run produced, read back from the meters and the decision log.
   *
   * @param meterCounts {@code aims.decisions} by verdict, then outcome
   * @param logOutcomes {@code decision.final} records by outcome
   * @param callerOutcomes what the application saw: returned decisions and caught exceptions
   * @param logEventTypes every event in the log, by type
   * @param sampleRecord one redacted {@code decision.final} body (an approved large loan)
   */
  public record Summary(
      int applicants,
      Map<Verdict, Map<Outcome, Long>> meterCounts,
      Map<Outcome, Long> logOutcomes,
      Map<Outcome, Long> callerOutcomes,
      Map<String, Long> logEventTypes,
      ObjectNode sampleRecord,
      InMemoryDecisionLog log,
      VerificationReport verification,
      MonitorSummary monitoring,
      Oversight oversight) {

    /** {@code aims.decisions} summed over verdicts. */
    public Map<Outcome, Long> meterOutcomes() {
      Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
      meterCounts.values().forEach(m -> m.forEach((o, n) -> byOutcome.merge(o, n, Long::sum)));
      return byOutcome;
    }

    public long totalDecisions() {
      return meterOutcomes().values().stream().mapToLong(Long::longValue).sum();
    }

    /** decision.final records with a REVIEW reason from the drift boundary. */
    public long driftReviews() {
      return log.events(EventTypes.DECISION_FINAL, DecisionEvent.class).stream()
          .filter(e -> e.reasons().stream().anyMatch(r -> r.boundary().equals(Monitor.DRIFT_REVIEW_BOUNDARY)))
          .count();
    }

    public long logEvents() {
      return logEventTypes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * What human oversight did, read back from the approval service.
   *
   * @param requestsByStatus approval requests by how they ended; APPROVED includes overrides
   * @param overrides approved requests whose reviewer replaced the model's output
   * @param cancelledByStop pending requests the stop switch cancelled (their decisions are REFUSED)
   * @param cancelledSeenByCaller decisions the application saw refused because their review was cancelled
   * @param refusedWhileStopped new governed calls refused while the switch was pressed
   * @param expired the request left unanswered until its deadline
   * @param reviewers adherence figures per reviewer, in pool order
   * @param rubberStampMeter the {@code aims.approval.rubber.stamp} counter
   */
  public record Oversight(
      Map<ApprovalStatus, Long> requestsByStatus,
      long overrides,
      int cancelledByStop,
      long cancelledSeenByCaller,
      long refusedWhileStopped,
      @org.jspecify.annotations.Nullable UUID expired,
      List<ReviewerLine> reviewers,
      long rubberStampMeter) {

    public long requests() {
      return requestsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(ApprovalStatus status) {
      return requestsByStatus.getOrDefault(status, 0L);
    }
  }

  /** One reviewer's automation-bias signals: {@link ApprovalService#reviewerStats()} and the median the pool measured. */
  public record ReviewerLine(String id, String style, ReviewerStats stats, Duration medianTimeToDecision) {
    public long decided() {
      return stats.approvals() + stats.overrides() + stats.rejections();
    }
  }

  /** Drift figures just before the shift and at the end, and the fairness figures with late labels. */
  public record MonitorSummary(List<DriftReport> beforeShift, List<DriftReport> atEnd, FairnessReport fairness) {}

  // ---- reading the evidence ---------------------------------------------------------------------

  private static Summary summarise(
      SimpleMeterRegistry registry, InMemoryDecisionLog log, int applicants, Map<Outcome, Long> seenByCaller,
      VerificationReport verification, MonitorSummary monitoring, Oversight oversight) {
    Map<Verdict, Map<Outcome, Long>> meterCounts = new EnumMap<>(Verdict.class);
    for (Counter c : registry.find(AimsMetricNames.DECISIONS).tag(AimsMetricNames.TAG_SYSTEM, SYSTEM).counters()) {
      Verdict verdict = Verdict.valueOf(c.getId().getTag(AimsMetricNames.TAG_VERDICT).toUpperCase(Locale.ROOT));
      Outcome outcome = Outcome.valueOf(c.getId().getTag(AimsMetricNames.TAG_OUTCOME).toUpperCase(Locale.ROOT));
      meterCounts.computeIfAbsent(verdict, v -> new EnumMap<>(Outcome.class)).merge(outcome, (long) c.count(), Long::sum);
    }

    Map<Outcome, Long> logOutcomes = new EnumMap<>(Outcome.class);
    for (DecisionEvent e : log.events(EventTypes.DECISION_FINAL, DecisionEvent.class)) {
      logOutcomes.merge(e.outcome(), 1L, Long::sum);
    }
    Map<String, Long> types = new TreeMap<>();
    for (AimsEvent e : log.events()) {
      types.merge(e.type(), 1L, Long::sum);
    }
    // an approval by a reviewer who applied the rules (the rubber-stamper approves anything)
    List<ObjectNode> approved = log.json(e -> e instanceof DecisionEvent d
        && d.type().equals(EventTypes.DECISION_FINAL) && d.outcome() == Outcome.APPROVED
        && d.actor() != null && ReviewerPool.MEMBERS.stream()
            .anyMatch(m -> m.id().equals(d.actor().id()) && m.style() != ReviewerPool.Style.RUBBER_STAMP));
    ObjectNode sample = approved.isEmpty() ? null : approved.get(0);

    return new Summary(applicants, unmodifiable(meterCounts), Collections.unmodifiableMap(logOutcomes),
        Collections.unmodifiableMap(new EnumMap<>(seenByCaller)), Collections.unmodifiableMap(types), sample, log,
        verification, monitoring, oversight);
  }

  private static Oversight oversight(ApprovalService approvals, ReviewerPool pool, SimpleMeterRegistry registry,
      int cancelledByStop, long cancelledSeenByCaller, long refusedWhileStopped) {
    Map<ApprovalStatus, Long> byStatus = new EnumMap<>(ApprovalStatus.class);
    long overrides = 0;
    ApprovalQuery query = ApprovalQuery.all().system(SYSTEM).limit(ApprovalQuery.MAX_LIMIT);
    ApprovalPage page = approvals.list(query);
    while (true) {
      for (ApprovalRequest r : page.items()) {
        byStatus.merge(r.status(), 1L, Long::sum);
        if (r.overridden()) {
          overrides++;
        }
      }
      if (page.next() == null) {
        break;
      }
      page = approvals.list(query.after(page.next()));
    }
    List<ReviewerLine> lines = new java.util.ArrayList<>();
    for (ReviewerPool.Member m : ReviewerPool.MEMBERS) {
      ReviewerStats stats = approvals.reviewerStats(m.id())
          .orElse(new ReviewerStats(m.id(), 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO));
      lines.add(new ReviewerLine(m.id(), m.style().label, stats, median(pool.timesToDecision().get(m.id()))));
    }
    Counter stamps = registry.find(ApprovalMetricNames.RUBBER_STAMPS).tag(ApprovalMetricNames.TAG_SYSTEM, SYSTEM).counter();
    return new Oversight(Collections.unmodifiableMap(byStatus), overrides, cancelledByStop, cancelledSeenByCaller,
        refusedWhileStopped, pool.unanswered(), List.copyOf(lines), stamps == null ? 0 : (long) stamps.count());
  }

  private static Duration median(List<Duration> times) {
    if (times.isEmpty()) {
      return Duration.ZERO;
    }
    List<Duration> sorted = times.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }

  /** Where in the run the operator presses the stop switch. */
  static int stopAt(int applicants) {
    return applicants * 6 / 10;
  }

  private static Map<Verdict, Map<Outcome, Long>> unmodifiable(Map<Verdict, Map<Outcome, Long>> m) {
    m.replaceAll((v, inner) -> Collections.unmodifiableMap(inner));
    return Collections.unmodifiableMap(m);
  }

  // ---- printing ---------------------------------------------------------------------------------

  private static void print(PrintStream out, Summary s, SimpleMeterRegistry registry) {
    out.printf(Locale.ROOT, "AIMS quickstart: %,d loan applications, system '%s' (HIGH risk), model %s%n",
        s.applicants(), SYSTEM, SCORER);
    out.printf(Locale.ROOT, "Policy 2026-03: amount > %,.0f -> REVIEW, score < %.2f -> DENY; reviews: %s,"
        + " %d simulated reviewers%n%n", LARGE_LOAN, VERY_LOW_SCORE, ApprovalService.class.getSimpleName(),
        ReviewerPool.MEMBERS.size());

    out.println("Decisions (counter " + AimsMetricNames.DECISIONS + ", by verdict and outcome)");
    s.meterCounts().forEach((verdict, byOutcome) -> byOutcome.forEach((outcome, n) ->
        out.printf(Locale.ROOT, "  %-7s %-11s %,7d%n", tag(verdict), outcome.tag(), n)));
    out.printf(Locale.ROOT, "  %-19s %,7d%n", "total", s.totalDecisions());
    long actedOn = s.callerOutcomes().entrySet().stream()
        .filter(e -> e.getKey().actionable()).mapToLong(Map.Entry::getValue).sum();
    Oversight o = s.oversight();
    out.printf(Locale.ROOT, "  the application acted on %,d; caught %,d DecisionDeniedException, %,d DecisionRejectedException,%n"
        + "  %,d DecisionRefusedException (stop switch)%n%n",
        actedOn, s.callerOutcomes().getOrDefault(Outcome.DENIED, 0L),
        s.callerOutcomes().getOrDefault(Outcome.REJECTED, 0L) + s.callerOutcomes().getOrDefault(Outcome.EXPIRED, 0L)
            + o.cancelledSeenByCaller(), o.refusedWhileStopped());

    out.println("Latency in microseconds (timers " + AimsMetricNames.DECISION_DURATION + " by outcome, "
        + AimsMetricNames.MODEL_DURATION + ";");
    out.println("  reviewed calls include the wait for the simulated reviewers, who answer in accelerated time)");
    out.printf(Locale.ROOT, "  %-19s %7s %8s %8s %8s%n", "", "count", "p50", "p95", "p99");
    for (Timer t : sortedTimers(registry, AimsMetricNames.DECISION_DURATION)) {
      printTimer(out, "call " + t.getId().getTag(AimsMetricNames.TAG_OUTCOME), t);
    }
    for (Timer t : sortedTimers(registry, AimsMetricNames.MODEL_DURATION)) {
      printTimer(out, "model " + t.getId().getTag(AimsMetricNames.TAG_OUTCOME), t);
    }

    out.printf(Locale.ROOT, "%nDecision log: %,d events; decision.final by outcome %s the meters%n",
        s.logEvents(), s.logOutcomes().equals(s.meterOutcomes()) ? "matches" : "DOES NOT MATCH");
    StringBuilder types = new StringBuilder("  ");
    for (Iterator<Map.Entry<String, Long>> it = s.logEventTypes().entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      types.append(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()));
      if (types.length() > 60 && it.hasNext()) {
        out.println(types.append(','));
        types = new StringBuilder("  ");
      } else if (it.hasNext()) {
        types.append(", ");
      }
    }
    out.println(types);

    printOversight(out, s);
    printMonitoring(out, s);

    if (s.sampleRecord() != null) {
      out.println();
      out.println("One decision.final record, as the log stores it (redacted: input.email, input.age_band,"
          + " personal data in free text):");
      printRecord(out, s.sampleRecord());
    }
  }

  private static void printOversight(PrintStream out, Summary s) {
    Oversight o = s.oversight();
    out.printf(Locale.ROOT, "%nHuman oversight (aims-oversight, in-memory store; role %s, deadline %s, then expiry)%n",
        ReviewerPool.ROLE, duration(REVIEW_DEADLINE));
    out.printf(Locale.ROOT, "  %,d approval requests: %,d approved, %,d overridden (counter-offer), %,d rejected,%n"
        + "  %,d expired, %,d cancelled by the stop switch%n",
        o.requests(), o.count(ApprovalStatus.APPROVED) - o.overrides(), o.overrides(), o.count(ApprovalStatus.REJECTED),
        o.count(ApprovalStatus.EXPIRED), o.count(ApprovalStatus.CANCELLED));
    if (o.expired() != null) {
      out.printf(Locale.ROOT, "  expired: %s, left unanswered; denied at its deadline, never approved by a timeout%n",
          o.expired());
    }
    out.printf(Locale.ROOT, "  stop switch: pressed by %s for %d applications, then resumed; %,d pending requests"
        + " cancelled,%n  %,d new calls refused while stopped (events %s, %s)%n", OPERATOR.id(), STOPPED_FOR,
        o.cancelledByStop(), o.refusedWhileStopped(), EventTypes.SYSTEM_STOPPED, EventTypes.SYSTEM_RESUMED);
    out.printf(Locale.ROOT, "  %-11s %-14s %7s %9s %9s %8s %8s %8s %8s%n", "reviewer", "style", "decided", "approval",
        "override", "reject", "median", "max", "rubber");
    for (ReviewerLine r : o.reviewers()) {
      ReviewerStats st = r.stats();
      out.printf(Locale.ROOT, "  %-11s %-14s %,7d %9s %,9d %,8d %8s %8s %,8d%n", r.id(), r.style(), r.decided(),
          String.format(Locale.ROOT, "%.1f%%", 100 * st.approvalRatio()), st.overrides(), st.rejections(),
          duration(r.medianTimeToDecision()), duration(st.maxTimeToDecision()), st.rubberStamps());
    }
    out.printf(Locale.ROOT, "  %s: %,d approvals faster than 10 s (approval ratio counts overrides)%n",
        ApprovalMetricNames.RUBBER_STAMPS, o.rubberStampMeter());
  }

  /** 1h, 12m 5s, 4s. */
  private static String duration(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600 && s % 3600 == 0) {
      return (s / 3600) + "h";
    }
    if (s >= 60) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return s + "s";
  }

  private static void printMonitoring(PrintStream out, Summary s) {
    MonitorSummary m = s.monitoring();
    out.printf(Locale.ROOT, "%nDrift (PSI against the first 1,000 decisions; alarm at %.1f) — incomes fall from decision %,d on%n",
        PSI_ALARM, s.applicants() / 2 + 1);
    out.printf(Locale.ROOT, "  %-8s %14s %14s%n", "feature", "before shift", "at end");
    for (int i = 0; i < m.atEnd().size(); i++) {
      DriftReport end = m.atEnd().get(i);
      DriftReport before = i < m.beforeShift().size() ? m.beforeShift().get(i) : null;
      out.printf(Locale.ROOT, "  %-8s %14s %14s%n", end.feature(), psi(before), psi(end));
    }
    long raised = s.logEventTypes().getOrDefault(EventTypes.DRIFT_ALARM_RAISED, 0L);
    out.printf(Locale.ROOT, "  %d drift alarm(s) raised; %,d decisions the boundaries allowed went to a reviewer"
        + " because of drift (%s)%n", raised, s.driftReviews(), Monitor.DRIFT_REVIEW_BOUNDARY);

    FairnessReport f = m.fairness();
    out.printf(Locale.ROOT, "%nFairness by age_band (last 2,000 decisions; %,d late labels)%n", f.labelsRecorded());
    out.printf(Locale.ROOT, "  %-7s %14s %9s %9s %9s%n", "group", "model approves", "DI ratio", "TPR", "accuracy");
    for (FairnessReport.Group g : f.groups()) {
      out.printf(Locale.ROOT, "  %-7s %14s %9s %9s %9s%n", g.name(), pct(g.selectionRate()), num(g.disparateImpact()),
          pct(g.truePositiveRate()), pct(g.accuracy()));
    }
    out.printf(Locale.ROOT, "  disparate impact %s (alarm below 0.80), demographic parity difference %s,%n"
        + "  equal opportunity difference %s, equalized odds difference %s%s%n",
        num(f.disparateImpactRatio()), num(f.demographicParityDifference()), num(f.equalOpportunityDifference()),
        num(f.equalizedOddsDifference()), f.alarm() ? " — FAIRNESS ALARM" : "");
  }

  private static String psi(@org.jspecify.annotations.Nullable DriftReport r) {
    if (r == null) {
      return "-";
    }
    java.util.OptionalDouble v = r.score(DriftStatistic.PSI);
    return v.isEmpty() ? "no figure" : String.format(Locale.ROOT, "%.3f%s", v.getAsDouble(), r.alarm() ? " ALARM" : "");
  }

  private static String pct(java.util.OptionalDouble v) {
    return v.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v.getAsDouble());
  }

  private static String num(java.util.OptionalDouble v) {
    return v.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", v.getAsDouble());
  }

  private static void printTimer(PrintStream out, String label, Timer t) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-19s %,7d", label, t.count()));
    for (ValueAtPercentile p : t.takeSnapshot().percentileValues()) {
      line.append(String.format(Locale.ROOT, " %8.1f", p.value(TimeUnit.MICROSECONDS)));
    }
    out.println(line);
  }

  private static List<Timer> sortedTimers(SimpleMeterRegistry registry, String name) {
    return registry.find(name).tag(AimsMetricNames.TAG_SYSTEM, SYSTEM).timers().stream()
        .sorted((a, b) -> Long.compare(b.count(), a.count()))
        .toList();
  }

  /** One top-level field a line, nested values in canonical (compact, key-sorted) JSON. */
  private static void printRecord(PrintStream out, ObjectNode record) {
    out.println("{");
    for (Iterator<Map.Entry<String, JsonNode>> it = record.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      out.println("  \"" + field.getKey() + "\": " + CanonicalJson.write(field.getValue()) + (it.hasNext() ? "," : ""));
    }
    out.println("}");
  }

  private static String tag(Verdict verdict) {
    return verdict.name().toLowerCase(Locale.ROOT);
  }

  // ---- setup helpers ----------------------------------------------------------------------------

  /**
   * Empties the demo's log directory and its published checkpoints so each run starts a new chain,
   * and returns where the public key goes. Only the demo does this: a real decision log is never deleted by the application.
   */
  private static Path freshDemoLog(Path logDir) throws IOException {
    if (Files.exists(logDir)) {
      try (Stream<Path> files = Files.walk(logDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(logDir);
    Files.deleteIfExists(publishedCheckpoints(logDir));
    return logDir.resolveSibling("quickstart-public-key.pem");
  }

  /** Where the demo publishes its checkpoints: beside the log directory, not in it. */
  /** Where the quickstart writes the evidence pack of a framework: beside the log directory. */
  static Path evidencePack(Path logDir, String framework) {
    return logDir.resolveSibling("evidence-" + framework + ".md");
  }

  /** Cases a credit officer labelled: approve unless the loan is over 0.8 incomes or the debt ratio over 0.35. */
  static ValidationSuite<Applicant, Score.Recommendation> goldenSuite() {
    ValidationSuite<Applicant, Score.Recommendation> suite = ValidationSuite.<Applicant, Score.Recommendation>named(
        "credit-golden-2026-03").metric("accuracy", ValidationSuite.accuracy()).atLeast("accuracy", 0.75);
    for (Applicant a : Applicant.generate(7, 200)) {
      suite.example(a, a.amount() > 0.8 * a.income() || a.debtRatio() > 0.35
          ? Score.Recommendation.DECLINE : Score.Recommendation.APPROVE);
    }
    return suite;
  }

  /** The model artefact's digest: here the SHA-256 of the model's class file. */
  static String artefactDigest() throws IOException {
    try (var in = CreditModel.class.getResourceAsStream("CreditModel.class")) {
      return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(in.readAllBytes()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path publishedCheckpoints(Path logDir) {
    return logDir.resolveSibling("published-checkpoints.jsonl");
  }

  /** Client-side p50/p95/p99 on the named timers. */
  private static MeterFilter percentiles(String... names) {
    List<String> timers = List.of(names);
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!timers.contains(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentiles(0.5, 0.95, 0.99)
            .percentilePrecision(2)
            .build()
            .merge(config);
      }
    };
  }

  /**
   * Decision ids for a reproducible demo: UUIDv7 layout (clock milliseconds, version 7) with a
   * counter where the random bits would be. Production code keeps the default, {@code IdGenerator.uuidV7}.
   */
  private static IdGenerator sequentialIds(Clock clock) {
    AtomicLong counter = new AtomicLong();
    return () -> {
      long n = counter.incrementAndGet();
      return new UUID((clock.millis() << 16) | 0x7000L | (n & 0xFFF), 0x8000_0000_0000_0000L | n);
    };
  }
}
