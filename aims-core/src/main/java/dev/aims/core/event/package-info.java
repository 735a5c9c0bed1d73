/** Decision-log events and their canonical JSON; the format is specified in docs/decision-log.md. */
@NullMarked
package dev.aims.core.event;

import org.jspecify.annotations.NullMarked;
