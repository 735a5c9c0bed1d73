package dev.aims.spring.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses request ids from paths, query strings and forms strictly (the canonical 8-4-4-4-12 hex form). */
final class Ids {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Ids() {}

  static UUID parse(@Nullable String text, String what) {
    if (text == null || !UUID_TEXT.matcher(text).matches()) {
      throw InvalidInputException.badRequest("invalid-id", "Invalid id", what + " must be a UUID like"
          + " 0193a4b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b, but was '" + shorten(text) + "'");
    }
    return UUID.fromString(text);
  }

  static String shorten(@Nullable String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
