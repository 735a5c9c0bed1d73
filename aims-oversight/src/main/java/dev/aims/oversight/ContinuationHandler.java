package dev.aims.oversight;

/**
 * Runs an approved action when no caller is waiting for it any more: the request was made before a
 * restart, or by an instance that is gone. Registered per use case with
 * {@link ApprovalService.Builder#onApproved(String, ContinuationHandler)}. Each approval reaches
 * exactly one handler invocation across all instances sharing a store, after its digest and the
 * system's policy version were re-checked. A handler that throws is logged; the approval stays used.
 */
@FunctionalInterface
public interface ContinuationHandler {
  void resume(ApprovedAction action) throws Exception;
}
