/** See ARCHITECTURE.md; public API of AIMS core. */
@NullMarked
package dev.aims.core.testing;

import org.jspecify.annotations.NullMarked;
