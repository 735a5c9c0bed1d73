/**
 * Evidence reports built from verified decision-log records: {@link dev.aims.logging.report.EvidenceReport}
 * counts, in the verifier's single pass, only what verified checkpoints cover, and renders it as
 * Markdown or as HTML that prints one page per AI system.
 */
@NullMarked
package dev.aims.logging.report;

import org.jspecify.annotations.NullMarked;
