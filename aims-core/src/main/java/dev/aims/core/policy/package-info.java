/** See ARCHITECTURE.md; public API of AIMS core. */
@NullMarked
package dev.aims.core.policy;

import org.jspecify.annotations.NullMarked;
