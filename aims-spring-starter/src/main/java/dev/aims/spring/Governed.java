package dev.aims.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Governs a Spring bean method as an AI decision: the method is the model call, its return value
 * the output. Boundaries run before and after it, the decision is logged, a REVIEW verdict waits
 * for a human through the approval gate, a DENY throws {@code DecisionDeniedException}, and a
 * stopped system refuses the call. Expressions are SpEL over the method's arguments ({@code #name},
 * {@code #p0}, {@code #root.args}); parameters can also be marked with {@link Feature} and
 * {@link ProtectedAttribute}.
 *
 * <pre>{@code
 * @Governed(system = "loans", useCase = "credit-decision", model = "acme:credit-scorer:3.1",
 *     features = {"amount=#application.amount", "income=#application.income"},
 *     protectedAttributes = "age_band=#application.ageBand")
 * public CreditDecision decide(LoanApplication application) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Governed {

  /** The registered AI system's id. */
  String system();

  /** The use case, recorded with the decision and used to route continuations. */
  String useCase();

  /**
   * The model the method calls, {@code provider:name:version}; it must be one the register allows
   * for the system. Empty: the system's only allowed model. Checked at start-up: a model the
   * register does not allow, or an empty one for a system with several, fails start-up naming the
   * method.
   */
  String model() default "";

  /**
   * SpEL for the model that really answered, evaluated after the method returns; {@code #result}
   * is its return value, the arguments are there as elsewhere (e.g. {@code "#result.modelName"}).
   * It may give a {@code ModelRef}, {@code provider:name:version}, or a bare model name (the
   * registered model of that name, else that name with version {@code unknown}, which change
   * control then judges). Empty or null: the answer is recorded as coming from {@link #model()}.
   */
  String responseModel() default "";

  /** SpEL for the recorded input. Empty: the only argument, or a map of parameter names to arguments. */
  String input() default "";

  /** Numeric or categorical features, each {@code name=SpEL}. */
  String[] features() default {};

  /** Protected attributes for fairness metrics, each {@code name=SpEL} (the value's text is the group). */
  String[] protectedAttributes() default {};

  /**
   * SpEL for the requester, who can never review the decision. Empty (the default): the
   * authenticated user's name when Spring Security is present. An expression reads the method's
   * arguments, which usually come from the request, so it is accepted only with
   * {@link #trustRequester()}{@code = true}; otherwise the first call fails naming the method. An
   * expression that gives null or blank falls back to the authenticated user.
   */
  String requester() default "";

  /**
   * Opt-in to take the requester from {@link #requester()}'s expression instead of the
   * authenticated user. Set it only when the arguments are not chosen by the person who may later
   * review the decision (a service id, a verified token's subject): separation of duties compares
   * that text with the reviewer's identity.
   */
  boolean trustRequester() default false;

  /** SpEL for the action an approval is bound to (its digest). Empty: the approval is bound to the output. */
  String action() default "";
}
