package dev.aims.core.action;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a deferred tool call ended, as {@link GovernedAction#whenDecided} delivers it.
 *
 * @param status the final status of the proposal (APPROVED or ALLOWED if it ran or was meant to)
 * @param executed whether the tool ran (then {@code result} or {@code error} is set)
 * @param result the tool's result, when it ran and returned
 * @param error the tool's exception when it threw, or why it did not run
 */
public record ActionResult(
    UUID decisionId,
    String tool,
    ActionStatus status,
    boolean executed,
    @Nullable String result,
    @Nullable Throwable error) {}
