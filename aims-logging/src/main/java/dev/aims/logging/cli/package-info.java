/** The {@code aims} command line: verify, report, keygen. */
@NullMarked
package dev.aims.logging.cli;

import org.jspecify.annotations.NullMarked;
