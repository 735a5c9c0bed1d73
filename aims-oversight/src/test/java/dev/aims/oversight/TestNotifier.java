package dev.aims.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects notices, so tests wait for "a request was made" instead of sleeping. */
final class TestNotifier implements Notifier {
  private final LinkedBlockingQueue<ApprovalNotice> notices = new LinkedBlockingQueue<>();
  private final List<ApprovalNotice> all = new ArrayList<>();

  @Override
  public synchronized void notify(ApprovalNotice notice) {
    all.add(notice);
    notices.add(notice);
  }

  /** The next notice of that kind (others are skipped), waiting up to 10 seconds. */
  ApprovalNotice next(ApprovalNotice.Kind kind) {
    try {
      while (true) {
        ApprovalNotice n = notices.poll(10, TimeUnit.SECONDS);
        assertThat(n).as("a %s notice within 10 s", kind).isNotNull();
        if (n.kind() == kind) {
          return n;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  ApprovalRequest nextRequest() {
    return next(ApprovalNotice.Kind.REQUESTED).request();
  }

  synchronized List<ApprovalNotice> all() {
    return List.copyOf(all);
  }
}
