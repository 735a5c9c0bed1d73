package dev.aims.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aims.core.RiskTier;
import dev.aims.core.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The decision boundary of one tool of one system: what a call of it gets before any argument is
 * looked at, the rules on its arguments, how often a conversation may call it, and which arguments
 * are personal data.
 *
 * <pre>{@code
 * ToolPolicy.custom("issue_refund")
 *     .description("refund a customer")
 *     .riskTier(RiskTier.LIMITED)
 *     .rule(ArgumentRule.above("/amount", 500, Verdict.REVIEW))
 *     .maxCallsPerConversation(3)
 *     .redact("/customer/email")
 *     .build();
 * }</pre>
 *
 * @param verdict what every call of the tool gets at least: by default ALLOW for MINIMAL and LIMITED
 *     tools, REVIEW for HIGH ones; UNACCEPTABLE tools are always denied
 * @param inputSchema the tool's JSON Schema for its arguments, when known; a call whose arguments do
 *     not match it is denied (the subset checked is in {@link #inputSchema()}'s docs: object type,
 *     {@code required}, property {@code type}s and {@code additionalProperties: false})
 * @param redact JSON pointers of arguments that are personal data: masked before the arguments are
 *     logged, shown to a reviewer or digested
 * @param maxCallsPerConversation at most this many calls per conversation; 0 means no bound
 */
public record ToolPolicy(
    String tool,
    String description,
    RiskTier riskTier,
    Verdict verdict,
    List<ArgumentRule> rules,
    int maxCallsPerConversation,
    List<String> redact,
    @Nullable JsonNode inputSchema) {

  public ToolPolicy {
    ActionChecks.requireText(tool, "tool name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(riskTier, "riskTier");
    Objects.requireNonNull(verdict, "verdict");
    rules = List.copyOf(rules);
    redact = List.copyOf(redact);
    if (maxCallsPerConversation < 0) {
      throw new IllegalArgumentException("maxCallsPerConversation of tool '" + tool + "' must be >= 0 (0 = no bound), was "
          + maxCallsPerConversation);
    }
    for (String pointer : redact) {
      if (!pointer.startsWith("/") || pointer.length() < 2) {
        throw new IllegalArgumentException("redact pointer '" + pointer + "' of tool '" + tool
            + "' is not a JSON pointer to an argument (e.g. /email)");
      }
    }
    if (inputSchema != null) {
      ArgumentsSchema.requireSupported(tool, inputSchema);
    }
  }

  public static Builder custom(String tool) {
    return new Builder(tool);
  }

  /** A tool with no rules: it gets what its risk tier implies (LIMITED: ALLOW). */
  public static ToolPolicy allow(String tool) {
    return custom(tool).build();
  }

  public static Builder from(ToolPolicy base) {
    Builder b = new Builder(base.tool);
    b.description = base.description;
    b.riskTier = base.riskTier;
    b.verdict = base.verdict;
    b.rules.addAll(base.rules);
    b.maxCalls = base.maxCallsPerConversation;
    b.redact.addAll(base.redact);
    b.inputSchema = base.inputSchema;
    return b;
  }

  /** Fails fast when a setting is given twice. */
  public static final class Builder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String tool;
    private String description = "";
    private RiskTier riskTier = RiskTier.LIMITED;
    private @Nullable Verdict verdict;
    private final List<ArgumentRule> rules = new ArrayList<>();
    private int maxCalls;
    private final List<String> redact = new ArrayList<>();
    private @Nullable JsonNode inputSchema;

    private Builder(String tool) {
      this.tool = ActionChecks.requireText(tool, "tool name");
    }

    /** What the reviewer is shown about the tool. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    public Builder riskTier(RiskTier tier) {
      this.riskTier = Objects.requireNonNull(tier, "riskTier");
      return this;
    }

    /** Allow, review or deny every call of the tool by its name (rules may still raise it). */
    public Builder verdict(Verdict verdict) {
      this.verdict = Objects.requireNonNull(verdict, "verdict");
      return this;
    }

    public Builder rule(ArgumentRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder maxCallsPerConversation(int max) {
      this.maxCalls = max;
      return this;
    }

    public Builder redact(String... pointers) {
      redact.addAll(List.of(pointers));
      return this;
    }

    public Builder inputSchema(@Nullable JsonNode schema) {
      this.inputSchema = schema;
      return this;
    }

    /** The schema as JSON text (e.g. Spring AI's {@code ToolDefinition.inputSchema()}). */
    public Builder inputSchema(String schemaJson) {
      try {
        this.inputSchema = JSON.readTree(schemaJson);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("input schema of tool '" + tool + "' is not valid JSON: " + e.getMessage(), e);
      }
      return this;
    }

    public ToolPolicy build() {
      Verdict v = verdict != null ? verdict : switch (riskTier) {
        case UNACCEPTABLE -> Verdict.DENY;
        case HIGH -> Verdict.REVIEW;
        case LIMITED, MINIMAL -> Verdict.ALLOW;
      };
      if (riskTier == RiskTier.UNACCEPTABLE) {
        v = Verdict.DENY;
      }
      return new ToolPolicy(tool, description, riskTier, v, rules, maxCalls, redact, inputSchema);
    }
  }
}
