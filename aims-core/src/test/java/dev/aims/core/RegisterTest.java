package dev.aims.core;

import static dev.aims.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.EventTypes;
import dev.aims.core.event.PolicyEvent;
import dev.aims.core.event.RegisterEvent;
import dev.aims.core.policy.DecisionPolicy;
import dev.aims.core.policy.NumericThreshold;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterTest {
  final InMemoryDecisionLog log = InMemoryDecisionLog.create();

  static List<AiSystem> parse(String json) throws Exception {
    return AiRegister.readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "register.json");
  }

  @Test
  void anUnknownSystemIdNamesTheRegisteredOnes() {
    Aims aims = Aims.builder().register(creditScoring()).build();
    assertThatThrownBy(() -> aims.system("credit-scorring"))
        .isInstanceOf(UnknownSystemException.class)
        .hasMessageContaining("'credit-scorring'")
        .hasMessageContaining("[credit-scoring]");
  }

  @Test
  void aModelIsReadFromProviderNameVersionAndAnythingElseIsRefusedNamingTheForm() {
    assertThat(ModelRef.parse(" openai : gpt-4o : 2024-08-06 ")).isEqualTo(ModelRef.of("openai", "gpt-4o", "2024-08-06"));
    for (String bad : new String[] {"gpt-4o", "openai:gpt-4o", "a:b:c:d", "openai::1", ":gpt-4o:1", "a:b: "}) {
      assertThatThrownBy(() -> ModelRef.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not provider:name:version");
    }
  }

  @Test
  void aDuplicateSystemIdIsRejected() {
    assertThatThrownBy(() -> Aims.builder().register(creditScoring()).register(creditScoring()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate AI system id 'credit-scoring'");
    Aims aims = Aims.builder().register(creditScoring()).build();
    assertThatThrownBy(() -> aims.register().add(creditScoring()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
  }

  @Test
  void nullOrBlankIdsFailWithTheirName() {
    assertThatThrownBy(() -> AiSystem.builder(" ")).hasMessage("id must not be blank");
    assertThatThrownBy(() -> AiSystem.builder(null)).hasMessage("id must not be null");
    Aims aims = Aims.builder().register(creditScoring()).build();
    assertThatThrownBy(() -> aims.system(null)).hasMessage("system id must not be null");
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("")).hasMessage("useCase must not be blank");
    assertThatThrownBy(() -> aims.system("credit-scoring").useCase("u").feature(" ", 1.0))
        .hasMessage("feature name must not be blank");
    assertThatThrownBy(() -> ModelRef.of("acme", "", "1")).hasMessage("name must not be blank");
  }

  @Test
  void anUnacceptableRiskSystemCannotBeRegistered() {
    assertThatThrownBy(() -> AiSystem.builder("social-scoring").owner("x").purpose("rank citizens")
        .riskTier(RiskTier.UNACCEPTABLE).anyModel().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prohibited");
  }

  @Test
  void aSystemMustListItsModelsOrSayAnyModel() {
    assertThatThrownBy(() -> AiSystem.builder("s").owner("o").purpose("p").riskTier(RiskTier.MINIMAL).build())
        .hasMessageContaining("allows no model");
  }

  @Test
  void invalidBuilderSettingsFailAtBuildWithTheParameterName() {
    assertThatThrownBy(() -> Aims.builder().maxPayloadBytes(10)).hasMessageContaining("maxPayloadBytes");
    assertThatThrownBy(() -> Aims.builder().decisionLog(log).decisionLog(log))
        .hasMessage("decisionLog was already set");
    assertThatThrownBy(() -> Aims.builder().clock(null)).hasMessage("clock must not be null");
    assertThatThrownBy(() -> Aims.builder().register(creditScoring())
        .policy("credit-scorin", DecisionPolicy.none()).build())
        .hasMessageContaining("policy(credit-scorin)");
    assertThatThrownBy(() -> AiSystem.builder("s").owner("o").purpose("p").riskTier(RiskTier.HIGH).anyModel()
        .reviewCadence(Duration.ofDays(-1)).build()).hasMessageContaining("reviewCadence");
    assertThatThrownBy(() -> DecisionPolicy.of("v",
        NumericThreshold.onFeature("x", "a").above(1, Verdict.DENY),
        NumericThreshold.onFeature("x", "b").above(1, Verdict.DENY))).hasMessageContaining("two boundaries with id 'x'");
    assertThatThrownBy(() -> NumericThreshold.onFeature("x", "a").above(Double.NaN, Verdict.DENY))
        .hasMessageContaining("limit");
  }

  @Test
  void theRegisterLoadsFromJson(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("register.json");
    Files.writeString(file, """
        {"systems": [{
          "id": "credit-scoring", "owner": "risk-team", "purpose": "score loans", "riskTier": "high",
          "allowedModels": [{"provider": "acme", "name": "scorer", "version": "2.1"}],
          "reviewCadence": "P90D"
        }, {
          "id": "support-bot", "name": "Support bot", "owner": "support", "purpose": "answer questions",
          "riskTier": "LIMITED", "anyModel": true, "onLogFailure": "REFUSE"
        }]}
        """);

    Aims aims = Aims.builder().registerJson(file).build();

    AiSystem credit = aims.register().get("credit-scoring");
    assertThat(credit.riskTier()).isEqualTo(RiskTier.HIGH);
    assertThat(credit.allowedModels()).containsExactly(SCORER);
    assertThat(credit.reviewCadence()).isEqualTo(Duration.ofDays(90));
    assertThat(credit.onLogFailure()).isEqualTo(LogFailurePolicy.REFUSE);
    AiSystem bot = aims.register().get("support-bot");
    assertThat(bot.anyModel()).isTrue();
    assertThat(bot.onLogFailure()).isEqualTo(LogFailurePolicy.REFUSE);
    assertThat(aims.register().systems()).extracting(AiSystem::id).containsExactly("credit-scoring", "support-bot");
  }

  @Test
  void badRegisterJsonNamesTheSourceAndTheField() {
    assertThatThrownBy(() -> parse("{\"systems\":[{\"id\":\"a\",\"owner\":\"o\",\"purpose\":\"p\",\"riskTier\":\"HIHG\","
        + "\"anyModel\":true}]}"))
        .hasMessageStartingWith("register.json: systems[0].riskTier: unknown risk tier 'HIHG'");
    assertThatThrownBy(() -> parse("{\"systems\":[{\"id\":\"a\",\"owner\":\"o\",\"purpose\":\"p\",\"riskTier\":\"HIGH\","
        + "\"anyModel\":true,\"colour\":\"red\"}]}"))
        .hasMessageContaining("systems[0]: unknown field 'colour'");
    assertThatThrownBy(() -> parse("{\"systems\":[{\"id\":\"a\",\"purpose\":\"p\",\"riskTier\":\"HIGH\"}]}"))
        .hasMessageContaining("systems[0].owner: missing");
    assertThatThrownBy(() -> parse("{\"systems\":[{\"id\":\"a\",\"owner\":\"o\",\"purpose\":\"p\",\"riskTier\":\"HIGH\","
        + "\"allowedModels\":[{\"provider\":\"acme\",\"name\":\"m\"}]}]}"))
        .hasMessageContaining("systems[0].allowedModels[0].version: missing");
    assertThatThrownBy(() -> parse("{\"systems\":[{\"id\":\"a\",\"owner\":\"o\",\"purpose\":\"p\","
        + "\"riskTier\":\"UNACCEPTABLE\",\"anyModel\":true}]}"))
        .hasMessageContaining("register.json: systems[0]").hasMessageContaining("prohibited");
    assertThatThrownBy(() -> parse("{\"systems\": [}")).hasMessageContaining("register.json: not valid JSON");
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("\"systems\" array");
  }

  @Test
  void changesAfterStartAreRecorded() {
    Aims aims = Aims.builder().register(creditScoring()).decisionLog(log).build();

    aims.register().add(chatbot());
    aims.register().update(creditScoring().toBuilder().allowModel(OTHER).build());
    aims.setPolicy("credit-scoring", DecisionPolicy.of("p-2",
        NumericThreshold.onFeature("large-loan", "amount").above(1, Verdict.REVIEW)));
    aims.register().remove("support-bot");

    assertThat(log.events(EventTypes.REGISTER_CHANGED, RegisterEvent.class)).extracting(e -> e.system() + ":" + e.change())
        .containsExactly("credit-scoring:LOADED", "support-bot:ADDED", "credit-scoring:UPDATED", "support-bot:REMOVED");
    assertThat(log.events(EventTypes.POLICY_CHANGED, PolicyEvent.class)).extracting(PolicyEvent::policyVersion)
        .containsExactly("none", "p-2");
    assertThat(aims.system("credit-scoring").useCase("u").model(OTHER).input(applicant(0)).feature("amount", 0)
        .call(Fixtures::score).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThatThrownBy(() -> aims.system("support-bot")).isInstanceOf(UnknownSystemException.class);
  }
}
