package dev.aims.spring;

import dev.aims.core.AiSystem;
import dev.aims.core.Aims;
import dev.aims.core.Decision;
import dev.aims.core.DecisionCall;
import dev.aims.core.ModelRef;
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
import org.springframework.beans.factory.ObjectProvider;
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
 * resolved); a mistake in it fails the first call with a message naming the method and the
 * attribute.
 */
@Aspect
public final class GovernedAspect {
  private static final ExpressionParser PARSER = new SpelExpressionParser();
  private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

  private final ObjectProvider<Aims> aims;
  private final Supplier<@Nullable String> currentUser;
  private final Map<Method, Plan> plans = new ConcurrentHashMap<>();

  /**
   * @param aims the Aims to govern with, looked up at the first call
   * @param currentUser the authenticated user's name, the default requester (null: none)
   */
  public GovernedAspect(ObjectProvider<Aims> aims, Supplier<@Nullable String> currentUser) {
    this.aims = Objects.requireNonNull(aims, "aims");
    this.currentUser = Objects.requireNonNull(currentUser, "currentUser");
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
      decision = withInput.call(in -> {
        try {
          return pjp.proceed();
        } catch (Throwable t) {
          throw new MethodFailed(t);
        }
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
      AiSystem def = aims.system(system).definition(); // an unknown system fails here, naming it
      model = model(g.model(), def);
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
      usesSpel = input != null || !features.isEmpty() || !protectedAttributes.isEmpty() || requester != null
          || action != null;
    }

    static Plan of(Method m, Governed g, Aims aims) {
      return new Plan(m, g, aims);
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
