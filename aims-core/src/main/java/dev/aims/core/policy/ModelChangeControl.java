package dev.aims.core.policy;

import dev.aims.core.AiSystem;
import dev.aims.core.ModelRef;

/**
 * Change control: a call may only use a model the register lists for its system. AIMS installs
 * both stages on every system; they are not part of user policies.
 *
 * <ul>
 *   <li>Input: a requested model that is not registered, or no model at all, is DENIED.
 *   <li>Output: a response model that differs from the requested one and is not registered goes to
 *       REVIEW (providers often answer with a dated variant of the requested model).
 *   <li>Input, HIGH risk with {@link dev.aims.core.ValidationGate#REVIEW}: a registered model that no passing
 *       validation of its declared artefact covers goes to REVIEW.
 * </ul>
 */
public final class ModelChangeControl extends SimpleBoundary {
  public static final String INPUT_ID = "aims.model-in-register";
  public static final String OUTPUT_ID = "aims.response-model-in-register";

  private static final ModelChangeControl INPUT = new ModelChangeControl(INPUT_ID, Stage.INPUT);
  private static final ModelChangeControl OUTPUT = new ModelChangeControl(OUTPUT_ID, Stage.OUTPUT);

  private ModelChangeControl(String id, Stage stage) {
    super(id, "1", stage);
  }

  public static ModelChangeControl input() {
    return INPUT;
  }

  public static ModelChangeControl output() {
    return OUTPUT;
  }

  @Override
  public Ruling evaluate(DecisionContext context) {
    AiSystem system = context.system();
    if (system.anyModel()) {
      return Ruling.allow();
    }
    if (stage() == Stage.INPUT) {
      ModelRef model = context.model();
      if (model == null) {
        return Ruling.deny("the call named no model; system '" + system.id() + "' allows " + system.allowedModels());
      }
      if (system.allows(model)) {
        return system.unvalidated(model).map(why -> Ruling.review("model " + model + " of HIGH-risk system '"
            + system.id() + "' is not validated: " + why)).orElse(Ruling.allow());
      }
      return Ruling.deny("model " + model + " is not in the register for system '" + system.id()
              + "' (allowed: " + system.allowedModels() + ")");
    }
    ModelRef response = context.responseModel();
    if (response == null || response.equals(context.model()) || system.allows(response)) {
      return Ruling.allow();
    }
    return Ruling.review("the response came from model " + response + ", which is not in the register for system '"
        + system.id() + "'");
  }
}
