package dev.aims.core.action;

/** Runs a tool with its arguments (JSON text) and returns its result as text. */
@FunctionalInterface
public interface ToolExecutor {
  String run(String argumentsJson) throws Exception;
}
