/**
 * Human oversight for AIMS: approval requests at decision boundaries, their lifecycle (PENDING →
 * APPROVED | REJECTED | EXPIRED | CANCELLED, with escalation as a step), reviewers and roles,
 * separation of duties, escalation chains, notifiers, the stop switch and approval stores. Start
 * with {@link dev.aims.oversight.ApprovalService#builder()}; see docs/oversight.md.
 */
@NullMarked
package dev.aims.oversight;

import org.jspecify.annotations.NullMarked;
