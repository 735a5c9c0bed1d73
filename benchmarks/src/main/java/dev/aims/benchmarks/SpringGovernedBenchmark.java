package dev.aims.benchmarks;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.ModelRef;
import dev.aims.core.Outcome;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventTypes;
import dev.aims.core.policy.DecisionBoundary;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.Stage;
import dev.aims.spring.Governed;
import dev.aims.spring.GovernedAspect;
import dev.aims.spring.ai.AimsChatAdvisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * What the Spring starter adds to a Spring AI chat call, beside the same call with only what a
 * Spring AI user has anyway: the {@code ChatClient}'s own Micrometer observations (client and
 * advisor observations, timers through {@link DefaultMeterObservationHandler} on a
 * {@link SimpleMeterRegistry}).
 *
 * <ul>
 *   <li>{@link #chatObservedOnly}: {@code ChatClient} call over a local model, observation on.
 *   <li>{@link #chatWithAimsAdvisor}: the same client plus {@link AimsChatAdvisor} (Aims on the
 *       same meter registry, an in-memory decision log, change control plus one output boundary the
 *       answer never trips).
 *   <li>{@link #chatWithAimsAdvisorFiltered}: the same, with
 *       {@link AimsChatAdvisor#withoutSpringAiAdvisorObservation()} on the registry (what
 *       {@code aims.ai.advisor-observation=false} does): Spring AI no longer times the AIMS advisor a
 *       second time; its client observation and the other advisors' stay.
 *   <li>{@link #chatWithEmptyAdvisor}: the observed client plus an advisor that only passes the call
 *       on: what Spring AI's own observation charges for any advisor, AIMS or not.
 *   <li>{@link #plainBean}: a Spring bean whose method makes that observed chat call, no aspect.
 *   <li>{@link #governedBean}: the same bean with {@link Governed} on the method, called through the
 *       Spring AOP proxy the starter's {@link GovernedAspect} creates.
 * </ul>
 *
 * The model is a stub that returns one prebuilt response (a real provider's network call takes
 * milliseconds and would hide everything measured here): the ratios are the worst case. Each
 * benchmark runs in its own fork. Run it as described in {@code docs/performance.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class SpringGovernedBenchmark {
  static final String SYSTEM = "support-bot";
  static final ModelRef MODEL = ModelRef.of("openai", "gpt-4o", "2024-08-06");
  static final String ANSWER = "Your parcel left the depot this morning and arrives on Tuesday.";

  // Not final, so the JIT cannot fold the question into a constant.
  private String question = "Where is my parcel 4711?";

  private MeterRegistry meters;
  private InMemoryDecisionLog decisionLog;
  private Aims aims;
  private ChatClient observedChat;
  private ChatClient governedChat;
  private ChatClient governedChatFiltered;
  private ChatClient emptyAdvisorChat;
  private AnnotationConfigApplicationContext plainContext;
  private AnnotationConfigApplicationContext governedContext;
  private SupportAssistant plain;
  private SupportAssistant governed;

  /** A provider stand-in: one prebuilt response with the metadata a provider reports. */
  static final class CannedChatModel implements ChatModel {
    private final ChatResponse response = new ChatResponse(
        List.of(new Generation(new AssistantMessage(ANSWER), ChatGenerationMetadata.builder().finishReason("STOP").build())),
        ChatResponseMetadata.builder().id("r-1").model("gpt-4o-2024-08-06").usage(new DefaultUsage(14, 12)).build());

    @Override
    public ChatResponse call(Prompt prompt) {
      return response;
    }
  }

  /** An advisor that does nothing but pass the call on. */
  static final class PassThroughAdvisor implements CallAdvisor {
    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
      return chain.nextCall(request);
    }

    @Override
    public String getName() {
      return "PassThroughAdvisor";
    }

    @Override
    public int getOrder() {
      return AimsChatAdvisor.DEFAULT_ORDER;
    }
  }

  /** The application's bean: its method asks the (observed) chat client. */
  public static class SupportAssistant {
    private final ChatClient chat;

    public SupportAssistant(ChatClient chat) {
      this.chat = chat;
    }

    public String answer(String question) {
      return chat.prompt().user(question).call().content();
    }
  }

  /** The same bean, governed: the annotated method is what the aspect intercepts. */
  public static class GovernedSupportAssistant extends SupportAssistant {
    public GovernedSupportAssistant(ChatClient chat) {
      super(chat);
    }

    @Override
    @Governed(system = SYSTEM, useCase = "answer-customer", model = "openai:gpt-4o:2024-08-06")
    public String answer(String question) {
      return super.answer(question);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class PlainBeans {
    @Bean
    SupportAssistant assistant(ChatClient observedChat) {
      return new SupportAssistant(observedChat);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAspectJAutoProxy
  static class GovernedBeans {
    @Bean
    static GovernedAspect aimsGovernedAspect(ObjectProvider<Aims> aims) {
      return new GovernedAspect(aims, () -> null);
    }

    @Bean
    SupportAssistant assistant(ChatClient observedChat) {
      return new GovernedSupportAssistant(observedChat);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    meters = new SimpleMeterRegistry();
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    ChatModel model = new CannedChatModel();
    observedChat = ChatClient.builder(model, observations, null, null).build();

    decisionLog = InMemoryDecisionLog.keepingLast(1024);
    aims = Aims.builder()
        .register(AiSystem.builder(SYSTEM).owner("support-team").purpose("answer customers' parcel questions")
            .riskTier(RiskTier.LIMITED).allowModel(MODEL).build())
        .policy(SYSTEM, DecisionPolicy.of("2026-11", DecisionBoundary.when("answer-length", Stage.OUTPUT,
            ctx -> ctx.output() instanceof String s && s.length() > 4_000, Verdict.DENY, "answer over 4000 characters")))
        .meterRegistry(meters)
        .decisionLog(decisionLog)
        .build();
    governedChat = ChatClient.builder(model, observations, null, null)
        .defaultAdvisors(AimsChatAdvisor.builder(aims).system(SYSTEM).useCase("answer-customer").model(MODEL).build())
        .build();

    ObservationRegistry filtered = ObservationRegistry.create();
    filtered.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters))
        .observationPredicate(AimsChatAdvisor.withoutSpringAiAdvisorObservation());
    governedChatFiltered = ChatClient.builder(model, filtered, null, null)
        .defaultAdvisors(AimsChatAdvisor.builder(aims).system(SYSTEM).useCase("answer-customer").model(MODEL).build())
        .build();

    emptyAdvisorChat = ChatClient.builder(model, observations, null, null).defaultAdvisors(new PassThroughAdvisor()).build();

    plainContext = context(observedChat, PlainBeans.class);
    governedContext = context(observedChat, GovernedBeans.class);
    plain = plainContext.getBean(SupportAssistant.class);
    governed = governedContext.getBean(SupportAssistant.class);

    // Fail fast if a path is not what it claims to be: the numbers would mean something else.
    if (AopUtils.isAopProxy(plain) || !AopUtils.isAopProxy(governed)) {
      throw new IllegalStateException("the plain bean must not be proxied and the governed one must be");
    }
    requireGoverned(chatWithAimsAdvisor(), "advisor");
    requireGoverned(chatWithAimsAdvisorFiltered(), "filtered advisor");
    requireGoverned(governedBean(), "@Governed");
    if (!ANSWER.equals(chatObservedOnly()) || !ANSWER.equals(plainBean()) || !ANSWER.equals(chatWithEmptyAdvisor())) {
      throw new IllegalStateException("the ungoverned paths do not return the answer");
    }
    if (meters.find("spring.ai.chat.client").timer() == null) {
      throw new IllegalStateException("Spring AI's own observation is not recording: " + meters.getMeters());
    }
  }

  private void requireGoverned(String answer, String path) {
    List<DecisionEvent> finals = decisionLog.events(EventTypes.DECISION_FINAL, DecisionEvent.class);
    DecisionEvent last = finals.isEmpty() ? null : finals.get(finals.size() - 1);
    if (!ANSWER.equals(answer) || last == null || last.outcome() != Outcome.ALLOWED) {
      throw new IllegalStateException("the " + path + " path is not a governed ALLOW: " + last);
    }
    decisionLog.clear();
  }

  private AnnotationConfigApplicationContext context(ChatClient chat, Class<?> beans) {
    AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
    ctx.registerBean(Aims.class, () -> aims);
    ctx.registerBean("observedChat", ChatClient.class, () -> chat);
    ctx.register(beans);
    ctx.refresh();
    return ctx;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plainContext.close();
    governedContext.close();
    aims.close();
  }

  @Benchmark
  public String chatObservedOnly() {
    return observedChat.prompt().user(question).call().content();
  }

  @Benchmark
  public String chatWithAimsAdvisor() {
    return governedChat.prompt().user(question).call().content();
  }

  @Benchmark
  public String chatWithAimsAdvisorFiltered() {
    return governedChatFiltered.prompt().user(question).call().content();
  }

  @Benchmark
  public String chatWithEmptyAdvisor() {
    return emptyAdvisorChat.prompt().user(question).call().content();
  }

  @Benchmark
  public String plainBean() {
    return plain.answer(question);
  }

  @Benchmark
  public String governedBean() {
    return governed.answer(question);
  }

  /**
   * {@code interleaved [rounds] [callsPerRound]}: the four paths in one JVM, measured in short
   * alternating slices (the order rotating every round), wall-clock and thread CPU time, so that the
   * load of a shared machine falls on both sides of each ratio alike. Prints the median and the
   * quartiles of each path and of the per-round ratios. Without arguments: one call through each
   * path, as a smoke test.
   */
  public static void main(String[] args) {
    SpringGovernedBenchmark b = new SpringGovernedBenchmark();
    b.setUp();
    try {
      if (args.length > 0 && args[0].equals("interleaved")) {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        b.interleaved(rounds, calls);
      } else {
        System.out.println("observed: " + b.chatObservedOnly() + "\nadvisor: " + b.chatWithAimsAdvisor()
            + "\nadvisor, filtered: " + b.chatWithAimsAdvisorFiltered() + "\nplain bean: " + b.plainBean() + "\n@Governed bean: " + b.governedBean());
      }
    } finally {
      b.tearDown();
    }
  }

  static volatile int sink;

  private void interleaved(int rounds, int calls) {
    String[] names = {"chatObservedOnly", "chatWithAimsAdvisor", "plainBean", "governedBean",
        "chatWithAimsAdvisorFiltered", "chatWithEmptyAdvisor"};
    List<java.util.function.Supplier<String>> paths = List.of(this::chatObservedOnly, this::chatWithAimsAdvisor,
        this::plainBean, this::governedBean, this::chatWithAimsAdvisorFiltered, this::chatWithEmptyAdvisor);
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double[][] wall = new double[paths.size()][rounds];
    double[][] cpu = new double[paths.size()][rounds];
    for (int r = -10; r < rounds; r++) { // ten warm-up rounds, discarded
      for (int k = 0; k < paths.size(); k++) {
        int p = (k + Math.max(r, 0)) % paths.size();
        java.util.function.Supplier<String> path = paths.get(p);
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int acc = 0;
        for (int i = 0; i < calls; i++) {
          acc += path.get().length();
        }
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        sink += acc;
        if (r >= 0) {
          wall[p][r] = (t1 - t0) / (double) calls;
          cpu[p][r] = (c1 - c0) / (double) calls;
        }
      }
      decisionLog.clear();
    }
    System.out.printf("%d rounds x %d calls per path, order rotating; ns per call: median [p25, p75]%n", rounds, calls);
    for (int p = 0; p < names.length; p++) {
      System.out.printf("  %-28s wall %s   cpu %s%n", names[p], quartiles(wall[p]), quartiles(cpu[p]));
    }
    System.out.printf("ratio advisor / observed only:    wall %s   cpu %s%n",
        quartiles(ratios(wall[1], wall[0])), quartiles(ratios(cpu[1], cpu[0])));
    System.out.printf("ratio empty advisor / observed only:   wall %s   cpu %s%n",
        quartiles(ratios(wall[5], wall[0])), quartiles(ratios(cpu[5], cpu[0])));
    System.out.printf("ratio advisor, filtered / observed only: wall %s   cpu %s%n",
        quartiles(ratios(wall[4], wall[0])), quartiles(ratios(cpu[4], cpu[0])));
    System.out.printf("ratio @Governed bean / plain bean: wall %s   cpu %s%n",
        quartiles(ratios(wall[3], wall[2])), quartiles(ratios(cpu[3], cpu[2])));
  }

  private static double[] ratios(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  private static String quartiles(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return String.format(java.util.Locale.ROOT, v[0] < 10 ? "%.3f [%.3f, %.3f]" : "%.0f [%.0f, %.0f]",
        v[v.length / 2], v[v.length / 4], v[(3 * v.length) / 4]);
  }
}
