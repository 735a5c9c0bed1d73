package dev.aims.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter2;
import ch.qos.logback.core.util.FileSize;
import dev.aims.core.event.DecisionEvent;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import dev.aims.logging.Durability;
import dev.aims.logging.FileDecisionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.AsyncLogger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing the same ~1 KB {@code decision.final} from two producer threads: AIMS's
 * {@link FileDecisionLog} beside the asynchronous file loggers a user would pick instead, and the
 * disk's own fsync latency and sequential write speed, all in one run so the ratios are fair.
 *
 * <ul>
 *   <li>{@link #aimsAsync}, {@link #aimsGroup}, {@link #aimsGroupLatency}, {@link #aimsGroup64Callers}
 *       (64 threads instead of 2, to show group commit at work): {@code append(new
 *       LogEntry(event, encoder))}, so each call encodes the event, lays out and pre-hashes its
 *       record, and (GROUP) waits until its batch is forced to disk. Production defaults otherwise:
 *       queue 8192, checkpoint every 10,000 records, 64 MiB segments, no signing key.
 *   <li>{@link #log4j2AsyncLogger}: all loggers asynchronous ({@code AsyncLoggerContextSelector},
 *       LMAX Disruptor, default ring buffer of 256 Ki slots), a {@code RandomAccessFile} appender
 *       with {@code immediateFlush=false}, pattern {@code %m%n}; the message is
 *       {@code mapper.writeValueAsString(..)} of the same decision. Not durable, not chained.
 *   <li>{@link #logbackAsyncAppender}: Logback's {@code AsyncAppender} (queue 8192 like AIMS,
 *       {@code discardingThreshold=0} and {@code neverBlock=false} so it never drops INFO events)
 *       over a {@code FileAppender} ({@code immediateFlush=false}, 256 KiB buffer), pattern
 *       {@code %m%n}, same message. Logback is used through its own {@code LoggerContext}, not as
 *       the SLF4J provider.
 *   <li>{@link #fsyncLatency}: the disk's own cost of what GROUP waits for: append 1 KB to a file
 *       and {@code FileChannel.force(false)}, one thread.
 *   <li>{@link #sequentialWrite64MiB}: 64 MiB in 1 MiB writes to a new file, then force.
 * </ul>
 *
 * Every file goes to a fresh directory under {@code benchmarks/target/} (the project's
 * filesystem), deleted at teardown. Run it as described in {@code docs/performance.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(2)
public class DecisionLogBenchmark {
  static final DecisionEvent EVENT = DecisionEvents.decisionFinal();
  static final EventEncoder ENCODER = EventEncoder.plain();

  /** An AIMS file log with one durability mode in a fresh directory. */
  public abstract static class AimsLog {
    Path dir;
    FileDecisionLog log;

    abstract Durability durability();

    @Setup
    public void open() throws IOException {
      DecisionEvents.checkSameContent(EVENT);
      dir = DecisionEvents.tempDir("aims-" + durability().name().toLowerCase() + "-");
      log = FileDecisionLog.builder(dir).stream("bench").durability(durability()).open();
    }

    @TearDown
    public void close() {
      log.close();
      long bytes = DecisionEvents.sizeOf(dir);
      System.out.printf("%n[%s] %,d bytes of log written, failure: %s%n", durability(), bytes,
          log.failure().orElse("none"));
      DecisionEvents.delete(dir);
      if (bytes == 0 || log.failure().isPresent()) {
        throw new IllegalStateException("the AIMS log failed or wrote nothing; its figure is void");
      }
    }
  }

  @State(Scope.Benchmark)
  public static class AimsAsync extends AimsLog {
    @Override
    Durability durability() {
      return Durability.ASYNC;
    }
  }

  @State(Scope.Benchmark)
  public static class AimsGroup extends AimsLog {
    @Override
    Durability durability() {
      return Durability.GROUP;
    }
  }

  /** Log4j2 with every logger asynchronous (the forked JVM selects {@code AsyncLoggerContextSelector}). */
  @State(Scope.Benchmark)
  public static class Log4j2 {
    Path dir;
    org.apache.logging.log4j.core.LoggerContext context;
    org.apache.logging.log4j.Logger logger;

    @Setup
    public void start() {
      dir = DecisionEvents.tempDir("log4j2-");
      ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
      b.setConfigurationName("decision-log-benchmark");
      b.setStatusLevel(Level.WARN);
      b.add(b.newAppender("file", "RandomAccessFile")
          .addAttribute("fileName", dir.resolve("decisions.log").toString())
          .addAttribute("append", false)
          .addAttribute("immediateFlush", false)
          .add(b.newLayout("PatternLayout").addAttribute("pattern", "%m%n")));
      b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("file")));
      context = Configurator.initialize(b.build());
      logger = context.getLogger("decisions");
      if (!(logger instanceof AsyncLogger)) {
        throw new IllegalStateException("Log4j2 logger is " + logger.getClass().getName()
            + ", not an AsyncLogger: the fork must run with -Dlog4j2.contextSelector=...AsyncLoggerContextSelector");
      }
    }

    @TearDown
    public void stop() {
      Configurator.shutdown(context); // drains the ring buffer and flushes the file
      long bytes = DecisionEvents.sizeOf(dir);
      System.out.printf("%n[log4j2] %,d bytes of log written%n", bytes);
      DecisionEvents.delete(dir);
      if (bytes == 0) {
        throw new IllegalStateException("Log4j2 wrote nothing; its figure is void");
      }
    }
  }

  /** Logback's AsyncAppender over a FileAppender, configured not to drop events. */
  @State(Scope.Benchmark)
  public static class Logback {
    Path dir;
    LoggerContext context;
    ch.qos.logback.classic.Logger logger;

    @Setup
    public void start() {
      dir = DecisionEvents.tempDir("logback-");
      context = new LoggerContext();
      context.setName("decision-log-benchmark");
      // normally set by Logback's SLF4J provider, which is not in use here; without it every event fails
      context.setMDCAdapter(new LogbackMDCAdapter());
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%m%n");
      encoder.start();
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setContext(context);
      file.setName("file");
      file.setFile(dir.resolve("decisions.log").toString());
      file.setAppend(false);
      file.setImmediateFlush(false);
      file.setBufferSize(new FileSize(256 * 1024));
      file.setEncoder(encoder);
      file.start();
      AsyncAppender async = new AsyncAppender();
      async.setContext(context);
      async.setName("async");
      async.setQueueSize(8192);
      async.setDiscardingThreshold(0); // the default (queue/5) drops INFO events when 80% full
      async.setNeverBlock(false);
      async.addAppender(file);
      async.start();
      logger = context.getLogger("decisions");
      logger.setLevel(ch.qos.logback.classic.Level.INFO);
      logger.setAdditive(false);
      logger.addAppender(async);
      context.start();
    }

    @TearDown
    public void stop() {
      context.stop(); // AsyncAppender.stop drains the queue (up to maxFlushTime) and the file appender flushes
      long bytes = DecisionEvents.sizeOf(dir);
      System.out.printf("%n[logback] %,d bytes of log written%n", bytes);
      DecisionEvents.delete(dir);
      if (bytes == 0 || new StatusUtil(context).getHighestLevel(0) >= Status.ERROR) {
        new StatusPrinter2().print(context);
        throw new IllegalStateException("Logback reported errors or wrote nothing; its figure is void");
      }
    }
  }

  /** A file the fsync and sequential-write probes write to. */
  @State(Scope.Thread)
  public static class Disk {
    Path dir;
    FileChannel channel;
    final ByteBuffer oneKb = ByteBuffer.wrap(DecisionEvents.userJson(EVENT).substring(0, 1023).concat("\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    final ByteBuffer oneMib = ByteBuffer.allocateDirect(1 << 20);

    @Setup
    public void open() throws IOException {
      dir = DecisionEvents.tempDir("disk-");
      channel = FileChannel.open(dir.resolve("fsync.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      while (oneMib.hasRemaining()) {
        oneMib.put((byte) ('a' + oneMib.position() % 26));
      }
    }

    @TearDown
    public void close() throws IOException {
      channel.close();
      DecisionEvents.delete(dir);
    }
  }

  @Benchmark
  public void aimsAsync(AimsAsync s) {
    s.log.append(new LogEntry(EVENT, ENCODER));
  }

  @Benchmark
  public void aimsGroup(AimsGroup s) {
    s.log.append(new LogEntry(EVENT, ENCODER));
  }

  /** Not one of the comparisons: GROUP with many concurrent callers, where batches grow. */
  @Benchmark
  @Threads(64)
  public void aimsGroup64Callers(AimsGroup s) {
    s.log.append(new LogEntry(EVENT, ENCODER));
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void aimsGroupLatency(AimsGroup s) {
    s.log.append(new LogEntry(EVENT, ENCODER));
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector")
  public void log4j2AsyncLogger(Log4j2 s) {
    s.logger.info(DecisionEvents.userJson(EVENT));
  }

  @Benchmark
  public void logbackAsyncAppender(Logback s) {
    s.logger.info(DecisionEvents.userJson(EVENT));
  }

  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void fsyncLatency(Disk d) throws IOException {
    d.oneKb.rewind();
    d.channel.write(d.oneKb);
    d.channel.force(false);
  }

  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 5, time = 3)
  public long sequentialWrite64MiB(Disk d) throws IOException {
    Path file = d.dir.resolve("sequential.bin");
    long written = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 64; i++) {
        d.oneMib.rewind();
        written += ch.write(d.oneMib);
      }
      ch.force(false);
    }
    Files.delete(file);
    return written;
  }
}
