package dev.aims.spring.ai;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionCall;
import dev.aims.core.DecisionDeniedException;
import dev.aims.core.GovernedSystem;
import dev.aims.core.ModelRef;
import dev.aims.core.ModelResult;
import dev.aims.core.Outcome;
import dev.aims.core.TokenUsage;
import io.micrometer.observation.ObservationPredicate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import dev.aims.spring.AuthenticatedUser;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Governs every call of a Spring AI {@code ChatClient} as one AIMS decision: the stop switch and
 * the input boundaries before the model is asked, then the output boundaries on the answer, the
 * model that really answered (from the response metadata, under the register's change control),
 * the token usage, a human review when a boundary says REVIEW, and the decision log.
 *
 * <pre>{@code
 * AimsChatAdvisor governed = AimsChatAdvisor.builder(aims)
 *     .system("support-bot").useCase("answer-customer")
 *     .model(ModelRef.of("openai", "gpt-4o", "2024-08-06"))
 *     .build();
 * ChatClient chat = ChatClient.builder(chatModel).defaultAdvisors(governed).build();
 *
 * String answer = chat.prompt().user(question)
 *     .advisors(a -> a.param(AimsChatAdvisor.featureParam("tier"), customer.tier()))
 *     .call().content();
 * }</pre>
 *
 * <p><b>What the boundaries see.</b> The decision's input is the prompt as text, one line group
 * per message ({@code "user: ..."}, {@code "system: ..."}). Its output is the answer's text (the
 * texts of all generations, joined by a blank line when a provider returns several; an answer with
 * no text, such as a bare tool call, is the empty string). Features and protected attributes come
 * from the call's advisor parameters: {@code aims.feature.<name>} and {@code aims.protected.<name>}
 * (see {@link #featureParam}, {@link #protectedParam}), and from {@link Builder#decisionDetails}.
 *
 * <p><b>Requester.</b> Who asks, who can then never review the call, is the user signed in on the
 * calling thread (Spring Security's authenticated principal name, read before a stream leaves the
 * thread; {@link Builder#requesterFrom} to change it). The {@link #REQUESTER} parameter is request
 * data and is accepted only when the advisor is built with {@link Builder#trustRequesterParam()};
 * otherwise a call carrying it fails before the model is asked.
 *
 * <p><b>Verdicts.</b> ALLOW returns the model's response, with the {@link Decision} in the
 * response context under {@link #DECISION}. DENY throws {@link DecisionDeniedException} (the
 * answer never reaches the caller). REVIEW blocks the calling thread until the approval gate
 * (usually the starter's {@code ApprovalService}) ends the review: an approval returns the
 * response unchanged; an override returns it with its text replaced by the reviewer's (one
 * generation, the metadata kept); a rejection, expiry or cancellation throws. A stopped system is
 * refused before the model is called. A failure of the model (or of the advisors after this one)
 * is recorded as FAILED and propagates unchanged.
 *
 * <p><b>Streaming.</b> A governed answer is not streamed token by token: a boundary or a reviewer
 * must see the whole answer before any of it reaches the caller. {@link #adviseStream} collects
 * the stream on a {@link Schedulers#boundedElastic() bounded elastic} thread, governs the
 * aggregated answer exactly like a call (the last chunk that reports a model and usage gives them),
 * and then replays the chunks (or one chunk with the reviewer's text, for an override). The first
 * token therefore arrives when the whole answer is governed.
 *
 * <p><b>Order.</b> By default ({@link #DEFAULT_ORDER}) the advisor runs inside Spring AI's chat
 * memory advisors (so the recorded prompt includes the conversation they add, and an answer that is
 * denied is not remembered) and outside its tool-calling advisor (so one user call is one decision,
 * however many tool rounds it takes).
 *
 * <p>Thread-safe; one instance serves every call of a client.
 */
public final class AimsChatAdvisor implements CallAdvisor, StreamAdvisor {

  /** Advisor parameter prefix for a feature: {@code aims.feature.amount} sets feature {@code amount}. */
  public static final String FEATURE_PREFIX = "aims.feature.";
  /** Advisor parameter prefix for a protected attribute: {@code aims.protected.age_band}. */
  public static final String PROTECTED_PREFIX = "aims.protected.";
  /**
   * Advisor parameter naming who asks (a service or user id) instead of the signed-in user; accepted
   * only with {@link Builder#trustRequesterParam()}. Reviewers cannot approve their own requests.
   */
  public static final String REQUESTER = "aims.requester";
  /** Response context key under which the governed {@link Decision} is returned. */
  public static final String DECISION = "aims.decision";
  /** The version given to a reported model that matches nothing in the register. */
  public static final String UNKNOWN_VERSION = "unknown";
  /** The advisor's name, as Spring AI's advisor observations tag it ({@code spring.ai.advisor.name}). */
  public static final String NAME = "AimsChatAdvisor";
  /** The GenAI operation name recorded for every call. */
  public static final String OPERATION = "chat";
  /**
   * Inside the chat memory advisors ({@link Advisor#DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER}), outside
   * the tool-calling advisor (memory + 100).
   */
  public static final int DEFAULT_ORDER = Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER + 50;

  private final Aims aims;
  private final String system;
  private final String useCase;
  private final @Nullable ModelRef model;
  private final String provider;
  private final @Nullable Function<String, ModelRef> responseModels;
  private final @Nullable BiConsumer<ChatClientRequest, DecisionCall<String>> details;
  private final int order;
  private final Scheduler streamScheduler;
  private final Supplier<@Nullable String> signedIn;
  private final boolean trustRequesterParam;
  private final boolean overrideRequestedModel;

  private AimsChatAdvisor(Builder b, String provider) {
    this.aims = b.aims;
    this.system = Objects.requireNonNull(b.system);
    this.useCase = Objects.requireNonNull(b.useCase);
    this.model = b.model;
    this.provider = provider;
    this.responseModels = b.responseModels;
    this.details = b.details;
    this.order = b.order;
    this.streamScheduler = b.streamScheduler != null ? b.streamScheduler : Schedulers.boundedElastic();
    this.signedIn = b.signedIn;
    this.trustRequesterParam = b.trustRequesterParam;
    this.overrideRequestedModel = b.overrideRequestedModel;
  }

  /** Starts an advisor governed by {@code aims}; {@link Builder#system} and {@link Builder#useCase} are required. */
  public static Builder builder(Aims aims) {
    return new Builder(aims);
  }

  /** The advisor parameter key of feature {@code name}: {@code aims.feature.<name>}. */
  public static String featureParam(String name) {
    return FEATURE_PREFIX + requireName(name, "feature");
  }

  /** The advisor parameter key of protected attribute {@code name}: {@code aims.protected.<name>}. */
  public static String protectedParam(String name) {
    return PROTECTED_PREFIX + requireName(name, "protected attribute");
  }

  /** The registered AI system this advisor governs. */
  public String system() {
    return system;
  }

  /** The use case recorded with each decision. */
  public String useCase() {
    return useCase;
  }

  /**
   * An observation predicate that turns off Spring AI's own advisor observation of AIMS advisors
   * ({@code spring.ai.advisor} with {@code spring.ai.advisor.name=AimsChatAdvisor}), which times the
   * same work AIMS already times as {@code aims.decision.duration}. Spring AI observes every advisor
   * of a call; with a meter handler that observation costs about as much as the AIMS decision
   * itself (see docs/performance.md). Register it with
   * {@code registry.observationConfig().observationPredicate(...)}; the starter declares it as a
   * bean by default (Spring Boot applies {@code ObservationPredicate} beans to its registry) unless
   * {@code aims.ai.advisor-observation=true}. Other advisors' observations and
   * the client's own ({@code spring.ai.chat.client}) are untouched.
   */
  public static ObservationPredicate withoutSpringAiAdvisorObservation() {
    return (name, context) -> !(context instanceof AdvisorObservationContext advisor
        && NAME.equals(advisor.getAdvisorName()));
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public int getOrder() {
    return order;
  }

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest original, CallAdvisorChain chain) {
    ChatClientRequest request = withModel(original);
    GovernedSystem governed = aims.system(system);
    ModelRef requested = requestedModel(request.prompt(), governed.definition());
    ChatClientResponse[] answered = new ChatClientResponse[1];
    Decision<String> decision = describe(request, governed, requested, signedIn.get()).invoke(prompt -> {
      ChatClientResponse response = chain.nextCall(request);
      answered[0] = response;
      return result(response == null ? null : response.chatResponse(), requested, governed.definition());
    });
    return governedResponse(answered[0], decision);
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    String requester = signedIn.get(); // on the caller's thread: the security context does not follow the stream
    return Mono.fromCallable(() -> governStream(request, chain, requester))
        .subscribeOn(streamScheduler)
        .flatMapMany(Flux::fromIterable);
  }

  private List<ChatClientResponse> governStream(ChatClientRequest original, StreamAdvisorChain chain,
      @Nullable String requester) {
    ChatClientRequest request = withModel(original);
    GovernedSystem governed = aims.system(system);
    ModelRef requested = requestedModel(request.prompt(), governed.definition());
    List<ChatClientResponse> chunks = new ArrayList<>();
    Decision<String> decision = describe(request, governed, requested, requester).invoke(prompt -> {
      List<ChatClientResponse> streamed = chain.nextStream(request).collectList().block();
      if (streamed != null) {
        chunks.addAll(streamed);
      }
      return aggregate(chunks, requested, governed.definition());
    });
    // aggregate() leaves at least one chunk: an empty stream is an empty answer
    ChatClientResponse last = chunks.get(chunks.size() - 1);
    if (decision.outcome() == Outcome.OVERRIDDEN) {
      return List.of(replaceText(last, decision));
    }
    chunks.set(chunks.size() - 1, withDecision(last, decision));
    return chunks;
  }

  // ---- the decision -----------------------------------------------------------------------------

  private DecisionCall<String> describe(ChatClientRequest request, GovernedSystem governed, @Nullable ModelRef requested,
      @Nullable String signedInUser) {
    DecisionCall<Object> call = governed.useCase(useCase).operation(OPERATION);
    if (requested != null) {
      call.model(requested);
    }
    DecisionCall<String> described = call.input(promptText(request.prompt()));
    String requester = signedInUser;
    for (Map.Entry<String, Object> param : request.context().entrySet()) {
      String key = param.getKey();
      if (key.equals(REQUESTER)) {
        requester = requesterParam(param.getValue());
      } else if (key.startsWith("aims.")) {
        applyParam(described, key, param.getValue());
      }
    }
    if (requester != null && !requester.isBlank()) {
      described.requester(requester);
    }
    if (details != null) {
      details.accept(request, described);
    }
    return described;
  }

  private static void applyParam(DecisionCall<String> call, String key, @Nullable Object value) {
    if (key.startsWith(FEATURE_PREFIX)) {
      String name = paramName(key, FEATURE_PREFIX);
      if (value == null) {
        call.feature(name, (String) null);
      } else if (value instanceof Number n) {
        call.feature(name, n.doubleValue());
      } else if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Boolean) {
        call.feature(name, value.toString());
      } else {
        throw new IllegalArgumentException("advisor parameter '" + key + "' must be a number, text, enum or boolean"
            + " (a feature) but was a " + value.getClass().getName());
      }
    } else if (key.startsWith(PROTECTED_PREFIX)) {
      String name = paramName(key, PROTECTED_PREFIX);
      if (value == null) {
        throw new IllegalArgumentException("advisor parameter '" + key + "' (a protected attribute) must not be null");
      }
      call.protectedAttribute(name, value.toString());
    }
  }

  private String requesterParam(@Nullable Object value) {
    if (!trustRequesterParam) {
      throw new IllegalArgumentException("advisor parameter '" + REQUESTER + "' names the requester from request data"
          + " and is not trusted: build the advisor with trustRequesterParam() (property aims.ai.trust-requester-param"
          + "=true) to accept it, or leave it out to record the signed-in user");
    }
    if (!(value instanceof CharSequence text) || text.toString().isBlank()) {
      throw new IllegalArgumentException("advisor parameter '" + REQUESTER + "' must be a non-blank text (the"
          + " requester's id) but was " + (value == null ? "null" : "a " + value.getClass().getName()));
    }
    return text.toString();
  }

  private static String paramName(String key, String prefix) {
    String name = key.substring(prefix.length());
    if (name.isBlank()) {
      throw new IllegalArgumentException("advisor parameter '" + key + "' names no " + (prefix.equals(FEATURE_PREFIX)
          ? "feature" : "protected attribute") + "; use " + prefix + "<name>");
    }
    return name;
  }

  /** The prompt as the decision's input: each message as {@code "<type>: <text>"}, one per line. */
  static String promptText(Prompt prompt) {
    List<Message> messages = prompt.getInstructions();
    if (messages.size() == 1) {
      Message only = messages.get(0);
      return only.getMessageType().getValue() + ": " + Objects.toString(only.getText(), "");
    }
    StringBuilder text = new StringBuilder(256);
    for (Message m : messages) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(m.getMessageType().getValue()).append(": ").append(Objects.toString(m.getText(), ""));
    }
    return text.toString();
  }

  // ---- models -----------------------------------------------------------------------------------

  /** With {@link Builder#overrideRequestedModel()}: the request asks for the advisor's model, whatever its options said. */
  private ChatClientRequest withModel(ChatClientRequest request) {
    ModelRef m = model;
    if (!overrideRequestedModel || m == null) {
      return request;
    }
    Prompt prompt = request.prompt();
    ChatOptions options = prompt.getOptions();
    if (options != null && m.name().equals(options.getModel())) {
      return request;
    }
    ChatOptions.Builder<?> b = options == null ? ChatOptions.builder() : options.mutate();
    return request.mutate().prompt(prompt.mutate().chatOptions(b.model(m.name()).build()).build()).build();
  }

  /**
   * The model the call requests: the advisor's model, unless the prompt's options name another one,
   * which is then looked up in the register like a reported model.
   */
  private @Nullable ModelRef requestedModel(Prompt prompt, AiSystem definition) {
    ChatOptions options = prompt.getOptions();
    String named = options == null ? null : options.getModel();
    if (named == null || named.isBlank() || (model != null && sameName(model, named))) {
      return model;
    }
    return resolve(named, null, definition);
  }

  /**
   * A model name as Spring AI reports it, as a {@link ModelRef}: the requested model if the name is
   * its name (or {@code name-version}); else the one registered model of the provider with that
   * name (or {@code name-version}); else the name with version {@value #UNKNOWN_VERSION}, which
   * change control sends to REVIEW.
   */
  private ModelRef resolve(String reported, @Nullable ModelRef requested, AiSystem definition) {
    if (responseModels != null) {
      return Objects.requireNonNull(responseModels.apply(reported),
          () -> "the responseModels function returned null for model '" + reported + "'");
    }
    if (requested != null && sameName(requested, reported)) {
      return requested;
    }
    ModelRef match = null;
    for (ModelRef m : definition.allowedModels()) {
      if (m.provider().equals(provider) && sameName(m, reported)) {
        if (match != null) {
          match = null;
          break;
        }
        match = m;
      }
    }
    return match != null ? match : ModelRef.of(provider, reported, UNKNOWN_VERSION);
  }

  private static boolean sameName(ModelRef m, String reported) {
    String name = m.name();
    String version = m.version();
    return reported.equals(name)
        || (reported.length() == name.length() + 1 + version.length() && reported.startsWith(name)
            && reported.charAt(name.length()) == '-' && reported.endsWith(version));
  }

  // ---- responses --------------------------------------------------------------------------------

  private @Nullable ModelResult<String> result(@Nullable ChatResponse response, @Nullable ModelRef requested,
      AiSystem definition) {
    if (response == null) {
      return null;
    }
    ModelResult<String> result = ModelResult.of(text(response));
    ChatResponseMetadata metadata = response.getMetadata();
    String reported = metadata.getModel();
    if (reported != null && !reported.isBlank()) {
      result = result.withResponseModel(resolve(reported, requested, definition));
    }
    TokenUsage usage = usage(metadata.getUsage());
    return usage == null ? result : result.withUsage(usage);
  }

  private @Nullable ModelResult<String> aggregate(List<ChatClientResponse> chunks, @Nullable ModelRef requested,
      AiSystem definition) {
    if (chunks.isEmpty()) {
      chunks.add(ChatClientResponse.builder().chatResponse(new ChatResponse(List.of())).build());
    }
    StringBuilder text = new StringBuilder();
    String reported = null;
    TokenUsage usage = null;
    for (ChatClientResponse chunk : chunks) {
      ChatResponse response = chunk.chatResponse();
      if (response == null) {
        continue;
      }
      text.append(text(response));
      ChatResponseMetadata metadata = response.getMetadata();
      if (metadata.getModel() != null && !metadata.getModel().isBlank()) {
        reported = metadata.getModel();
      }
      TokenUsage u = usage(metadata.getUsage());
      if (u != null) {
        usage = u;
      }
    }
    ModelResult<String> result = ModelResult.of(text.toString());
    if (reported != null) {
      result = result.withResponseModel(resolve(reported, requested, definition));
    }
    return usage == null ? result : result.withUsage(usage);
  }

  private static String text(ChatResponse response) {
    List<Generation> generations = response.getResults();
    if (generations.size() == 1) {
      return Objects.toString(generations.get(0).getOutput().getText(), "");
    }
    StringBuilder text = new StringBuilder();
    for (Generation g : generations) {
      if (text.length() > 0) {
        text.append("\n\n");
      }
      text.append(Objects.toString(g.getOutput().getText(), ""));
    }
    return text.toString();
  }

  private static @Nullable TokenUsage usage(@Nullable Usage usage) {
    if (usage == null || usage instanceof EmptyUsage) {
      return null;
    }
    Integer in = usage.getPromptTokens();
    Integer out = usage.getCompletionTokens();
    if (in == null && out == null) {
      return null;
    }
    return TokenUsage.of(in == null ? 0 : Math.max(0, in), out == null ? 0 : Math.max(0, out));
  }

  private static ChatClientResponse governedResponse(ChatClientResponse response, Decision<String> decision) {
    return decision.outcome() == Outcome.OVERRIDDEN ? replaceText(response, decision) : withDecision(response, decision);
  }

  private static ChatClientResponse withDecision(ChatClientResponse response, Decision<String> decision) {
    return response.mutate().context(DECISION, decision).build();
  }

  /** The response with one generation carrying the reviewer's text; the rest of the metadata kept. */
  private static ChatClientResponse replaceText(ChatClientResponse response, Decision<String> decision) {
    ChatResponse original = response.chatResponse();
    List<Generation> generations = original == null ? List.of() : original.getResults();
    ChatGenerationMetadata generationMetadata = generations.isEmpty() ? ChatGenerationMetadata.NULL
        : generations.get(0).getMetadata();
    List<Generation> reviewed = List.of(new Generation(new AssistantMessage(decision.output()), generationMetadata));
    ChatResponse replaced = original == null ? new ChatResponse(reviewed) : new ChatResponse(reviewed, original.getMetadata());
    return response.mutate().chatResponse(replaced).context(DECISION, decision).build();
  }

  private static String requireName(String name, String what) {
    Objects.requireNonNull(name, () -> what + " name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    return name;
  }

  @Override
  public String toString() {
    return "AimsChatAdvisor[system=" + system + ", useCase=" + useCase + ", model=" + model + ", order=" + order
        + (trustRequesterParam ? ", trustRequesterParam" : "") + "]";
  }

  /** Builds an {@link AimsChatAdvisor}; fails fast, naming the setting, when something is missing or wrong. */
  public static final class Builder {
    private final Aims aims;
    private @Nullable String system;
    private @Nullable String useCase;
    private @Nullable ModelRef model;
    private @Nullable String provider;
    private @Nullable Function<String, ModelRef> responseModels;
    private @Nullable BiConsumer<ChatClientRequest, DecisionCall<String>> details;
    private int order = DEFAULT_ORDER;
    private @Nullable Scheduler streamScheduler;
    private Supplier<@Nullable String> signedIn = AuthenticatedUser.supplier();
    private boolean trustRequesterParam;
    private boolean overrideRequestedModel;

    private Builder(Aims aims) {
      this.aims = Objects.requireNonNull(aims, "aims");
    }

    /** The registered AI system's id (required; it must be in the register when {@link #build} runs). */
    public Builder system(String system) {
      this.system = requireText(system, "system");
      return this;
    }

    /** The use case recorded with each decision, e.g. {@code "answer-customer"} (required). */
    public Builder useCase(String useCase) {
      this.useCase = requireText(useCase, "useCase");
      return this;
    }

    /**
     * The model the client requests. Optional when the system allows exactly one model. A prompt
     * whose options name another model requests that one instead (looked up in the register).
     */
    public Builder model(ModelRef model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * The provider given to model names the response reports, e.g. {@code "openai"}. Optional when
     * {@link #model} is set or every model the system allows has the same provider.
     */
    public Builder provider(String provider) {
      this.provider = requireText(provider, "provider");
      return this;
    }

    /** Replaces the default lookup of reported model names in the register (see the class description). */
    public Builder responseModels(Function<String, ModelRef> resolver) {
      this.responseModels = Objects.requireNonNull(resolver, "responseModels");
      return this;
    }

    /**
     * Adds features, protected attributes, a requester or an action to each decision from the
     * request, after the advisor parameters are applied, e.g.
     * {@code (request, call) -> call.feature("channel", (String) request.context().get("channel"))}.
     */
    public Builder decisionDetails(BiConsumer<ChatClientRequest, DecisionCall<String>> details) {
      this.details = Objects.requireNonNull(details, "decisionDetails");
      return this;
    }

    /** The advisor's order among the client's advisors; lower runs first (outside). Default {@link #DEFAULT_ORDER}. */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /**
     * Who asks when the call does not say, read on the calling thread. Default: the user Spring
     * Security has authenticated on that thread ({@link AuthenticatedUser#name()}), none without it.
     */
    public Builder requesterFrom(Supplier<@Nullable String> requester) {
      this.signedIn = Objects.requireNonNull(requester, "requesterFrom");
      return this;
    }

    /**
     * Opt-in: accept the {@link #REQUESTER} advisor parameter as the requester instead of the
     * signed-in user. The parameter is request data; trust it only when the person who may later
     * review the call cannot choose it (a service id, a verified token's subject). Without this a
     * call carrying it fails with {@link IllegalArgumentException}.
     */
    public Builder trustRequesterParam() {
      this.trustRequesterParam = true;
      return this;
    }

    /**
     * Every call asks the model for {@link #model}'s name, replacing the model its prompt options
     * name (Spring AI's default options included), so the model configured here is the one
     * requested and recorded. The starter sets it when {@code aims.ai.model} is set. Without it a
     * prompt naming another model requests that one.
     *
     * @throws IllegalStateException at {@link #build} if no {@link #model} is set
     */
    public Builder overrideRequestedModel() {
      this.overrideRequestedModel = true;
      return this;
    }

    /** Where streamed answers are collected and governed (and a REVIEW waits). Default: bounded elastic. */
    public Builder streamScheduler(Scheduler scheduler) {
      this.streamScheduler = Objects.requireNonNull(scheduler, "streamScheduler");
      return this;
    }

    /**
     * @throws IllegalStateException if system or useCase is missing, or no provider can be told
     * @throws dev.aims.core.UnknownSystemException if the system is not in the register
     */
    public AimsChatAdvisor build() {
      if (system == null) {
        throw new IllegalStateException("AimsChatAdvisor needs system(...): the id of a registered AI system");
      }
      if (useCase == null) {
        throw new IllegalStateException("AimsChatAdvisor for system '" + system + "' needs useCase(...)");
      }
      AiSystem definition = aims.system(system).definition();
      if (overrideRequestedModel && model == null) {
        throw new IllegalStateException("AimsChatAdvisor for system '" + system + "': overrideRequestedModel() needs"
            + " model(...)");
      }
      if (model != null && provider != null && !model.provider().equals(provider)) {
        throw new IllegalStateException("AimsChatAdvisor for system '" + system + "': provider '" + provider
            + "' differs from the model's provider '" + model.provider() + "'; set one of them");
      }
      String p = provider != null ? provider : model != null ? model.provider() : soleProvider(definition);
      if (p == null && responseModels == null) {
        throw new IllegalStateException("AimsChatAdvisor for system '" + system + "' cannot tell which provider"
            + " answers (the system allows " + (definition.anyModel() ? "any model" : definition.allowedModels())
            + "); set model(...) or provider(...)");
      }
      return new AimsChatAdvisor(this, p == null ? "unknown" : p);
    }

    private static @Nullable String soleProvider(AiSystem definition) {
      Set<String> providers = new LinkedHashSet<>();
      for (ModelRef m : definition.allowedModels()) {
        providers.add(m.provider());
      }
      return providers.size() == 1 ? providers.iterator().next() : null;
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
