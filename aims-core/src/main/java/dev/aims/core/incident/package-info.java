/**
 * AI incidents: opened from code or by triggers, classified (serious or not, with the reporting
 * deadline of its category), linked to decisions, reported and closed, each step in the decision
 * log; see {@link dev.aims.core.incident.Incidents}.
 */
@NullMarked
package dev.aims.core.incident;

import org.jspecify.annotations.NullMarked;
