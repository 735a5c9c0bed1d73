/**
 * Spring AI integration: {@link dev.aims.spring.ai.AimsChatAdvisor} governs each {@code ChatClient}
 * call as an AIMS decision; {@link dev.aims.spring.ai.AimsSpringAiAutoConfiguration} offers it as a
 * bean when Spring AI is on the classpath.
 */
@NullMarked
package dev.aims.spring.ai;

import org.jspecify.annotations.NullMarked;
