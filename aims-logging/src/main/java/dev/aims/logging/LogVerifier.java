package dev.aims.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a decision log directory or one segment file, so that {@link VerificationReport.Status#VERIFIED}
 * means nothing was changed, added or removed since it was signed:
 * <ul>
 *   <li>every line: its hash, valid UTF-8, exactly its own canonical form, {@code seq} continuity,
 *       the {@code prev} chain across segments, the same {@code stream}, {@code ts} in its
 *       schema's form, never going back and not in the future;
 *   <li>every checkpoint: well formed, its count, head and Merkle root, and (given the public key)
 *       its signature, by that key;
 *   <li>the log: not empty, starting at seq 1 or where a (signed) {@code log.retention} record says
 *       the records before were removed, and (given the key) every record covered by a signed
 *       checkpoint but a tail no longer than the spacing that checkpoint declares
 *       ({@code checkpoint_every} records, {@code checkpoint_interval_ms} + 60 s);
 *   <li>the anchors: each published checkpoint (signed, same stream) is in the log identically,
 *       and none is beyond its end.
 * </ul>
 * One pass, at close to the speed of SHA-256 over the bytes: lines are checked as bytes, only
 * checkpoints and retention records are parsed as JSON.
 */
public final class LogVerifier {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LogVerifier() {}

  /**
   * What to verify and against what.
   *
   * @param log a log directory or one segment file
   * @param publicKey the writer's public key, or null (then nothing is authenticated)
   * @param checkpoints files of published checkpoints ({@link FileCheckpointPublisher}) to compare with
   * @param clock the verifier's clock, for "a ts in the future"
   */
  public record Options(Path log, @Nullable PublicKey publicKey, List<Path> checkpoints, Clock clock) {
    public Options {
      Objects.requireNonNull(log, "log");
      checkpoints = List.copyOf(checkpoints);
      Objects.requireNonNull(clock, "clock");
    }

    /** {@code log} without a key or anchors, against the system clock. */
    public static Options of(Path log) {
      return new Options(log, null, List.of(), Clock.systemUTC());
    }

    public Options withPublicKey(@Nullable PublicKey key) {
      return new Options(log, key, checkpoints, clock);
    }

    public Options withCheckpoints(List<Path> files) {
      return new Options(log, publicKey, files, clock);
    }

    public Options withClock(Clock c) {
      return new Options(log, publicKey, checkpoints, c);
    }
  }

  public static VerificationReport verify(Path dirOrFile, @Nullable PublicKey key) throws IOException {
    return verify(Options.of(dirOrFile).withPublicKey(key), null);
  }

  /**
   * @param published a file of checkpoints published elsewhere ({@link FileCheckpointPublisher}), or null
   */
  public static VerificationReport verify(Path dirOrFile, @Nullable PublicKey key, @Nullable Path published)
      throws IOException {
    return verify(Options.of(dirOrFile).withPublicKey(key)
        .withCheckpoints(published == null ? List.of() : List.of(published)), null);
  }

  public static VerificationReport verify(Options options) throws IOException {
    return verify(options, null);
  }

  /**
   * Verifies, handing each line that passed the line checks to {@code listener} in the same pass.
   *
   * @throws IOException only if a file cannot be read; every finding is in the report
   */
  public static VerificationReport verify(Options options, @Nullable VerifiedRecordListener listener)
      throws IOException {
    Path path = options.log();
    VerificationRun run = new VerificationRun(options.publicKey(), options.clock(), listener);
    List<Path> files;
    if (Files.isDirectory(path)) {
      files = Segments.list(path);
      if (files.isEmpty()) {
        run.notALog("no decision log segments (decisions-<seq>.jsonl) in " + path, path.toString());
        return run.finish(path.toString(), 1, List.of());
      }
    } else {
      String why = notASegment(path);
      if (why != null) {
        run.notALog(why, path.toString());
        return run.finish(path.toString(), 1, List.of());
      }
      files = List.of(path);
    }
    long first = Segments.firstSeq(files.get(0));
    if (first == 1) {
      run.fromStart();
    } else {
      run.fromAnywhere();
    }
    for (Path file : files) {
      if (!segment(run, file)) {
        break;
      }
    }
    List<VerificationRun.Anchor> anchors = new ArrayList<>();
    for (Path published : options.checkpoints()) {
      int before = anchors.size();
      readAnchors(published, anchors);
      if (anchors.size() == before) {
        run.emptyAnchors(published.toString());
      }
    }
    return run.finish(files.get(0).getFileName().toString(), Math.max(first, 1), anchors);
  }

  /** Checks one segment's lines; false once a problem was found. */
  private static boolean segment(VerificationRun run, Path file) throws IOException {
    String name = file.getFileName().toString();
    byte[] data = Files.readAllBytes(file);
    run.addBytes(data.length);
    long named = Segments.firstSeq(file);
    if (data.length == 0) {
      run.fail(run.nextSeq() > 0 ? run.nextSeq() : Math.max(named, 1), name, 0,
          "empty segment (a log's segments are never empty)");
      return false;
    }
    int pos = 0;
    long lineNo = 0;
    while (pos < data.length) {
      lineNo++;
      int nl = indexOf(data, pos);
      if (nl < 0) {
        run.fail(run.nextSeq(), name, lineNo,
            "incomplete last line (a torn tail: opening the log with FileDecisionLog recovers it)");
        return false;
      }
      if (lineNo == 1 && named > 0 && run.nextSeq() > 0 && run.nextSeq() != named) {
        run.fail(run.nextSeq(), name, lineNo, "the segment is named for seq " + named + " but seq " + run.nextSeq()
            + " comes next in the chain");
        return false;
      }
      if (!run.line(data, pos, nl, name, lineNo)) {
        return false;
      }
      if (lineNo == 1 && named > 0 && run.nextSeq() - 1 != named) {
        run.fail(run.nextSeq() - 1, name, lineNo, "the segment is named for seq " + named + " but begins with seq "
            + (run.nextSeq() - 1));
        return false;
      }
      pos = nl + 1;
    }
    return true;
  }

  /**
   * Why {@code file} is not a decision log segment, or null if it may be one: a segment is named
   * {@code decisions-<seq>.jsonl}, or at least begins with something shaped like a record.
   */
  private static @Nullable String notASegment(Path file) throws IOException {
    if (Segments.firstSeq(file) > 0) {
      return null;
    }
    byte[] head;
    try (var in = Files.newInputStream(file)) {
      head = in.readNBytes(1 << 20);
    }
    int nl = indexOf(head, 0);
    int end = nl < 0 ? head.length : nl;
    LineScanner.Line line = LineScanner.scan(head, 0, end, Hex.sha256());
    if (head.length == 0 || (!line.valid() && (line.error().startsWith("not a complete record")
        || line.error().startsWith("no trailing") || line.error().startsWith("hash is not")))) {
      return file + " is not a decision log: its name is not decisions-<seq>.jsonl and "
          + (head.length == 0 ? "it is empty" : "its first line is not a record");
    }
    return null;
  }

  /** Reads a published-checkpoints file: each line one checkpoint, or a garbage entry naming the line. */
  static void readAnchors(Path file, List<VerificationRun.Anchor> into) throws IOException {
    byte[] data = Files.readAllBytes(file);
    String source = file.toString();
    int pos = 0;
    long lineNo = 0;
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    while (pos < data.length) {
      lineNo++;
      int nl = indexOf(data, pos);
      int end = nl < 0 ? data.length : nl;
      String garbage = null;
      Checkpoint cp = null;
      try {
        decoder.reset().decode(ByteBuffer.wrap(data, pos, end - pos));
        JsonNode json = MAPPER.readTree(Arrays.copyOfRange(data, pos, end));
        if (json == null || !json.isObject()) {
          garbage = "not a JSON object";
        } else if (!"log.checkpoint".equals(json.path("type").textValue())) {
          garbage = "its type is not log.checkpoint";
        } else {
          cp = Checkpoint.fromLine(json);
        }
      } catch (CharacterCodingException e) {
        garbage = "not valid UTF-8";
      } catch (IOException e) {
        garbage = "not valid JSON";
      } catch (IllegalArgumentException e) {
        garbage = e.getMessage();
      }
      into.add(new VerificationRun.Anchor(source, lineNo, cp, garbage));
      pos = nl < 0 ? data.length : nl + 1;
    }
  }

  private static int indexOf(byte[] data, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
