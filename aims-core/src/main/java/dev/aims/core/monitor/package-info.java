/**
 * Drift and fairness monitoring (step 9 of the governed path, docs/architecture.md): streaming statistics in fixed memory,
 * exported through Micrometer, with alarms that can turn ALLOW into REVIEW. Configure it per system
 * with {@code Aims.builder().monitor(systemId, MonitorConfig...)}; read it with
 * {@code aims.monitor(systemId)}. See docs/monitoring.md for the statistics and their rules.
 */
@NullMarked
package dev.aims.core.monitor;

import org.jspecify.annotations.NullMarked;
