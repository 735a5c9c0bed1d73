/**
 * Spring Boot Actuator support: the {@code aims} endpoint (register, policy versions, stop switch,
 * log health, pending approvals) and the {@code aims} health indicator, switched on by
 * {@link dev.aims.spring.actuate.AimsActuatorAutoConfiguration}.
 */
@NullMarked
package dev.aims.spring.actuate;

import org.jspecify.annotations.NullMarked;
