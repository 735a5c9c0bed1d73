/** The durable, tamper-evident decision log, its verifier and sinks. Format: docs/decision-log.md. */
@NullMarked
package dev.aims.logging;

import org.jspecify.annotations.NullMarked;
