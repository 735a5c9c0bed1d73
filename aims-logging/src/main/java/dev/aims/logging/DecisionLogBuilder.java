package dev.aims.logging;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every hash-chained decision log shares: its chain id, durability, checkpoints and
 * their signing key, the queue and the meters. {@link FileDecisionLog.Builder} and
 * {@link PostgresDecisionLog.Builder} add what is particular to where they write.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class DecisionLogBuilder<B extends DecisionLogBuilder<B>> {
  @Nullable String stream;
  Durability durability = Durability.GROUP;
  int checkpointEvery = 10_000;
  Duration checkpointInterval = Duration.ofMinutes(1);
  @Nullable PrivateKey signingKey;
  @Nullable PublicKey publicKey;
  @Nullable CheckpointPublisher publisher;
  int queueCapacity = 8192;
  Clock clock = Clock.systemUTC();
  @Nullable MeterRegistry meterRegistry;

  DecisionLogBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * This writer's chain id, stable across restarts of the writer so that a restart continues its
   * chain (a host or StatefulSet pod name). The file log defaults to the host name; the PostgreSQL
   * log, where many instances share one table, requires it, and two live writers must never share one.
   */
  public B stream(String stream) {
    this.stream = SettingChecks.stream(stream);
    return self();
  }

  /** SYNC, GROUP (default) or ASYNC; written into every checkpoint. */
  public B durability(Durability durability) {
    this.durability = Objects.requireNonNull(durability, "durability");
    return self();
  }

  /** A checkpoint after this many records (default 10,000). */
  public B checkpointEvery(int records) {
    this.checkpointEvery = SettingChecks.atLeast(records, 1, "checkpointEvery");
    return self();
  }

  /** A checkpoint at least this often, also when idle (default one minute). */
  public B checkpointInterval(Duration interval) {
    this.checkpointInterval = SettingChecks.positive(interval, "checkpointInterval");
    return self();
  }

  /** Signs checkpoints with Ed25519. Without a key, checkpoints carry a Merkle root but no signature. */
  public B signingKey(KeyPair keys) {
    Objects.requireNonNull(keys, "keys");
    this.signingKey = keys.getPrivate();
    this.publicKey = keys.getPublic();
    return self();
  }

  /**
   * Also publishes each checkpoint to a second place ({@link FileCheckpointPublisher},
   * {@link PostgresCheckpointPublisher}), so that a cut tail or a rewritten log is detected.
   */
  public B publishCheckpointsTo(CheckpointPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    return self();
  }

  /** Events accepted but not yet written, at most (default 8192); a full queue makes producers wait. */
  public B queueCapacity(int capacity) {
    this.queueCapacity = SettingChecks.atLeast(capacity, 1, "queueCapacity");
    return self();
  }

  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** Publishes {@code aims.log.lag} (tag {@code stream}): events accepted but not yet durable. */
  public B meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
    return self();
  }
}
