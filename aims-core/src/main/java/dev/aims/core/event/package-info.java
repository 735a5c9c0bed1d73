/** See ARCHITECTURE.md; public API of AIMS core. */
@NullMarked
package dev.aims.core.event;

import org.jspecify.annotations.NullMarked;
