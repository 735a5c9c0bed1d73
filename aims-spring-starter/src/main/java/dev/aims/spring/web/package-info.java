/**
 * The approvals HTTP API ({@code /aims/approvals}, {@code /aims/systems/{id}/stop|resume}), the
 * reviewer console ({@code /aims/console}) and their Spring Security filter chain, switched on by
 * {@link dev.aims.spring.web.AimsWebAutoConfiguration} in servlet web applications. Errors are RFC
 * 9457 problem details; the reviewer is always the authenticated principal.
 */
@NullMarked
package dev.aims.spring.web;

import org.jspecify.annotations.NullMarked;
