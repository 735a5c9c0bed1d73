/** See ARCHITECTURE.md; public API of AIMS core. */
@NullMarked
package dev.aims.core;

import org.jspecify.annotations.NullMarked;
