package dev.aims.core;

/** Tokens a model call consumed, when the provider reports them. */
public record TokenUsage(long inputTokens, long outputTokens) {
  public TokenUsage {
    Checks.requireArgument(inputTokens >= 0, "inputTokens must be >= 0 but was %s", inputTokens);
    Checks.requireArgument(outputTokens >= 0, "outputTokens must be >= 0 but was %s", outputTokens);
  }

  public static TokenUsage of(long inputTokens, long outputTokens) {
    return new TokenUsage(inputTokens, outputTokens);
  }
}
