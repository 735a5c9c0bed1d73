package dev.aims.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.action.ActionExecutionLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresActionExecutionLedgerTest {
  static EmbeddedPostgres pg;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void twoInstancesRacingToRunOneApprovedActionGetOneClaimBetweenThem() throws Exception {
    // two ledgers over one database, as two application instances have
    ActionExecutionLedger first = new PostgresActionExecutionLedger(pg.getPostgresDatabase());
    ActionExecutionLedger second = new PostgresActionExecutionLedger(pg.getPostgresDatabase());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 20; round++) {
        UUID decision = UUID.randomUUID();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          ActionExecutionLedger ledger = i % 2 == 0 ? first : second;
          claims.add(threads.submit(() -> {
            go.await();
            return ledger.claim(decision, "sha256:x", Instant.now());
          }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : claims) {
          won += f.get() ? 1 : 0;
        }
        assertThat(won).as("claims won in round " + round).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aClaimSurvivesARestartOfTheInstance() {
    UUID decision = UUID.randomUUID();
    assertThat(new PostgresActionExecutionLedger(pg.getPostgresDatabase()).claim(decision, "d", Instant.now())).isTrue();

    assertThat(new PostgresActionExecutionLedger(pg.getPostgresDatabase()).claim(decision, "d", Instant.now())).isFalse();
  }
}
