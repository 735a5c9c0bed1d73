/** Decision boundaries and policies of AIMS core; see docs/core.md. */
@NullMarked
package dev.aims.core.policy;

import org.jspecify.annotations.NullMarked;
