/**
 * Governed agent actions: tool calls judged by per-tool boundaries, approved for their exact
 * (redacted) arguments, run at most once and recorded. Start at {@link dev.aims.core.action.ActionGovernor}.
 */
@NullMarked
package dev.aims.core.action;

import org.jspecify.annotations.NullMarked;
