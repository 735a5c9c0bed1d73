package dev.aims.logging;

import static dev.aims.logging.LogFixtures.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.Actor;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import dev.aims.core.event.SystemEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A machine crash, not only a killed process: the log writes through a {@link PowerLossDisk}
 * under heavy concurrent appends, then hundreds of crash points are taken from the trace, each
 * rebuilt into a real directory as a power loss could have left it and reopened with
 * {@link FileDecisionLog}. After every one: recovery opens the log for writing, every record
 * acknowledged before the crash (SYNC, GROUP) and every record that was forced (all modes,
 * ASYNC included) is there exactly once, each producer's records are in the order it appended
 * them, and the log verifies with the key.
 *
 * <p>{@code -Daims.powerLossCrashes=N} takes more crash points per mode (default 300, ASYNC 120);
 * {@code -Daims.powerLossSeed=S} replays one run.
 */
class PowerLossTest {
  private static final int PRODUCERS = 4;
  private static final Pattern REASON = Pattern.compile("\"reason\":\"t(\\d+)-(\\d+)\"");

  /** The reopened copies are checked and deleted at once: their own fsyncs would only slow the test down. */
  private static final LogWriter.ChannelOpener WITHOUT_FSYNC = new LogWriter.ChannelOpener() {
    @Override
    public java.nio.channels.FileChannel open(Path segment) throws IOException {
      FaultyChannel c = new FaultyChannel(java.nio.channels.FileChannel.open(segment,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
          java.nio.file.StandardOpenOption.READ));
      c.skipForce = true;
      return c;
    }

    @Override
    public void syncDirectory(Path directory) {
      // nothing to make durable
    }
  };

  @TempDir Path dir;

