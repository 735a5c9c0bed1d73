/** Public API of AIMS core; the design is described in docs/architecture.md. */
@NullMarked
package dev.aims.core;

import org.jspecify.annotations.NullMarked;
