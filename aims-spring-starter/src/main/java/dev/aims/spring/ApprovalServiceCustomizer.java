package dev.aims.spring;

import dev.aims.oversight.ApprovalService;

/**
 * Adjusts the {@link ApprovalService} the starter builds, e.g. to add continuation handlers
 * ({@code onApproved}), a notifier or review policies in Java.
 */
@FunctionalInterface
public interface ApprovalServiceCustomizer {
  void customize(ApprovalService.Builder builder);
}
