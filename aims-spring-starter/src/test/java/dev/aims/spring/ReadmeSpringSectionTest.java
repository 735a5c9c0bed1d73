package dev.aims.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.DecisionLog;
import dev.aims.core.InMemoryDecisionLog;
import dev.aims.core.event.DecisionEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/** The README's Spring section, as pasted: its YAML starts AIMS and its {@code @Governed} method is governed. */
class ReadmeSpringSectionTest {

  record LoanApplication(double amount) {}

  record CreditDecision(boolean approved) {}

  /** The README's method, in a bean. */
  static class CreditService {
    @Governed(system = "loans", useCase = "credit-decision", features = "amount=#application.amount")
    public CreditDecision decide(LoanApplication application) {
      return new CreditDecision(true);
    }
  }

  static String readmeYaml() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    String section = readme.substring(readme.indexOf("## Spring Boot"));
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(m.find()).as("a yaml block in the README's Spring section").isTrue();
    return m.group(1);
  }

  @Test
  void the_readme_yaml_starts_and_the_readme_method_is_governed() throws Exception {
    List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("README.md",
        new ByteArrayResource(readmeYaml().getBytes(StandardCharsets.UTF_8)));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AimsAutoConfiguration.class))
        .withInitializer(ctx -> yaml.forEach(ctx.getEnvironment().getPropertySources()::addFirst))
        .withPropertyValues("aims.log.type=MEMORY") // the README's file log, kept out of the build directory
        .withBean(CreditService.class)
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(CreditService.class).decide(new LoanApplication(1000)).approved()).isTrue();
          InMemoryDecisionLog log = (InMemoryDecisionLog) ctx.getBean(DecisionLog.class);
          assertThat(log.events("decision.final", DecisionEvent.class)).singleElement()
              .satisfies(e -> assertThat(e.system()).isEqualTo("loans"));
        });
  }
}
