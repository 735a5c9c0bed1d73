package dev.aims.core;

import java.time.Duration;

/** Governed calls of one {@link Aims} that went to review and have not written their last event yet. */
final class ReviewsInFlight {
  private int count;

  synchronized void started() {
    count++;
  }

  synchronized void ended() {
    if (--count == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return count;
  }

  /** True once none is in flight; false if {@code timeout} passed first. */
  synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
