package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.AimsMetricNames;
import dev.aims.core.Decision;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.PendingDecision;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.AimsEvent;
import dev.aims.logging.Checkpoint;
import dev.aims.logging.CheckpointPublisher;
import dev.aims.logging.FileDecisionLog;
import dev.aims.logging.PostgresCheckpointPublisher;
import dev.aims.logging.LogVerifier;
import dev.aims.oversight.ApprovalQuery;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.ReviewerContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AimsAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AimsAutoConfiguration.class))
      .withPropertyValues(
          "aims.log.type=MEMORY",
          "aims.systems.loans.name=Loan decisions",
          "aims.systems.loans.owner=credit-risk team",
          "aims.systems.loans.purpose=Decide consumer loan applications",
          "aims.systems.loans.risk-tier=HIGH",
          "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1",
          "aims.systems.loans.policy-version=7",
          "aims.systems.loans.boundaries[0].id=large-loan",
          "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
          "aims.systems.loans.boundaries[0].feature=amount",
          "aims.systems.loans.boundaries[0].above=50000",
          "aims.systems.loans.boundaries[1].id=negative-rate",
          "aims.systems.loans.boundaries[1].type=OUTPUT_THRESHOLD",
          "aims.systems.loans.boundaries[1].field=/terms/rate",
          "aims.systems.loans.boundaries[1].below=0",
          "aims.systems.loans.boundaries[1].verdict=DENY",
          "aims.systems.loans.review.tiers[0].role=LOAN_OFFICER",
          "aims.systems.loans.review.tiers[0].deadline=4h",
          "aims.systems.loans.review.tiers[1].role=SENIOR_OFFICER",
          "aims.systems.loans.review.tiers[1].deadline=1d",
          "aims.systems.loans.redaction.mask[0]=input.name");

  private static final ModelRef MODEL = ModelRef.of("acme", "credit-scorer", "3.1");

  record Terms(double rate) {}

  record Offer(boolean approved, Terms terms) {}

  @Test
  void properties_build_the_register_policy_and_approval_gate() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      Aims aims = ctx.getBean(Aims.class);
      AiSystem loans = aims.system("loans").definition();
      assertThat(loans.riskTier()).isEqualTo(RiskTier.HIGH);
      assertThat(loans.allowedModels()).containsExactly(MODEL);
      assertThat(aims.policy("loans").version()).isEqualTo("7");

      Decision<Offer> small = aims.system("loans").useCase("credit").model(MODEL).feature("amount", 1_000)
          .call(in -> new Offer(true, new Terms(0.05)));
      assertThat(small.verdict()).isEqualTo(Verdict.ALLOW);

      // large amount: REVIEW, goes to the ApprovalService with the configured first tier
      PendingDecision<Offer> pending = aims.system("loans").useCase("credit").model(MODEL).feature("amount", 80_000)
          .submit(in -> new Offer(true, new Terms(0.05)));
      ApprovalService approvals = ctx.getBean(ApprovalService.class);
      assertThat(approvals.list(ApprovalQuery.pending()).items())
          .singleElement()
          .satisfies(r -> {
            assertThat(r.id()).isEqualTo(pending.decisionId());
            assertThat(r.requiredRole()).isEqualTo("LOAN_OFFICER");
            assertThat(r.policy().tiers()).hasSize(2);
          });

      // an output field read through a JSON pointer
      assertThatThrownBy(() -> aims.system("loans").useCase("credit").model(MODEL).feature("amount", 1_000)
          .call(in -> new Offer(true, new Terms(-0.01))))
          .isInstanceOf(DecisionDeniedException.class)
          .hasMessageContaining("negative-rate");
    });
  }

  @Test
  void every_notifier_bean_is_told_in_order() {
    java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner.withBean("second", dev.aims.oversight.Notifier.class, () -> new OrderedNotifier(2, "second", told))
        .withBean("first", dev.aims.oversight.Notifier.class, () -> new OrderedNotifier(1, "first", told))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          ctx.getBean(Aims.class).system("loans").useCase("credit").model(MODEL).feature("amount", 80_000)
              .submit(in -> new Offer(true, new Terms(0.05)));
          assertThat(told).containsExactly("first REQUESTED", "second REQUESTED");
        });
  }

  record OrderedNotifier(int order, String name, java.util.List<String> told)
      implements dev.aims.oversight.Notifier, org.springframework.core.Ordered {
    @Override
    public void notify(dev.aims.oversight.ApprovalNotice notice) {
      told.add(name + " " + notice.kind());
    }

    @Override
    public int getOrder() {
      return order;
    }
  }

  @Test
  void closing_the_context_refuses_waiting_calls_and_logs_each_refusal_before_the_log_closes() {
    java.util.concurrent.atomic.AtomicInteger finalsAtClose = new java.util.concurrent.atomic.AtomicInteger(-1);
    InMemoryDecisionLog inner = InMemoryDecisionLog.create();
    DecisionLog log = new DecisionLog() {
      @Override
      public void append(dev.aims.core.event.LogEntry entry) {
        inner.append(entry);
      }

      @Override
      public void close() {
        finalsAtClose.set(inner.events(dev.aims.core.event.EventTypes.DECISION_FINAL,
            dev.aims.core.event.DecisionEvent.class).size());
      }
    };
    java.util.List<java.util.concurrent.CompletionStage<Decision<Offer>>> waiting = new java.util.ArrayList<>();
    runner.withBean("myLog", DecisionLog.class, () -> log).run(ctx -> {
      Aims aims = ctx.getBean(Aims.class);
      for (int i = 0; i < 3; i++) {
        waiting.add(aims.system("loans").useCase("credit").model(MODEL).feature("amount", 80_000)
            .callAsync(in -> java.util.concurrent.CompletableFuture.completedFuture(new Offer(true, new Terms(0.05)))));
      }
      assertThat(aims.reviewsInFlight()).isEqualTo(3);
    });

    assertThat(finalsAtClose).as("approvals end, then the log closes").hasValue(3);
    assertThat(waiting).allSatisfy(w -> assertThat(w.toCompletableFuture()).isCompletedExceptionally()
        .failsWithin(java.time.Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(dev.aims.core.DecisionRefusedException.class,
            e -> assertThat(e.refusal()).isEqualTo(dev.aims.core.DecisionRefusedException.Cause.SHUTDOWN)));
  }

  @Test
  void redaction_rules_from_properties_apply_before_the_log() {
    runner.run(ctx -> {
      Aims aims = ctx.getBean(Aims.class);
      aims.system("loans").useCase("credit").model(MODEL).feature("amount", 10)
          .input(Map.of("name", "Ada Lovelace", "note", "write to ada@example.org"))
          .call(in -> new Offer(true, new Terms(0.05)));
      InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean(DecisionLog.class);
      String recorded = log.json(e -> e.type().startsWith("decision")).toString();
      assertThat(recorded).doesNotContain("Ada Lovelace").doesNotContain("ada@example.org");
    });
  }

  @Test
  void the_applications_meter_registry_gets_the_decision_meters() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
      Aims aims = ctx.getBean(Aims.class);
      aims.system("loans").useCase("credit").model(MODEL).feature("amount", 10).call(in -> new Offer(true, new Terms(0.05)));
      assertThat(ctx.getBean(MeterRegistry.class).find(AimsMetricNames.DECISIONS).tag("system", "loans").counters())
          .isNotEmpty();
    });
  }

  @Test
  void beans_the_application_defines_win() {
    InMemoryDecisionLog own = InMemoryDecisionLog.create();
    runner.withBean("myLog", DecisionLog.class, () -> own)
        .withBean(ReviewerContext.class, ReviewerContext::none)
        .run(ctx -> {
          assertThat(ctx).getBeans(DecisionLog.class).hasSize(1);
          assertThat(ctx.getBean(DecisionLog.class)).isSameAs(own);
          ctx.getBean(Aims.class).system("loans").useCase("credit").model(MODEL).feature("amount", 1)
              .call(in -> new Offer(true, new Terms(0.05)));
          assertThat(own.events()).extracting(AimsEvent::type).contains("decision.final");
        });
  }

  @Test
  void an_aims_builder_customizer_and_ai_system_beans_are_applied() {
    runner.withBean(AiSystem.class, () -> AiSystem.builder("chat").name("Support chat").owner("support")
            .purpose("Answer customer questions").riskTier(RiskTier.LIMITED).anyModel().build())
        .withBean(AimsBuilderCustomizer.class, () -> b -> b.maxPayloadBytes(4096))
        .run(ctx -> assertThat(ctx.getBean(Aims.class).system("chat").definition().riskTier())
            .isEqualTo(RiskTier.LIMITED));
  }

  @Test
  void the_file_log_is_the_default_and_verifies_against_the_checkpoints_it_publishes_beside_it(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("decisions");
    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + dir, "aims.log.durability=SYNC")
        .run(ctx -> {
          assertThat(ctx.getBean(DecisionLog.class)).isInstanceOf(FileDecisionLog.class);
          ctx.getBean(Aims.class).system("loans").useCase("credit").model(MODEL).feature("amount", 1)
              .call(in -> new Offer(true, new Terms(0.05)));
        });
    // the context is closed: the log was closed with it, and it verifies against its published checkpoints
    Path published = tmp.resolve("decisions.checkpoints.jsonl");
    assertThat(Files.readAllLines(published)).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("\"type\":\"log.checkpoint\""));
    assertThat(LogVerifier.verify(dir, null, published).intact()).isTrue();
  }

  @Test
  void publishing_checkpoints_can_be_sent_elsewhere_or_switched_off(@TempDir Path tmp) throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("other-disk")).resolve("anchors.jsonl");
    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + tmp.resolve("a"),
        "aims.log.checkpoints-file=" + elsewhere).run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(elsewhere).exists();
    assertThat(tmp.resolve("a.checkpoints.jsonl")).doesNotExist();

    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + tmp.resolve("b"),
        "aims.log.publish-checkpoints=false").run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(tmp.resolve("b")).isDirectory();
    assertThat(tmp.resolve("b.checkpoints.jsonl")).doesNotExist();
  }

  @Test
  void a_checkpoints_file_inside_the_log_directory_is_refused_naming_the_setting(@TempDir Path tmp) {
    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + tmp,
        "aims.log.checkpoints-file=" + tmp.resolve("anchors.jsonl"))
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("aims.log.checkpoints-file must be outside aims.log.directory"));
  }

  @Test
  void a_checkpoints_file_in_a_directory_that_does_not_exist_is_refused(@TempDir Path tmp) {
    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + tmp.resolve("decisions"),
        "aims.log.checkpoints-file=" + tmp.resolve("unmounted").resolve("anchors.jsonl"))
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("aims.log.checkpoints-file is in a directory that does not exist"));
  }

  @Test
  void the_application_s_own_checkpoint_publisher_wins(@TempDir Path tmp) {
    List<Checkpoint> published = new CopyOnWriteArrayList<>();
    runner.withPropertyValues("aims.log.type=FILE", "aims.log.directory=" + tmp.resolve("decisions"))
        .withBean(CheckpointPublisher.class, () -> published::add)
        .run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(published).isNotEmpty();
    assertThat(tmp.resolve("decisions.checkpoints.jsonl")).doesNotExist();
  }

  @Test
  void the_postgres_log_publishes_its_checkpoints_to_the_checkpoints_table() {
    AimsProperties.Log p = new AimsProperties.Log();
    p.setType(AimsProperties.LogType.POSTGRES);
    DataSource ds = org.mockito.Mockito.mock(DataSource.class);
    assertThat(AimsAutoConfiguration.checkpointPublisher(p, null, ds))
        .isInstanceOfSatisfying(PostgresCheckpointPublisher.class, c -> assertThat(c.table()).isEqualTo("aims_checkpoints"));
    p.setCheckpointsTable("audit_anchors");
    assertThat(AimsAutoConfiguration.checkpointPublisher(p, null, ds))
        .isInstanceOfSatisfying(PostgresCheckpointPublisher.class, c -> assertThat(c.table()).isEqualTo("audit_anchors"));
    p.setPublishCheckpoints(false);
    assertThat(AimsAutoConfiguration.checkpointPublisher(p, null, ds)).isNull();
  }

  @Test
  void aims_enabled_false_configures_nothing() {
    runner.withPropertyValues("aims.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(Aims.class);
      assertThat(ctx).doesNotHaveBean(ApprovalService.class);
    });
  }

  @Test
  void a_postgres_log_without_a_datasource_fails_naming_the_setting() {
    runner.withPropertyValues("aims.log.type=POSTGRES").run(ctx -> assertThat(ctx).getFailure()
        .rootCause().hasMessageContaining("aims.log.type=POSTGRES needs a DataSource"));
  }

  @Test
  void configuration_metadata_is_generated_for_ide_completion() throws Exception {
    Path metadata = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    assertThat(metadata).exists();
    String json = Files.readString(metadata);
    assertThat(json).contains("\"aims.log.publish-checkpoints\"", "\"aims.log.checkpoints-file\"",
        "\"aims.log.checkpoints-table\"");
    assertThat(json).contains("\"aims.systems\"", "\"aims.log.durability\"", "\"aims.oversight.reviewer-role\"", "\"aims.ai.system\"",
        "\"aims.ai.advisor-observation\"",
        "The AI system register, keyed by system id.");
  }
}
