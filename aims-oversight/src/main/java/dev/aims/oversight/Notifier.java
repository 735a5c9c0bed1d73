package dev.aims.oversight;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people that a request needs them (or was escalated, or decided). Called on the thread that
 * made the change, so an implementation must return at once and do slow work elsewhere, like
 * {@link WebhookNotifier} does on its own executor. A notifier that throws is logged and ignored:
 * notices are a convenience, the store and the decision log are the record.
 */
@FunctionalInterface
public interface Notifier {

  void notify(ApprovalNotice notice);

  /** One log line per notice on the {@code dev.aims.oversight.approvals} logger (INFO). */
  static Notifier slf4j() {
    Logger log = LoggerFactory.getLogger("dev.aims.oversight.approvals");
    return notice -> {
      ApprovalRequest r = notice.request();
      log.info("approval {} {}: system={} useCase={} status={} tier={} role={} deadline={} needs={} approvedBy={}",
          notice.kind().name().toLowerCase(java.util.Locale.ROOT), r.id(), r.system(), r.useCase(), r.status(),
          r.tier(), r.requiredRole(), r.deadline(), r.approvalsRequired(), r.approvedBy().size());
    };
  }
}
