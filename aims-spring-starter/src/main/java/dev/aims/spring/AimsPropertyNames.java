package dev.aims.spring;

import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Tells whether a property name is one that a {@code @ConfigurationProperties} class binds, by
 * walking the class's bean properties: a nested class continues the walk, a map takes any key and
 * continues with its value type, a list or array takes an index {@code [n]} and continues with its
 * element type, anything else (text, numbers, enums, durations, paths) ends it. Names compare in
 * Spring Boot's relaxed form, so {@code use-case}, {@code useCase} and {@code usecase} are one name.
 */
final class AimsPropertyNames {
  private final ConfigurationPropertyName prefix;
  private final Class<?> type;

  AimsPropertyNames(String prefix, Class<?> type) {
    this.prefix = ConfigurationPropertyName.of(prefix);
    this.type = type;
  }

  /** Whether {@code name} falls under this class's prefix. */
  boolean covers(ConfigurationPropertyName name) {
    return prefix.isAncestorOf(name);
  }

  /** How many elements the prefix has: a deeper prefix is the more specific class. */
  int depth() {
    return prefix.getNumberOfElements();
  }

  /** Why {@code name} is not bound, with the nearest valid name; null when it is bound (or not under the prefix). */
  @Nullable String problem(ConfigurationPropertyName name) {
    if (!prefix.isAncestorOf(name)) {
      return null;
    }
    ResolvableType current = ResolvableType.forClass(type);
    for (int i = prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
      Class<?> raw = current.resolve(Object.class);
      boolean indexed = name.isNumericIndex(i);
      if (Map.class.isAssignableFrom(raw)) {
        current = current.asMap().getGeneric(1);
        if (isOpen(current)) {
          return null;
        }
      } else if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
        if (!indexed) {
          return unknown(name, i, List.of());
        }
        current = raw.isArray() ? current.getComponentType() : current.asCollection().getGeneric(0);
      } else if (isLeaf(raw)) {
        return unknown(name, i, List.of());
      } else {
        if (indexed) {
          return unknown(name, i, properties(raw));
        }
        String element = name.getElement(i, Form.UNIFORM);
        PropertyDescriptor match = null;
        for (PropertyDescriptor d : BeanUtils.getPropertyDescriptors(raw)) {
          if (d.getReadMethod() != null && !d.getName().equals("class") && uniform(d.getName()).equals(element)) {
            match = d;
          }
        }
        if (match == null) {
          return unknown(name, i, properties(raw));
        }
        current = ResolvableType.forMethodReturnType(match.getReadMethod(), raw);
      }
    }
    return null;
  }

  private static boolean isOpen(ResolvableType type) {
    Class<?> raw = type.resolve(Object.class);
    return raw == Object.class || (Map.class.isAssignableFrom(raw) && isOpen(type.asMap().getGeneric(1)));
  }

  private static boolean isLeaf(Class<?> raw) {
    return ClassUtils.isPrimitiveOrWrapper(raw) || raw.isEnum() || raw.getName().startsWith("java.")
        || Path.class.isAssignableFrom(raw) || raw.getName().startsWith("org.springframework.util.unit.");
  }

  /** The dashed names of a class's bound properties. */
  private static List<String> properties(Class<?> raw) {
    List<String> names = new ArrayList<>();
    for (PropertyDescriptor d : BeanUtils.getPropertyDescriptors(raw)) {
      if (d.getReadMethod() != null && !d.getName().equals("class")) {
        names.add(dashed(d.getName()));
      }
    }
    return names;
  }

  private String unknown(ConfigurationPropertyName name, int at, List<String> candidates) {
    String known = prefixOf(name, at);
    String bad = known.isEmpty() ? name.toString() : known + (name.isNumericIndex(at) ? "" : ".")
        + name.getElement(at, Form.ORIGINAL);
    String typed = name.getElement(at, Form.DASHED);
    String nearest = nearest(typed, candidates);
    StringBuilder m = new StringBuilder(bad).append(" is not an AIMS property");
    if (nearest != null) {
      m.append("; did you mean ").append(known).append('.').append(nearest).append('?');
    } else if (!candidates.isEmpty()) {
      m.append("; ").append(known).append(" has ").append(String.join(", ", new TreeSet<>(candidates)));
    } else {
      m.append(" (").append(known).append(" takes a value, nothing below it)");
    }
    return m.toString();
  }

  private static String prefixOf(ConfigurationPropertyName name, int elements) {
    return name.chop(elements).toString();
  }

  /** The candidate closest to {@code typed} by edit distance, if close enough to be a typo. */
  static @Nullable String nearest(String typed, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(uniform(typed), uniform(c));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, typed.length() / 3) ? best : null;
  }

  /** Levenshtein distance (two rows). */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        row[j] = Math.min(Math.min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] t = previous;
      previous = row;
      row = t;
    }
    return previous[b.length()];
  }

  private static String uniform(String name) {
    StringBuilder s = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        s.append(Character.toLowerCase(c));
      }
    }
    return s.toString();
  }

  private static String dashed(String javaName) {
    StringBuilder s = new StringBuilder(javaName.length() + 4);
    for (char c : javaName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        s.append('-').append(Character.toLowerCase(c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }
}
