package dev.aims.benchmarks;

import dev.aims.core.monitor.DriftFeature;
import dev.aims.core.monitor.FleetConfig;
import dev.aims.core.monitor.FleetStore;
import dev.aims.core.monitor.Monitor;
import dev.aims.core.monitor.MonitorConfig;
import dev.aims.core.monitor.Reference;
import dev.aims.core.monitor.Window;
import dev.aims.logging.PostgresFleetStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fleet round of 10 instances × 20 numeric features (issue: drift and fairness, target ≤ 50 ms):
 * {@link #fleetRound} is {@code evaluateNow()} of one instance — its own 20 features, then publishing
 * its 20 window summaries, reading the fleet's 200, merging them and computing the 20 fleet figures —
 * against {@link #localRound}, the same monitor without fleet monitoring (what a user has without
 * the fleet), in the same run. The store is in memory or an embedded PostgreSQL on this machine.
 *
 * <p>Each instance's windows are binned count windows of 10,000 holding 5,000 values, against
 * 20,000-value references (kept as bins), so every KS p-value, local or fleet, is SciPy's
 * asymptotic one and the benchmark measures the fleet's work rather than the exact recursion.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FleetBenchmark {
  static final int INSTANCES = 10;
  static final int FEATURES = 20;
  static final int VALUES = 5_000;

  @Param({"memory", "postgres"})
  public String store;

  private Path dir;
  private EmbeddedPostgres pg;
  private final Monitor[] instances = new Monitor[INSTANCES];
  private Monitor local;
  private Connection connection;

  /**
   * One connection kept open and handed out again, as an application's connection pool does;
   * without it every call would open a new PostgreSQL session (tens of milliseconds here).
   */
  static DataSource pooled(Connection c) {
    Connection shared = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!c.getAutoCommit()) {
              c.rollback();
              c.setAutoCommit(true);
            }
            return null;
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return shared;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException, SQLException {
    FleetStore fleet;
    if (store.equals("postgres")) {
      dir = DecisionEvents.tempDir("fleet-");
      pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data"))
          .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
          .start();
      connection = pg.getPostgresDatabase().getConnection();
      fleet = PostgresFleetStore.create(pooled(connection));
    } else {
      fleet = FleetStore.inMemory();
    }
    Random rnd = new Random(20261203);
    DriftFeature[] features = new DriftFeature[FEATURES];
    for (int f = 0; f < FEATURES; f++) {
      double[] ref = new double[20_000];
      for (int i = 0; i < ref.length; i++) {
        ref[i] = f + rnd.nextGaussian();
      }
      features[f] = DriftFeature.numeric("f" + f, Reference.of(ref)).window(Window.lastDecisions(10_000));
    }
    for (int k = 0; k < INSTANCES; k++) {
      instances[k] = Monitor.create("loans", MonitorConfig.builder().drift(features)
          .evaluationInterval(Duration.ofHours(1)).fleet(FleetConfig.of(fleet, "instance-" + k)
              .staleAfter(Duration.ofDays(1))).build(), Clock.systemUTC(), Runnable::run, e -> {});
    }
    local = Monitor.create("loans", MonitorConfig.builder().drift(features).evaluationInterval(Duration.ofHours(1))
        .build(), Clock.systemUTC(), Runnable::run, e -> {});
    for (int i = 0; i < VALUES; i++) {
      for (int k = 0; k < INSTANCES; k++) {
        Map<String, Object> values = new HashMap<>();
        for (int f = 0; f < FEATURES; f++) {
          values.put("f" + f, f + 0.05 * k + rnd.nextGaussian());
        }
        instances[k].record(UUID.randomUUID(), values, null, Map.of());
        if (k == 0) {
          local.record(UUID.randomUUID(), values, null, Map.of());
        }
      }
    }
    for (Monitor m : instances) {
      m.evaluateNow();
    }
    instances[0].evaluateNow();
    if (instances[0].fleetStatus().orElseThrow().instances().size() != INSTANCES
        || instances[0].fleetDrift("f0").orElseThrow().currentCount() != (long) INSTANCES * VALUES) {
      throw new IllegalStateException("the fleet round did not merge every instance: "
          + instances[0].fleetStatus().orElseThrow());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (pg != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        throw new IOException(e);
      }
      pg.close();
      DecisionEvents.delete(dir);
    }
  }

  @Benchmark
  public Object fleetRound() {
    instances[0].evaluateNow();
    return instances[0].fleetDrift("f0").orElseThrow();
  }

  @Benchmark
  public Object localRound() {
    local.evaluateNow();
    return local.drift("f0");
  }
}
