package dev.aims.oversight;

import dev.aims.oversight.ApprovalRefusedException.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a reviewer's rationale must be, and how many refused attempts are kept and allowed.
 *
 * <ul>
 *   <li>at least {@code minVisible} <em>visible</em> characters: letters or digits
 *       ({@link Character#isLetterOrDigit(int)}); whitespace (also NBSP), format characters (zero
 *       width, direction marks), control characters (C0, C1) and punctuation do not count, so ten
 *       no-break spaces or fifteen control characters are no rationale;
 *   <li>at most {@code maxBytes} bytes of UTF-8 (default 4 KiB): a rationale goes into the store
 *       and the signed decision log, and is not a place for documents;
 *   <li>at most {@code maxRefusedPerRequest} refused attempts stored per request (per instance of
 *       the service); later ones are counted in {@code aims.approval.refused} and logged, not
 *       stored; the rationale of a stored refused attempt is cut to {@code maxBytes};
 *   <li>at most {@code maxRefusalsPerReviewer} refused attempts per reviewer per
 *       {@code refusalWindow} (per instance; losing a race, {@code ALREADY_DECIDED} or
 *       {@code DEADLINE_PASSED}, does not count); beyond that the reviewer's actions are refused with
 *       {@link Refusal#RATE_LIMITED} until the window ends, before the store is touched.
 * </ul>
 */
public record RationalePolicy(int minVisible, int maxBytes, int maxRefusedPerRequest, int maxRefusalsPerReviewer,
    Duration refusalWindow) {
  public static final int DEFAULT_MIN_VISIBLE = 10;
  public static final int DEFAULT_MAX_BYTES = 4 * 1024;
  public static final int DEFAULT_MAX_REFUSED_PER_REQUEST = 32;
  public static final int DEFAULT_MAX_REFUSALS_PER_REVIEWER = 30;
  public static final Duration DEFAULT_REFUSAL_WINDOW = Duration.ofMinutes(1);

  public RationalePolicy {
    require(minVisible >= 1, "minVisible must be >= 1 (a rationale is required) but was " + minVisible);
    require(maxBytes >= minVisible, "maxBytes must be >= minVisible (" + minVisible + ") but was " + maxBytes);
    require(maxRefusedPerRequest >= 0, "maxRefusedPerRequest must be >= 0 but was " + maxRefusedPerRequest);
    require(maxRefusalsPerReviewer >= 1, "maxRefusalsPerReviewer must be >= 1 but was " + maxRefusalsPerReviewer);
    Objects.requireNonNull(refusalWindow, "refusalWindow");
    require(!refusalWindow.isNegative() && !refusalWindow.isZero(), "refusalWindow must be positive but was "
        + refusalWindow);
  }

  /** 10 visible characters, 4 KiB, 32 refused attempts kept per request, 30 refusals per reviewer a minute. */
  public static RationalePolicy ofDefaults() {
    return new RationalePolicy(DEFAULT_MIN_VISIBLE, DEFAULT_MAX_BYTES, DEFAULT_MAX_REFUSED_PER_REQUEST,
        DEFAULT_MAX_REFUSALS_PER_REVIEWER, DEFAULT_REFUSAL_WINDOW);
  }

  public RationalePolicy withMinVisible(int chars) {
    return new RationalePolicy(chars, Math.max(maxBytes, chars), maxRefusedPerRequest, maxRefusalsPerReviewer,
        refusalWindow);
  }

  public RationalePolicy withMaxBytes(int bytes) {
    return new RationalePolicy(minVisible, bytes, maxRefusedPerRequest, maxRefusalsPerReviewer, refusalWindow);
  }

  public RationalePolicy withMaxRefusedPerRequest(int attempts) {
    return new RationalePolicy(minVisible, maxBytes, attempts, maxRefusalsPerReviewer, refusalWindow);
  }

  public RationalePolicy withMaxRefusalsPerReviewer(int refusals, Duration window) {
    return new RationalePolicy(minVisible, maxBytes, maxRefusedPerRequest, refusals, window);
  }

  /** The letters and digits in {@code text} (code points), the characters that make a rationale. */
  public static int visibleCharacters(@Nullable CharSequence text) {
    if (text == null) {
      return 0;
    }
    return (int) text.codePoints().filter(Character::isLetterOrDigit).count();
  }

  /** Null when {@code rationale} is acceptable, else the refusal. */
  @Nullable Refusal check(@Nullable String rationale) {
    if (rationale == null) {
      return Refusal.RATIONALE_REQUIRED;
    }
    // the length first, so a huge text is not scanned; a UTF-8 character is at most 4 bytes
    if (rationale.length() * 4L > maxBytes && rationale.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return Refusal.RATIONALE_TOO_LONG;
    }
    return visibleCharacters(rationale) < minVisible ? Refusal.RATIONALE_REQUIRED : null;
  }

  /** {@code rationale} cut to at most {@link #maxBytes} bytes of UTF-8, never inside a character. */
  @Nullable String kept(@Nullable String rationale) {
    if (rationale == null || rationale.length() * 4L <= maxBytes) {
      return rationale;
    }
    int bytes = 0;
    int i = 0;
    while (i < rationale.length()) {
      int cp = rationale.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        return rationale.substring(0, i);
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return rationale;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
