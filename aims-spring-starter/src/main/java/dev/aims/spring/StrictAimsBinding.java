package dev.aims.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses start-up when a property under {@code aims} is not one that a
 * {@code @ConfigurationProperties} class with an {@code aims} prefix binds: a typo such as
 * {@code aims.ai.sytem} or a {@code windw} inside a drift entry would otherwise be ignored and leave
 * less governance than the YAML says. Runs before the first such class is bound, so the unknown name
 * is reported before any value error it causes. The valid names come from the classes themselves
 * (see {@link AimsPropertyNames}): a property added to any of them is accepted without a list to
 * edit. Environment variables are not checked: any variable starting with {@code AIMS_} would read
 * as an {@code aims.*} property, and such variables are used for other things (for example
 * {@code AIMS_REQUIRE_TOOLS}).
 */
final class StrictAimsBinding implements BeanPostProcessor, PriorityOrdered, EnvironmentAware, BeanFactoryAware {
  private static final ConfigurationPropertyName AIMS = ConfigurationPropertyName.of("aims");

  private @Nullable Environment environment;
  private @Nullable ListableBeanFactory beanFactory;
  private volatile boolean checked;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ListableBeanFactory l ? l : null;
  }

  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE; // before Boot's binding post-processor
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
    if (!checked && beanFactory != null && environment != null && isAimsProperties(beanName)) {
      checked = true;
      check(environment, roots(beanFactory));
    }
    return bean;
  }

  private boolean isAimsProperties(String beanName) {
    ConfigurationProperties p = annotation(beanName);
    return p != null && (AIMS.equals(name(p)) || AIMS.isAncestorOf(name(p)));
  }

  private @Nullable ConfigurationProperties annotation(String beanName) {
    ListableBeanFactory f = beanFactory;
    if (f == null || !f.containsBeanDefinition(beanName)) {
      return null;
    }
    return f.findAnnotationOnBean(beanName, ConfigurationProperties.class, false);
  }

  private static ConfigurationPropertyName name(ConfigurationProperties p) {
    return ConfigurationPropertyName.of(p.prefix().isEmpty() ? p.value() : p.prefix());
  }

  /** Every {@code @ConfigurationProperties} class bound under {@code aims}, with its prefix. */
  private static List<AimsPropertyNames> roots(ListableBeanFactory f) {
    List<AimsPropertyNames> roots = new ArrayList<>();
    for (String name : f.getBeanNamesForAnnotation(ConfigurationProperties.class)) {
      ConfigurationProperties p = f.findAnnotationOnBean(name, ConfigurationProperties.class, false);
      Class<?> type = f.getType(name, false);
      if (p != null && type != null && (AIMS.equals(name(p)) || AIMS.isAncestorOf(name(p)))) {
        roots.add(new AimsPropertyNames(name(p).toString(), type));
      }
    }
    return roots;
  }

  /** @throws AimsConfigurationException listing every unknown name, each with the nearest valid one */
  static void check(Environment environment, List<AimsPropertyNames> roots) {
    Set<String> problems = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)
          || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
        continue;
      }
      iterable.filter(AIMS::isAncestorOf).stream().forEach(name -> {
        String problem = problem(name, roots);
        if (problem != null) {
          ConfigurationProperty property = source.getConfigurationProperty(name);
          Origin origin = property == null ? null : property.getOrigin();
          problems.add(origin == null ? problem : problem + " (" + origin + ")");
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new AimsConfigurationException(
          (problems.size() == 1 ? "Unknown AIMS property: " : "Unknown AIMS properties:\n  ")
              + String.join("\n  ", problems),
          "Correct or remove " + (problems.size() == 1 ? "it" : "them")
              + ": AIMS refuses a setting it does not know rather than ignore it (docs/spring.md lists every aims.* property).");
    }
  }

  /** The problem the most specific root under which the name falls finds; null when some root binds it. */
  private static @Nullable String problem(ConfigurationPropertyName name, List<AimsPropertyNames> roots) {
    String problem = null;
    int depth = -1;
    for (AimsPropertyNames root : roots) {
      if (!root.covers(name)) {
        continue;
      }
      String p = root.problem(name);
      if (p == null) {
        return null;
      }
      if (root.depth() > depth) {
        problem = p;
        depth = root.depth();
      }
    }
    return problem;
  }
}
