package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.DecisionDeniedException;
import dev.aims.core.DecisionLog;
import dev.aims.core.DecisionRefusedException;
import dev.aims.core.DecisionRejectedException;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.UnknownSystemException;
import dev.aims.core.Aims;
import dev.aims.core.event.DecisionEvent;
import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ApprovalService;
import dev.aims.oversight.Reviewer;
import dev.aims.oversight.Notifier;
import dev.aims.oversight.ReviewerContext;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class GovernedAspectTest {

  record Application(String applicant, double amount, double income, String ageBand) {}

  record Offer(boolean approved, double rate) {}

  /** A bean whose method is the model call. */
  static class CreditService {
    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    int calls() {
      return calls.get();
    }

    @Governed(system = "loans", useCase = "credit-decision",
        features = {"amount=#application.amount", "income=#application.income"},
        protectedAttributes = "age_band=#application.ageBand",
        requester = "#application.applicant", trustRequester = true)
    public Offer decide(Application application) {
      calls.incrementAndGet();
      return new Offer(application.amount() < 1_000_000, 0.05);
    }

    @Governed(system = "loans", useCase = "quick-check")
    public Offer quickCheck(@Feature("amount") double amount, @ProtectedAttribute("age_band") String ageBand) {
      calls.incrementAndGet();
      return new Offer(true, amount < 0 ? -1 : 0.04);
    }

    @Governed(system = "loans", useCase = "broken")
    public Offer failing(Application application) throws java.io.IOException {
      throw new java.io.IOException("scoring service unavailable");
    }

    @Governed(system = "loans", useCase = "reported", features = "amount=#application.amount", responseModel = "#result.rate() > 0.045 ? 'acme:credit-scorer:3.1' : 'credit-scorer-4'")
    public Offer reported(Application application) {
      return new Offer(true, application.amount() > 100 ? 0.05 : 0.04);
    }
  }

  /** One annotation mistake per bean, so each start-up fails for that one. */
  static class UnknownSystem {
    @Governed(system = "loan", useCase = "x")
    public Offer decide(Application application) {
      return new Offer(true, 0.1);
    }
  }

  static class UnregisteredModel {
    @Governed(system = "loans", useCase = "x", model = "acme:credit-scorer:4.0")
    public Offer decide(Application application) {
      return new Offer(true, 0.1);
    }
  }

  static class BadFeature {
    @Governed(system = "loans", useCase = "x", features = "amount #application.amount")
    public Offer decide(Application application) {
      return new Offer(true, 0.1);
    }
  }

  static class UntrustedRequester {
    @Governed(system = "loans", useCase = "x", requester = "#application.applicant")
    public Offer decide(Application application) {
      return new Offer(true, 0.1);
    }
  }

  /** Who reviews on the current thread; tests set it per thread. */
  static final ThreadLocal<@Nullable Reviewer> REVIEWER = new ThreadLocal<>();

  @Configuration(proxyBeanMethods = false)
  static class App {
    @Bean
    CreditService creditService() {
      return new CreditService();
    }

    @Bean
    ReviewerContext reviewerContext() {
      return REVIEWER::get;
    }

    /** New approval requests, in order: tests wait for theirs here instead of polling the store. */
    @Bean
    BlockingQueue<ApprovalRequest> requested() {
      return new LinkedBlockingQueue<>();
    }

    @Bean
    Notifier requestedNotifier(BlockingQueue<ApprovalRequest> requested) {
      return notice -> {
        if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
          requested.add(notice.request());
        }
      };
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AimsAutoConfiguration.class))
      .withUserConfiguration(App.class)
      .withPropertyValues(
          "aims.log.type=MEMORY",
          "aims.systems.loans.name=Loan decisions",
          "aims.systems.loans.owner=credit-risk team",
          "aims.systems.loans.purpose=Decide consumer loan applications",
          "aims.systems.loans.risk-tier=HIGH",
          "aims.systems.loans.allowed-models[0]=acme:credit-scorer:3.1",
          "aims.systems.loans.boundaries[0].id=large-loan",
          "aims.systems.loans.boundaries[0].type=FEATURE_THRESHOLD",
          "aims.systems.loans.boundaries[0].feature=amount",
          "aims.systems.loans.boundaries[0].above=50000",
          "aims.systems.loans.boundaries[1].id=negative-rate",
          "aims.systems.loans.boundaries[1].type=OUTPUT_THRESHOLD",
          "aims.systems.loans.boundaries[1].field=rate",
          "aims.systems.loans.boundaries[1].below=0",
          "aims.systems.loans.boundaries[1].verdict=DENY",
          "aims.systems.loans.review.tiers[0].role=LOAN_OFFICER",
          "aims.systems.loans.review.tiers[0].deadline=1h",
          "aims.oversight.min-rationale-length=5");

  private static List<DecisionEvent> decisions(InMemoryDecisionLog log) {
    return log.events("decision.final", DecisionEvent.class);
  }

  @Test
  void an_allowed_call_returns_the_methods_output_and_is_logged_with_its_features() {
    runner.run(ctx -> {
      CreditService service = ctx.getBean(CreditService.class);
      Offer offer = service.decide(new Application("dana", 12_000, 54_000, "30-39"));
      assertThat(offer).isEqualTo(new Offer(true, 0.05));
      assertThat(service.calls()).isEqualTo(1);
      InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean(DecisionLog.class);
      assertThat(log.json(e -> e.type().equals("decision.final")).get(0).toString())
          .contains("\"amount\":12000", "\"income\":54000", "credit-decision", "credit-scorer", "dana");
    });
  }

  @Test
  void parameter_annotations_pick_features() {
    runner.run(ctx -> {
      CreditService service = ctx.getBean(CreditService.class);
      assertThat(service.quickCheck(100, "40-49").approved()).isTrue();
      // over the threshold through the @Feature parameter: REVIEW; the blocked call ends when a reviewer rejects it
      CompletableFuture<Offer> blocked = CompletableFuture.supplyAsync(() -> service.quickCheck(90_000, "40-49"));
      ApprovalService approvals = ctx.getBean(ApprovalService.class);
      ApprovalRequest request = awaitPending(ctx);
      REVIEWER.set(Reviewer.of("olga", "LOAN_OFFICER"));
      try {
        approvals.reject(request.id(), "income not verified");
      } finally {
        REVIEWER.remove();
      }
      assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DecisionRejectedException.class);
    });
  }

  @Test
  void a_review_verdict_blocks_until_a_reviewer_approves() {
    runner.run(ctx -> {
      CreditService service = ctx.getBean(CreditService.class);
      CompletableFuture<Offer> blocked = CompletableFuture.supplyAsync(
          () -> service.decide(new Application("erik", 80_000, 90_000, "50-59")));
      ApprovalService approvals = ctx.getBean(ApprovalService.class);
      ApprovalRequest request = awaitPending(ctx);
      assertThat(request.requester()).isEqualTo("erik");
      assertThat(blocked).isNotDone();

      AtomicReference<Throwable> selfReview = new AtomicReference<>();
      REVIEWER.set(Reviewer.of(" Erik", "LOAN_OFFICER")); // the same identity by Reviewer.sameIdentity
      try {
        approvals.approve(request.id(), "looks fine to me");
      } catch (RuntimeException e) {
        selfReview.set(e);
      } finally {
        REVIEWER.remove();
      }
      assertThat(selfReview.get()).isInstanceOfSatisfying(dev.aims.oversight.ApprovalRefusedException.class,
          e -> assertThat(e.refusal()).isEqualTo(dev.aims.oversight.ApprovalRefusedException.Refusal.SELF_REVIEW));

      REVIEWER.set(Reviewer.of("olga", "LOAN_OFFICER"));
      try {
        approvals.approve(request.id(), "income verified by phone");
      } finally {
        REVIEWER.remove();
      }
      assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new Offer(true, 0.05));
    });
  }

  @Test
  void a_deny_boundary_on_the_output_throws() {
    runner.run(ctx -> assertThatThrownBy(() -> ctx.getBean(CreditService.class).quickCheck(-5, "30-39"))
        .isInstanceOf(DecisionDeniedException.class)
        .hasMessageContaining("negative-rate"));
  }

  @Test
  void the_methods_own_exception_comes_out_unchanged_and_the_failure_is_logged() {
    runner.run(ctx -> {
      assertThatThrownBy(() -> ctx.getBean(CreditService.class).failing(new Application("x", 1, 1, "30-39")))
          .isInstanceOf(java.io.IOException.class)
          .hasMessage("scoring service unavailable");
      InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean(DecisionLog.class);
      assertThat(log.json(e -> e.type().startsWith("decision")).toString()).contains("FAILED");
    });
  }

  @Test
  void a_stopped_system_refuses_the_call_without_running_the_method() {
    runner.run(ctx -> {
      ctx.getBean(Aims.class).stop("loans", "incident 42", dev.aims.core.Actor.of("carol", "AIMS_ADMIN"));
      CreditService service = ctx.getBean(CreditService.class);
      assertThatThrownBy(() -> service.decide(new Application("dana", 10, 10, "30-39")))
          .isInstanceOf(DecisionRefusedException.class);
      assertThat(service.calls()).isZero();
    });
  }

  private void startUpFails(Class<?> bean, String description, String action) {
    runner.withBean(bean).run(ctx -> {
      assertThat(ctx).hasFailed();
      org.springframework.boot.diagnostics.FailureAnalysis a = new AimsFailureAnalyzer().analyze(ctx.getStartupFailure());
      assertThat(a).isNotNull();
      assertThat(a.getDescription()).isEqualTo(description);
      assertThat(a.getAction()).isEqualTo(action);
    });
  }

  @Test
  void an_unknown_system_fails_start_up_naming_the_method_and_the_system() {
    startUpFails(UnknownSystem.class, "@Governed on UnknownSystem.decide: system = \"loan\" names no registered AI"
        + " system (registered: loans); did you mean 'loans'?", "Use a registered id, or register the system under"
        + " aims.systems.loan (name, owner, purpose, risk-tier, allowed-models).");
  }

  @Test
  void a_model_the_register_does_not_allow_fails_start_up() {
    startUpFails(UnregisteredModel.class, "@Governed on UnregisteredModel.decide: model = \"acme:credit-scorer:4.0\""
        + " is not allowed for system 'loans' (allowed: [acme:credit-scorer:3.1]).", "Name one of the allowed models,"
        + " or add it to aims.systems.loans.allowed-models (a model change, under change control).");
  }

  @Test
  void annotation_mistakes_fail_start_up_with_the_method_and_attribute_named() {
    startUpFails(BadFeature.class, "@Governed on BadFeature.decide: features entry 'amount #application.amount' is"
        + " not name=expression", "Correct the @Governed annotation of " + BadFeature.class.getName() + ".decide.");
    runner.withBean(UntrustedRequester.class).run(ctx -> assertThat(new AimsFailureAnalyzer()
        .analyze(ctx.getStartupFailure()).getDescription()).startsWith("@Governed on UntrustedRequester.decide:"
        + " requester = \"#application.applicant\" takes the requester from the method's arguments, which are request"
        + " data; set trustRequester = true to accept it"));
  }

  @Test
  void the_response_model_is_what_the_method_result_says_answered() {
    runner.run(ctx -> {
      CreditService service = ctx.getBean(CreditService.class);
      InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean(DecisionLog.class);
      service.reported(new Application("ann", 500, 1, "a"));
      assertThat(decisions(log).get(decisions(log).size() - 1).responseModel())
          .isEqualTo(dev.aims.core.ModelRef.of("acme", "credit-scorer", "3.1"));
      // another model answered: recorded as such, and change control sends it to a human
      CompletableFuture<Offer> waiting = CompletableFuture.supplyAsync(() -> service.reported(new Application("bob", 50, 1, "a")));
      ApprovalRequest pending = awaitPending(ctx);
      assertThat(pending.reasons()).extracting(dev.aims.core.policy.Reason::boundary)
          .contains(dev.aims.core.policy.ModelChangeControl.OUTPUT_ID);
      List<dev.aims.core.event.DecisionEvent> proposed = log.events("decision.proposed", dev.aims.core.event.DecisionEvent.class);
      dev.aims.core.event.DecisionEvent last = proposed.get(proposed.size() - 1);
      assertThat(waiting).isNotDone();
      assertThat(last.model()).isEqualTo(dev.aims.core.ModelRef.of("acme", "credit-scorer", "3.1"));
      assertThat(last.responseModel()).isEqualTo(dev.aims.core.ModelRef.of("acme", "credit-scorer-4", "unknown"));
    });
  }

  @SuppressWarnings("unchecked")
  private static ApprovalRequest awaitPending(org.springframework.context.ApplicationContext ctx)
      throws InterruptedException {
    ApprovalRequest r = ((BlockingQueue<ApprovalRequest>) ctx.getBean("requested")).poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no approval request was made within 10 s");
    }
    return r;
  }
}
