package dev.aims.spring;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionCall;
import dev.aims.core.ModelRef;
import dev.aims.core.ModelResult;
import dev.aims.core.UnknownSystemException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * Applies {@link Governed}: each call of an annotated bean method becomes one governed AIMS
 * decision. What the annotation says is parsed once per method (the SpEL compiled, the model
 * resolved and checked against the register). The annotated methods of every bean are parsed at
 * start-up, once all singletons exist: a mistake (an unknown system, a model the register does not
 * allow, a malformed entry) fails start-up with an {@link AimsConfigurationException} naming the
 * method. A method the scan cannot see (a bean registered later) is parsed at its first call.
 */
@Aspect
public final class GovernedAspect implements SmartInitializingSingleton, BeanFactoryAware {
  private static final ExpressionParser PARSER = new SpelExpressionParser();
  private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

  private final ObjectProvider<Aims> aims;
  private final Supplier<@Nullable String> currentUser;
  private final Map<Method, Plan> plans = new ConcurrentHashMap<>();
  private @Nullable ListableBeanFactory beanFactory;

  /**
   * @param aims the Aims to govern with, looked up at the first call
   * @param currentUser the authenticated user's name, the default requester (null: none)
   */
  public GovernedAspect(ObjectProvider<Aims> aims, Supplier<@Nullable String> currentUser) {
    this.aims = Objects.requireNonNull(aims, "aims");
    this.currentUser = Objects.requireNonNull(currentUser, "currentUser");
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ListableBeanFactory l ? l : null;
  }

  /** Parses every {@link Governed} method of every bean now, so a mistake fails start-up, not the first call. */
  @Override
  public void afterSingletonsInstantiated() {
    ListableBeanFactory f = beanFactory;
    Aims a = aims.getIfAvailable();
    if (f == null || a == null) {
      return;
    }
    for (String name : f.getBeanDefinitionNames()) {
      Class<?> type = f.getType(name, false);
      if (type == null || !AnnotationUtils.isCandidateClass(type, Governed.class)) {
        continue;
      }
      Class<?> user = ClassUtils.getUserClass(type);
      Map<Method, Governed> annotated = MethodIntrospector.selectMethods(user,
          (MethodIntrospector.MetadataLookup<Governed>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Governed.class));
      annotated.forEach((m, g) -> {
        Method key = AopUtils.getMostSpecificMethod(m, user);
        if (!plans.containsKey(key)) {
          try {
            plans.put(key, Plan.of(key, g, a));
          } catch (AimsConfigurationException e) {
            throw e;
          } catch (RuntimeException e) {
            throw new AimsConfigurationException(e.getMessage(), "Correct the @Governed annotation of "
                + user.getName() + "." + m.getName() + ".", e);
          }
        }
      });
    }
  }

  @Around("@annotation(governed)")
  public @Nullable Object govern(ProceedingJoinPoint pjp, Governed governed) throws Throwable {
    Method method = AopUtils.getMostSpecificMethod(((MethodSignature) pjp.getSignature()).getMethod(),
        pjp.getTarget() == null ? ((MethodSignature) pjp.getSignature()).getDeclaringType() : pjp.getTarget().getClass());
    Aims a = aims.getObject();
    Plan plan = plans.computeIfAbsent(method, m -> Plan.of(m, governed, a));
    Object[] args = pjp.getArgs();
    EvaluationContext ctx = plan.usesSpel ? new MethodBasedEvaluationContext(pjp.getTarget(), method, args, NAMES) : null;

    DecisionCall<Object> call = a.system(plan.system).useCase(plan.useCase).model(plan.model);
    DecisionCall<Object> withInput = call.input(plan.input == null ? defaultInput(plan, args) : eval(plan.input, ctx, plan, "input"));
    for (int i = 0; i < plan.paramFeatures.length; i++) {
      if (plan.paramFeatures[i] != null) {
        feature(withInput, plan.paramFeatures[i], args[i]);
      }
      if (plan.paramProtected[i] != null && args[i] != null) {
        withInput.protectedAttribute(plan.paramProtected[i], String.valueOf(args[i]));
      }
    }
    for (Named n : plan.features) {
      feature(withInput, n.name, eval(n.expression, ctx, plan, "features"));
    }
    for (Named n : plan.protectedAttributes) {
      Object v = eval(n.expression, ctx, plan, "protectedAttributes");
      if (v != null) {
        withInput.protectedAttribute(n.name, String.valueOf(v));
      }
    }
    String requester = plan.requester == null ? null : asText(eval(plan.requester, ctx, plan, "requester"));
    if (requester == null || requester.isBlank()) {
      requester = currentUser.get();
    }
    if (requester != null && !requester.isBlank()) {
      withInput.requester(requester);
    }
    if (plan.action != null) {
      Object action = eval(plan.action, ctx, plan, "action");
      if (action != null) {
        withInput.action(action);
      }
    }
    Decision<Object> decision;
    try {
      decision = withInput.invoke(in -> {
        Object result;
        try {
          result = pjp.proceed();
        } catch (Throwable t) {
          throw new MethodFailed(t);
        }
        if (result == null) {
          return null; // no answer: the core records it as such
        }
        ModelResult<Object> answered = ModelResult.of(result);
        if (plan.responseModel != null) {
          ModelRef reported = plan.responseModel(result, args, pjp.getTarget(), method);
          if (reported != null) {
            answered = answered.withResponseModel(reported);
          }
        }
        return answered;
      });
    } catch (MethodFailed e) {
      throw e.getCause();
    }
    return plan.adapt(decision.output());
  }

