package dev.aims.oversight;

import static dev.aims.oversight.Fixtures.*;

import dev.aims.core.Aims;
import dev.aims.core.DecisionCall;
import dev.aims.core.InMemoryDecisionLog;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The owning instance of {@link OwnerKilledTest}, in its own JVM: makes one governed call that
 * waits for review on the shared PostgreSQL store, prints {@code waiting <request id>}, and blocks
 * until it is killed. Arguments: JDBC URL, instance id, {@code continuation} or {@code none}, and an
 * idempotency key or {@code -}. Its lease is 1 s, renewed every 100 ms, so it lapses soon after a kill.
 */
public final class OwnerProcess {
  static final Duration LEASE = Duration.ofSeconds(1);

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ApprovalService.Builder b = ApprovalService.builder().clock(Clock.systemUTC()).reviewers(new TestReviewers())
        .encoder(encoder()).instanceId(args[1]).sweepEvery(Duration.ofMillis(100)).ownerLease(LEASE)
        .store(ApprovalStore.postgres(ds)).policy(SYSTEM, oneReviewer())
        .notifier(n -> {
          if (n.kind() == ApprovalNotice.Kind.REQUESTED) {
            out.println("waiting " + n.request().id());
          }
        });
    if (args[2].equals("continuation")) {
      b.onApproved(USE_CASE, action -> out.println("continued " + action.request().id()));
    }
    ApprovalService service = b.build();
    Aims aims = Fixtures.aims(service, InMemoryDecisionLog.create(), clock(), "p-1");
    DecisionCall<Applicant> call = largeLoan(aims, 80_000);
    if (!args[3].equals("-")) {
      call.idempotencyKey(args[3]);
    }
    call.call(Fixtures::score); // blocks until the process is killed
    out.println("ended");
  }

  private OwnerProcess() {}
}