  /** A record whose append returned once {@code after} disk operations had completed. */
  record Ack(String id, int after) {}

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"SYNC", "GROUP", "ASYNC"})
  void acknowledgedAndForcedRecordsSurviveAPowerLossAtAnyPoint(Durability durability) throws Exception {
    long seed = Long.getLong("aims.powerLossSeed", System.nanoTime());
    int crashes = Integer.getInteger("aims.powerLossCrashes", durability == Durability.ASYNC ? 120 : 300);
    int perProducer = durability == Durability.SYNC ? 120 : 300;
    PowerLossDisk disk = new PowerLossDisk();
    List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    try (FileDecisionLog log = FileDecisionLog.builder(dir.resolve("live")).stream("power-loss")
        .durability(durability).signingKey(KEYS).checkpointEvery(64).segmentBytes(16 * 1024)
        .channelOpener(disk.opener()).open()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < PRODUCERS; t++) {
        int thread = t;
        Thread p = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int n = 0; n < perProducer; n++) {
            String id = "t" + thread + "-" + n;
            log.append(new LogEntry(new SystemEvent("system.stopped", Instant.now(), "s", Actor.of("k", "r"), id),
                EventEncoder.plain()));
            acks.add(new Ack(id, disk.completed()));
          }
        });
        p.start();
        producers.add(p);
      }
      start.countDown();
      for (Thread p : producers) {
        p.join();
      }
    }
    List<PowerLossDisk.Op> trace = disk.trace();
    assertThat(trace.stream().filter(op -> op instanceof PowerLossDisk.Create)).as("segments rotated").hasSizeGreaterThan(3);

    List<Integer> points = crashPoints(trace, crashes, new Random(seed));
    List<String> failures = new ArrayList<>();
    Path scratch = scratch();
    try {
      for (int point : points) {
        String failure = crashAndRecover(scratch.resolve("crash-" + point), durability, trace, point,
            new Random(seed * 31 + point), acks);
        if (failure != null) {
          failures.add("crash after op " + point + ": " + failure);
        }
      }
    } finally {
      deleteAll(scratch);
    }
    assertThat(failures)
        .as("%s: %d of %d crash points (of %d ops, seed %d) lost or broke the log; first: %s", durability,
            failures.size(), points.size(), trace.size(), seed, failures.isEmpty() ? "" : failures.get(0))
        .isEmpty();
  }

  /**
   * Where the crashed copies are rebuilt: in memory (/dev/shm) where there is one, since recovery
   * forces what it quarantines and hundreds of fsyncs on a shared disk would dominate the run.
   */
  private Path scratch() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return Files.createTempDirectory(shm, "aims-power-loss-");
    }
    return Files.createDirectories(dir.resolve("crashes"));
  }

  /** Just before and just after forces (where durability is decided), and anywhere. */
  private static List<Integer> crashPoints(List<PowerLossDisk.Op> trace, int count, Random random) {
    List<Integer> nearForce = new ArrayList<>();
    for (int i = 0; i < trace.size(); i++) {
      if (trace.get(i) instanceof PowerLossDisk.Force) {
        nearForce.add(i);
        nearForce.add(i + 1);
      }
    }
    Collections.shuffle(nearForce, random);
    TreeSet<Integer> points = new TreeSet<>(nearForce.subList(0, Math.min(count / 2, nearForce.size())));
    points.add(trace.size());
    while (points.size() < Math.min(count, trace.size() + 1)) {
      points.add(random.nextInt(trace.size() + 1));
    }
    return new ArrayList<>(points);
  }

  /** Rebuilds the disk after a crash at {@code point}, reopens and checks it; the problem, or null. */
  private String crashAndRecover(Path crashed, Durability durability, List<PowerLossDisk.Op> trace, int point,
      Random random, List<Ack> acks) throws IOException {
    Files.createDirectories(crashed);
    Set<String> forced = new HashSet<>();
    for (Map.Entry<Path, PowerLossDisk.FileImage> f : PowerLossDisk.crashImage(trace, point, random).entrySet()) {
      PowerLossDisk.FileImage image = f.getValue();
      if (image.exists()) {
        Files.write(crashed.resolve(f.getKey()), image.bytes());
        forced.addAll(ids(new String(image.forced(), StandardCharsets.UTF_8)));
      }
    }
    Set<String> acknowledged = new HashSet<>();
    if (durability != Durability.ASYNC) {
      synchronized (acks) {
        for (Ack a : acks) {
          if (a.after() <= point) {
            acknowledged.add(a.id());
          }
        }
      }
    }
    try {
      try (FileDecisionLog log = FileDecisionLog.builder(crashed).stream("power-loss").signingKey(KEYS)
          .channelOpener(WITHOUT_FSYNC).open()) {
        if (log.failure().isPresent()) {
          return "reopened read-only: " + log.failure().get();
        }
      }
      VerificationReport report = LogVerifier.verify(crashed, KEYS.getPublic());
      if (!report.intact()) {
        return "does not verify: " + report.problem();
      }
      List<String> logged = new ArrayList<>();
      for (Path segment : Segments.list(crashed)) {
        logged.addAll(ids(Files.readString(segment, StandardCharsets.UTF_8)));
      }
      Set<String> seen = new HashSet<>();
      Map<String, Integer> lastN = new HashMap<>();
      for (String id : logged) {
        if (!seen.add(id)) {
          return id + " is in the log twice";
        }
        String[] parts = id.substring(1).split("-");
        int n = Integer.parseInt(parts[1]);
        Integer before = lastN.put(parts[0], n);
        if (before != null && before >= n) {
          return id + " comes after t" + parts[0] + "-" + before + " (out of order)";
        }
      }
      String missing = firstMissing(acknowledged, seen);
      if (missing != null) {
        return missing + " of " + acknowledged.size() + " acknowledged records are missing";
      }
      missing = firstMissing(forced, seen);
      if (missing != null) {
        return missing + " of " + forced.size() + " forced records are missing";
      }
      return null;
    } finally {
      deleteAll(crashed);
    }
  }

  private static String firstMissing(Set<String> expected, Set<String> present) {
    List<String> missing = expected.stream().filter(id -> !present.contains(id)).sorted().toList();
    return missing.isEmpty() ? null : missing.size() + " (e.g. " + missing.get(0) + ")";
  }

  /** The producer ids of the complete lines of {@code text}, in order, repeats included. */
  private static List<String> ids(String text) {
    List<String> ids = new ArrayList<>();
    int end = text.lastIndexOf('\n');
    Matcher m = REASON.matcher(end < 0 ? "" : text.substring(0, end));
    while (m.find()) {
      ids.add("t" + m.group(1) + "-" + m.group(2));
    }
    return ids;
  }

  private static void deleteAll(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
