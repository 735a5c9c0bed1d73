package dev.aims.logging;

import java.io.IOException;

/**
 * Publishes checkpoints to a second place (another disk, a PostgreSQL table), so that cutting off
 * the log's tail, or replacing the whole log, is detected by comparing the two. Called on the
 * writer thread after the checkpoint is durable; a failure is logged and counted, never fatal.
 */
@FunctionalInterface
public interface CheckpointPublisher {
  void publish(Checkpoint checkpoint) throws IOException;
}
