package dev.aims.spring;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.logging.CheckpointPublisher;
import dev.aims.logging.DecisionLogBuilder;
import dev.aims.logging.DecisionLogs;
import dev.aims.logging.FileCheckpointPublisher;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.PostgresCheckpointPublisher;
import dev.aims.logging.PostgresDecisionLog;
import dev.aims.logging.SigningKeys;
import dev.aims.logging.Slf4jDecisionLog;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ApprovalStore;
import dev.aims.oversight.Notifier;
import dev.aims.oversight.ReviewerContext;
import dev.aims.spring.AimsProperties.SystemProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

/**
 * Builds AIMS from {@code aims.*} properties and the application's own beans: the decision log,
 * the approval store and service, and the {@link Aims} itself with its register, policies,
 * redaction and monitors; the {@link Governed} aspect. Uses the application's
 * {@link MeterRegistry}, {@link OpenTelemetry} and {@link DataSource} when they exist. Every bean
 * backs off when the application defines one of the same type.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnProperty(prefix = "aims", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AimsProperties.class)
@Import(StrictAimsBinding.class)
public class AimsAutoConfiguration {
  private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
      "org.springframework.security.core.context.SecurityContextHolder", AimsAutoConfiguration.class.getClassLoader());

  /** Reviewer identity: Spring Security's principal and roles when present; otherwise nobody may review. */
  @Bean
  @ConditionalOnMissingBean
  public ReviewerContext aimsReviewerContext() {
    return SECURITY_PRESENT ? new SecurityReviewerContext() : ReviewerContext.none();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DecisionLog aimsDecisionLog(AimsProperties properties, ObjectProvider<DataSource> dataSource,
      ObjectProvider<MeterRegistry> meters, ObjectProvider<CheckpointPublisher> publisher) {
    AimsProperties.Log p = properties.getLog();
    DecisionLog evidence = switch (p.getType()) {
      case FILE -> fileLog(p, meters.getIfAvailable(), checkpointPublisher(p, publisher.getIfAvailable(), null));
      case POSTGRES -> {
        DataSource ds = required(dataSource, "aims.log.type=POSTGRES");
        yield postgresLog(p, ds, meters.getIfAvailable(), checkpointPublisher(p, publisher.getIfAvailable(), ds));
      }
      case MEMORY -> InMemoryDecisionLog.create();
      case NONE -> DecisionLog.noop();
    };
    return p.isSlf4jCopy() ? DecisionLogs.compose(evidence, Slf4jDecisionLog.create()) : evidence;
  }

  /**
   * Where checkpoints are published: the application's {@link CheckpointPublisher} bean if it has
   * one, else the default for the log type (a file beside the FILE log's directory, the
   * checkpoints table for the POSTGRES log); null when {@code aims.log.publish-checkpoints=false}.
   */
  static @Nullable CheckpointPublisher checkpointPublisher(AimsProperties.Log p, @Nullable CheckpointPublisher own,
      @Nullable DataSource dataSource) {
    if (!p.isPublishCheckpoints()) {
      return null;
    }
    if (own != null) {
      return own;
    }
    return switch (p.getType()) {
      case FILE -> new FileCheckpointPublisher(p.checkpointsFileOrDefault());
      case POSTGRES -> new PostgresCheckpointPublisher(Objects.requireNonNull(dataSource, "dataSource"),
          p.getCheckpointsTable(), true);
      case MEMORY, NONE -> null;
    };
  }

  private static FileDecisionLog fileLog(AimsProperties.Log p, @Nullable MeterRegistry meters,
      @Nullable CheckpointPublisher publisher) {
    FileDecisionLog.Builder b = shared(FileDecisionLog.builder(p.getDirectory()), p, meters, publisher);
    if (p.getRetention() != null) {
      b.retention(p.getRetention());
    }
    try {
      return b.open();
    } catch (IOException e) {
      throw new UncheckedIOException("aims.log.directory " + p.getDirectory().toAbsolutePath()
          + ": the decision log cannot be opened: " + e.getMessage(), e);
    }
  }

  private static PostgresDecisionLog postgresLog(AimsProperties.Log p, DataSource dataSource,
      @Nullable MeterRegistry meters, @Nullable CheckpointPublisher publisher) {
    return shared(PostgresDecisionLog.builder(dataSource).table(p.getTable()), p, meters, publisher).open();
  }

  /** The {@code aims.log.*} settings both logs have. */
  private static <B extends DecisionLogBuilder<B>> B shared(B b, AimsProperties.Log p, @Nullable MeterRegistry meters,
      @Nullable CheckpointPublisher publisher) {
    b.durability(p.getDurability());
    if (publisher != null) {
      b.publishCheckpointsTo(publisher);
    }
    if (p.getStream() != null) {
      b.stream(p.getStream());
    }
    KeyPair keys = keys(p);
    if (keys != null) {
      b.signingKey(keys);
    }
    if (p.getCheckpointEvery() > 0) {
      b.checkpointEvery(p.getCheckpointEvery());
    }
    if (p.getCheckpointInterval() != null) {
      b.checkpointInterval(p.getCheckpointInterval());
    }
    if (meters != null) {
      b.meterRegistry(meters);
    }
    return b;
  }

  private static @Nullable KeyPair keys(AimsProperties.Log p) {
    if (p.getSigningKey() == null || p.getPublicKey() == null) {
      return null;
    }
    try {
      return new KeyPair(SigningKeys.readPublic(p.getPublicKey()), SigningKeys.readPrivate(p.getSigningKey()));
    } catch (IOException e) {
      throw new UncheckedIOException("aims.log.signing-key / aims.log.public-key: " + e.getMessage(), e);
    }
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ApprovalStore aimsApprovalStore(AimsProperties properties, ObjectProvider<DataSource> dataSource) {
    return switch (properties.getOversight().getStore()) {
      case MEMORY -> ApprovalStore.inMemory();
      case POSTGRES -> ApprovalStore.postgres(required(dataSource, "aims.oversight.store=POSTGRES"));
    };
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ApprovalService aimsApprovalService(AimsProperties properties, ApprovalStore store, DecisionLog log,
      ReviewerContext reviewers, ObjectProvider<MeterRegistry> meters, ObjectProvider<Notifier> notifiers,
      ObjectProvider<ApprovalServiceCustomizer> customizers) {
    AimsProperties.Oversight o = properties.getOversight();
    ApprovalService.Builder b = ApprovalService.builder()
        .reviewers(reviewers)
        .store(store)
        .decisionLog(log)
        .adminRole(o.getAdminRole())
        .rationale(dev.aims.oversight.RationalePolicy.ofDefaults().withMinVisible(o.getMinRationaleLength())
            .withMaxBytes(o.getMaxRationaleBytes()).withMaxRefusedPerRequest(o.getMaxRefusedAttemptsPerRequest())
            .withMaxRefusalsPerReviewer(o.getReviewerRefusalsPerMinute(), java.time.Duration.ofMinutes(1)))
        .defaultPolicy(dev.aims.oversight.ReviewPolicy.of(o.getReviewerRole(), o.getDefaultDeadline()));
    for (Map.Entry<String, SystemProperties> e : properties.getSystems().entrySet()) {
      b.policy(e.getKey(), PropertiesTranslator.review(e.getValue(), o));
    }
    if (o.getRubberStampFloor() != null) {
      b.rubberStampFloor(o.getRubberStampFloor());
    }
    if (o.getSweepEvery() != null) {
      b.sweepEvery(o.getSweepEvery());
    }
    MeterRegistry registry = meters.getIfAvailable();
    if (registry != null) {
      b.meterRegistry(registry);
    }
    // every Notifier bean is told, in @Order / Ordered order (one failing does not stop the others)
    notifiers.orderedStream().forEach(b::notifier);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * Shutdown order, made explicit: when the context closes (SIGTERM, {@code context.close()}), every
   * {@link ApprovalService} is closed on the {@code ContextClosedEvent}, which Spring publishes
   * before it stops any lifecycle bean, so before the web server's graceful shutdown
   * ({@code WebServerGracefulShutdownLifecycle}) and before request threads are interrupted: callers
   * waiting for review are refused ({@code DecisionRefusedException} SHUTDOWN, HTTP 503) and each
   * refusal is written to the decision log while it is open. Then the server drains, then the beans
   * are destroyed: {@code Aims}, and last the {@code DecisionLog} they write to. A lifecycle stop
   * that is not a close (a paused test context) closes nothing.
   */
  @Bean
  @ConditionalOnMissingBean(name = "aimsApprovalsShutdown")
  static ApprovalsShutdown aimsApprovalsShutdown(ObjectProvider<ApprovalService> approvals) {
    return new ApprovalsShutdown(approvals);
  }

  /** Closes the approval services when their own context closes, before anything else stops. */
  static final class ApprovalsShutdown implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {
    private final ObjectProvider<ApprovalService> approvals;
    private @Nullable ApplicationContext context;

    ApprovalsShutdown(ObjectProvider<ApprovalService> approvals) {
      this.approvals = approvals;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
      this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
      if (event.getApplicationContext() == context) { // not a child context's close
        approvals.orderedStream().forEach(ApprovalService::close);
      }
    }
  }

  /**
   * The {@link Aims}: register and policies from {@code aims.systems} (and {@code aims.register-file}),
   * plus {@link AiSystem} beans and {@link AimsBuilderCustomizer}s; REVIEW goes to the
   * {@link ApprovalService}, which is attached here.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Aims aims(AimsProperties properties, DecisionLog log, ApprovalService approvals,
      ObjectProvider<MeterRegistry> meters, ObjectProvider<OpenTelemetry> openTelemetry,
      ObjectProvider<AiSystem> systems, ObjectProvider<AimsBuilderCustomizer> customizers,
      ObjectProvider<DataSource> dataSource) {
    Aims.Builder b = Aims.builder().decisionLog(log).approvalGate(approvals);
    Map<String, dev.aims.core.monitor.FleetStore> fleetStores = new java.util.HashMap<>();
    for (Map.Entry<String, SystemProperties> e : properties.getSystems().entrySet()) {
      b.register(PropertiesTranslator.system(e.getKey(), e.getValue()));
    }
    systems.orderedStream().forEach(b::register);
    if (properties.getRegisterFile() != null) {
      b.registerJson(properties.getRegisterFile());
    }
    for (Map.Entry<String, SystemProperties> e : properties.getSystems().entrySet()) {
      DecisionPolicy policy = PropertiesTranslator.policy(e.getValue());
      if (policy != null) {
        b.policy(e.getKey(), policy);
      }
      if (PropertiesTranslator.hasRedaction(e.getValue())) {
        b.redactor(e.getKey(), PropertiesTranslator.redactor(e.getValue()));
      }
      MonitorConfig monitor = PropertiesTranslator.monitor(e.getValue(),
          fleet(e.getKey(), e.getValue().getMonitoring().getFleet(), dataSource, fleetStores));
      if (monitor != null) {
        b.monitor(e.getKey(), monitor);
      }
    }
    if (properties.getMaxPayloadBytes() > 0) {
      b.maxPayloadBytes(properties.getMaxPayloadBytes());
    }
    b.captureContentOnSpans(properties.isCaptureContentOnSpans());
    b.logProtectedAttributes(properties.isLogProtectedAttributes());
    MeterRegistry registry = meters.getIfAvailable();
    if (registry != null) {
      b.meterRegistry(registry);
    }
    OpenTelemetry otel = openTelemetry.getIfAvailable();
    if (otel != null) {
      b.openTelemetry(otel);
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    Aims aims = b.build();
    approvals.attach(aims);
    return aims;
  }

  /** {@link Governed} methods, through Spring AOP with AspectJ annotations. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.aspectj.lang.annotation.Aspect")
  static class GovernedConfiguration {
    @Bean
    @ConditionalOnMissingBean
    static GovernedAspect aimsGovernedAspect(ObjectProvider<Aims> aims) {
      return new GovernedAspect(aims, AuthenticatedUser.supplier());
    }
  }

  /** Fleet monitoring of one system, one PostgreSQL store per table prefix; null when not enabled. */
  private static dev.aims.core.monitor.@Nullable FleetConfig fleet(String system, FleetMonitoringProperties p,
      ObjectProvider<DataSource> dataSource, Map<String, dev.aims.core.monitor.FleetStore> stores) {
    if (!p.isEnabled()) {
      return null;
    }
    String setting = "aims.systems." + system + ".monitoring.fleet.enabled=true";
    DataSource ds = required(dataSource, setting);
    dev.aims.core.monitor.FleetStore store = stores.computeIfAbsent(p.getTablePrefix(),
        prefix -> dev.aims.logging.PostgresFleetStore.create(ds, prefix));
    String instance = p.getInstance();
    if (instance == null) {
      try {
        instance = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException ex) {
        throw new IllegalStateException(setting + ": the host name is unknown; set aims.systems." + system
            + ".monitoring.fleet.instance", ex);
      }
    }
    return new dev.aims.core.monitor.FleetConfig(store, instance, p.getStaleAfter(), p.getAlarms());
  }

  private static DataSource required(ObjectProvider<DataSource> dataSource, String setting) {
    DataSource ds = dataSource.getIfAvailable();
    return Objects.requireNonNull(ds, () -> setting + " needs a DataSource bean (spring.datasource.*), and there is none");
  }
}
