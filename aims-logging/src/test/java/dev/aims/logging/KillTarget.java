package dev.aims.logging;

import dev.aims.core.Actor;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A writer process for the kill -9 test: two threads append as fast as they can and print
 * {@code ack <round>:<thread>-<n>} after each append returns, until the process is killed. Arguments:
 * the log directory, the durability, the round, the public and the private key file.
 */
public final class KillTarget {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    String round = args[2];
    java.security.KeyPair keys = new java.security.KeyPair(SigningKeys.readPublic(Path.of(args[3])),
        SigningKeys.readPrivate(Path.of(args[4])));
    FileDecisionLog log = FileDecisionLog.builder(dir).stream("kill-test").durability(durability)
        .checkpointEvery(100).signingKey(keys).open();
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    out.println("ready");
    out.flush();
    Runnable producer = () -> {
      String name = Thread.currentThread().getName();
      for (long n = 0; ; n++) {
        String id = round + ":" + name + "-" + n;
        log.append(new LogEntry(new SystemEvent("system.stopped", Instant.now(), "s", Actor.of("k", "r"), id),
            EventEncoder.plain()));
        synchronized (out) {
          out.println("ack " + id);
          out.flush();
        }
      }
    };
    Thread a = new Thread(producer, "a");
    Thread b = new Thread(producer, "b");
    a.start();
    b.start();
    a.join();
  }

  private KillTarget() {}
}
