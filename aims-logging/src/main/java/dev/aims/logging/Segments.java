package dev.aims.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Segment files of one log directory: {@code decisions-<first seq, 20 digits>.jsonl}. */
final class Segments {
  private static final Pattern NAME = Pattern.compile("decisions-(\\d{20})\\.jsonl");

  private Segments() {}

  static String name(long firstSeq) {
    return String.format("decisions-%020d.jsonl", firstSeq);
  }

  static long firstSeq(Path segment) {
    Matcher m = NAME.matcher(segment.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Segments in chain order. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> segments = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return segments;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(segments::add);
    }
    segments.sort((a, b) -> Long.compare(firstSeq(a), firstSeq(b)));
    return segments;
  }

  /** Offsets of each newline-terminated line; the last entry is the end of the last complete line. */
  static int lastLineStart(byte[] data, int end) {
    int i = end - 2;
    while (i >= 0 && data[i] != '\n') {
      i--;
    }
    return i + 1;
  }
}
