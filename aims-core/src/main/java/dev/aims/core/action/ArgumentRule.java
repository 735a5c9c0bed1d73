package dev.aims.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonPointer;
import dev.aims.core.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A rule on one argument of a tool call, addressed by JSON pointer (RFC 6901, e.g. {@code /amount}
 * or {@code /recipient/email}). A rule reads the arguments before redaction; it returns null when
 * the call passes, or the verdict and why.
 */
public sealed interface ArgumentRule permits ArgumentRule.Above, ArgumentRule.AllowList {

  /** The pointer the rule reads, as given. */
  String pointer();

  @Nullable Finding check(JsonNode arguments);

  /** A non-ALLOW result of a rule. */
  record Finding(Verdict verdict, String message) {}

  /**
   * {@code verdict} when the number at {@code pointer} is above {@code limit}, e.g.
   * {@code above("/amount", 500, REVIEW)}. A value that is missing or not a number gets the same
   * verdict: a limit that cannot be checked is not passed.
   */
  static ArgumentRule above(String pointer, double limit, Verdict verdict) {
    return new Above(pointer, limit, verdict);
  }

  /**
   * {@code otherwise} unless the text at {@code pointer} (or, for an array, each element) ends with
   * one of {@code allowed}, compared case-insensitively, e.g.
   * {@code allowList("/to", Set.of("@acme.com"), DENY)} for recipient domains. Give whole values
   * to allow exact values only.
   */
  static ArgumentRule allowList(String pointer, Set<String> allowed, Verdict otherwise) {
    return new AllowList(pointer, allowed, otherwise);
  }

  private static JsonPointer compile(String pointer) {
    ActionChecks.requireText(pointer, "JSON pointer");
    try {
      return JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + pointer + "' is not a JSON pointer (RFC 6901, e.g. /amount): "
          + e.getMessage(), e);
    }
  }

  private static Verdict notAllow(Verdict verdict, String what) {
    Objects.requireNonNull(verdict, what);
    if (verdict == Verdict.ALLOW) {
      throw new IllegalArgumentException(what + " must be REVIEW or DENY; a rule that allows is no rule");
    }
    return verdict;
  }

  /** See {@link ArgumentRule#above}. */
  record Above(String pointer, double limit, Verdict verdict) implements ArgumentRule {
    public Above {
      compile(pointer);
      notAllow(verdict, "verdict of rule " + pointer + " > " + limit);
      if (!Double.isFinite(limit)) {
        throw new IllegalArgumentException("limit of rule on " + pointer + " must be finite, was " + limit);
      }
    }

    @Override
    public @Nullable Finding check(JsonNode arguments) {
      JsonNode value = arguments.at(compile(pointer));
      if (!value.isNumber()) {
        return new Finding(verdict, "argument " + pointer + " is missing or not a number, so the limit "
            + limit + " cannot be checked");
      }
      double v = value.doubleValue();
      return v > limit ? new Finding(verdict, "argument " + pointer + " is above " + limit) : null;
    }
  }

  /** See {@link ArgumentRule#allowList}. */
  record AllowList(String pointer, Set<String> allowed, Verdict otherwise) implements ArgumentRule {
    public AllowList {
      compile(pointer);
      notAllow(otherwise, "verdict of allow-list on " + pointer);
      allowed = Set.copyOf(allowed);
      if (allowed.isEmpty()) {
        throw new IllegalArgumentException("allow-list on " + pointer + " is empty; use a DENY verdict for the tool instead");
      }
    }

    @Override
    public @Nullable Finding check(JsonNode arguments) {
      JsonNode value = arguments.at(compile(pointer));
      List<JsonNode> values = value.isArray() ? toList(value) : List.of(value);
      if (value.isMissingNode() || value.isNull() || values.isEmpty()) {
        return new Finding(otherwise, "argument " + pointer + " is missing, so it cannot be checked against its allow-list");
      }
      for (JsonNode v : values) {
        if (!v.isTextual() || !allowedText(v.textValue())) {
          return new Finding(otherwise, "argument " + pointer + " has a value not on its allow-list " + allowed);
        }
      }
      return null;
    }

    private boolean allowedText(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      for (String a : allowed) {
        if (t.endsWith(a.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }

    private static List<JsonNode> toList(JsonNode array) {
      java.util.ArrayList<JsonNode> list = new java.util.ArrayList<>(array.size());
      array.forEach(list::add);
      return list;
    }
  }
}
