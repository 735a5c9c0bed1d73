/** Test kits for users of AIMS core (a settable clock, ...); see docs/core.md. */
@NullMarked
package dev.aims.core.testing;

import org.jspecify.annotations.NullMarked;