  private static void feature(DecisionCall<?> call, String name, @Nullable Object value) {
    if (value instanceof Number n) {
      call.feature(name, n.doubleValue());
    } else if (value != null) {
      call.feature(name, String.valueOf(value));
    }
    // absent: a boundary on the feature sees it missing and asks for REVIEW
  }

  private static Object defaultInput(Plan plan, Object[] args) {
    if (args.length == 1 && args[0] != null) {
      return args[0];
    }
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      map.put(plan.parameterNames[i], args[i]);
    }
    return map;
  }

  private static @Nullable Object eval(Expression e, @Nullable EvaluationContext ctx, Plan plan, String attribute) {
    try {
      return e.getValue(ctx);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("@Governed on " + plan.where + ": " + attribute + " expression '"
          + e.getExpressionString() + "' failed: " + ex.getMessage(), ex);
    }
  }

  private static @Nullable String asText(@Nullable Object o) {
    return o == null ? null : String.valueOf(o);
  }

  /** Carries the method's own exception through the model call, to be rethrown as is. */
  private static final class MethodFailed extends Exception {
    MethodFailed(Throwable cause) {
      super(cause);
    }
  }

  private record Named(String name, Expression expression) {}

  /** What one annotated method says, parsed once. */
  private static final class Plan {
    final String where;
    final String system;
    final String useCase;
    final ModelRef model;
    final @Nullable Expression responseModel;
    final AiSystem definition;
    final @Nullable Expression input;
    final List<Named> features;
    final List<Named> protectedAttributes;
    final @Nullable Expression requester;
    final @Nullable Expression action;
    final @Nullable String[] paramFeatures;
    final @Nullable String[] paramProtected;
    final String[] parameterNames;
    final Class<?> returnType;
    final boolean usesSpel;

    private Plan(Method m, Governed g, Aims aims) {
      where = m.getDeclaringClass().getSimpleName() + "." + m.getName();
      system = g.system();
      useCase = g.useCase();
      if (m.getReturnType() == void.class) {
        throw new IllegalStateException("@Governed on " + where + ": the method must return the model's output, not void");
      }
      returnType = ClassUtils.resolvePrimitiveIfNecessary(m.getReturnType());
      AiSystem def;
      try {
        def = aims.system(system).definition();
      } catch (UnknownSystemException e) {
        throw AimsConfigurationException.unknownSystem("@Governed on " + where + ": system = \"" + system + "\"", e);
      }
      definition = def;
      model = model(g.model(), def);
      if (!def.allows(model)) {
        throw new AimsConfigurationException("@Governed on " + where + ": model = \"" + model + "\" is not allowed for"
            + " system '" + system + "' (allowed: " + def.allowedModels() + ").", "Name one of the allowed models, or"
            + " add it to aims.systems." + system + ".allowed-models (a model change, under change control).");
      }
      responseModel = g.responseModel().isBlank() ? null : parse(g.responseModel(), "responseModel");
      input = g.input().isBlank() ? null : parse(g.input(), "input");
      features = named(g.features(), "features");
      protectedAttributes = named(g.protectedAttributes(), "protectedAttributes");
      if (!g.requester().isBlank() && !g.trustRequester()) {
        throw new IllegalStateException("@Governed on " + where + ": requester = \"" + g.requester() + "\" takes the"
            + " requester from the method's arguments, which are request data; set trustRequester = true to accept it"
            + " (separation of duties then trusts it), or remove it to record the authenticated user");
      }
      requester = g.requester().isBlank() ? null : parse(g.requester(), "requester");
      action = g.action().isBlank() ? null : parse(g.action(), "action");
      int n = m.getParameterCount();
      paramFeatures = new String[n];
      paramProtected = new String[n];
      Annotation[][] annotations = m.getParameterAnnotations();
      for (int i = 0; i < n; i++) {
        for (Annotation an : annotations[i]) {
          if (an instanceof Feature f) {
            paramFeatures[i] = f.value();
          } else if (an instanceof ProtectedAttribute p) {
            paramProtected[i] = p.value();
          }
        }
      }
      String[] names = NAMES.getParameterNames(m);
      if (names == null) {
        names = new String[n];
        for (int i = 0; i < n; i++) {
          names[i] = "p" + i;
        }
      }
      parameterNames = names;
      usesSpel = responseModel != null || input != null || !features.isEmpty() || !protectedAttributes.isEmpty() || requester != null
          || action != null;
    }

    static Plan of(Method m, Governed g, Aims aims) {
      return new Plan(m, g, aims);
    }

    /**
     * What {@code responseModel} gives for this call ({@code #result} is the method's return value):
     * a {@link ModelRef}; {@code provider:name:version}; or a model name, which is the registered
     * model of that name (or {@code name-version}) when there is one, else the requested model's
     * provider with version {@code unknown} (so change control sees a model it does not know).
     */
    @Nullable ModelRef responseModel(@Nullable Object result, Object[] args, @Nullable Object target, Method method) {
      MethodBasedEvaluationContext ctx = new MethodBasedEvaluationContext(target, method, args, NAMES);
      ctx.setVariable("result", result);
      Object value = eval(Objects.requireNonNull(responseModel), ctx, this, "responseModel");
      if (value == null || value instanceof ModelRef) {
        return (ModelRef) value;
      }
      String text = String.valueOf(value).trim();
      if (text.isEmpty()) {
        return null;
      }
      if (text.contains(":")) {
        try {
          return ModelRef.parse(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("@Governed on " + where + ": responseModel gave " + e.getMessage(), e);
        }
      }
      for (ModelRef m : definition.allowedModels()) {
        if (m.name().equals(text) || text.equals(m.name() + "-" + m.version())) {
          return m;
        }
      }
      return ModelRef.of(model.provider(), text, "unknown");
    }

    private ModelRef model(String text, AiSystem def) {
      if (!text.isBlank()) {
        try {
          return ModelRef.parse(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("@Governed on " + where + ": model " + e.getMessage(), e);
        }
      }
      if (def.allowedModels().size() == 1) {
        return def.allowedModels().iterator().next();
      }
      throw new IllegalStateException("@Governed on " + where + ": system '" + system + "' allows "
          + def.allowedModels().size() + " models; name the one this method calls in model = \"provider:name:version\"");
    }

    private Expression parse(String text, String attribute) {
      try {
        return PARSER.parseExpression(text);
      } catch (ParseException e) {
        throw new IllegalStateException("@Governed on " + where + ": " + attribute + " '" + text
            + "' is not a valid SpEL expression: " + e.getMessage(), e);
      }
    }

    private List<Named> named(String[] entries, String attribute) {
      List<Named> out = new ArrayList<>();
      for (String entry : entries) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) {
          throw new IllegalStateException("@Governed on " + where + ": " + attribute + " entry '" + entry
              + "' is not name=expression");
        }
        out.add(new Named(entry.substring(0, eq).trim(), parse(entry.substring(eq + 1).trim(), attribute)));
      }
      return List.copyOf(out);
    }

    /** The decision's output as the method's return type (a reviewer's override may arrive as JSON). */
    @Nullable Object adapt(@Nullable Object output) {
      if (output == null || returnType.isInstance(output)) {
        return output;
      }
      try {
        return PropertiesTranslator.MAPPER.convertValue(output, returnType);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("@Governed on " + where + ": the decision's output (" + output.getClass().getName()
            + ") cannot be returned as " + returnType.getName() + ": " + e.getMessage(), e);
      }
    }
  }
}
