package dev.aims.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.oversight.ApprovalNotice;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.Notifier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Hands approval requests to the test as they are made, so a reviewer thread waits for one instead of sleeping. */
final class RequestsSeen implements Notifier {
  private final LinkedBlockingQueue<ApprovalRequest> requested = new LinkedBlockingQueue<>();

  @Override
  public void notify(ApprovalNotice notice) {
    if (notice.kind() == ApprovalNotice.Kind.REQUESTED) {
      requested.add(notice.request());
    }
  }

  /** The next request made, waiting up to 10 seconds. */
  ApprovalRequest next() throws InterruptedException {
    ApprovalRequest r = requested.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("an approval request within 10 s").isNotNull();
    return r;
  }
}
