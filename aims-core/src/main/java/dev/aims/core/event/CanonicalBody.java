package dev.aims.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event body in canonical form (see {@link CanonicalJson}) as UTF-8 bytes, with the place of
 * each top-level member, so that a log can merge its envelope fields into the body without
 * parsing or re-serialising it. Members are in key order. Immutable.
 *
 * <p>{@link EventEncoder#encodeCanonical} writes it straight from the event's objects; {@link #of}
 * makes the same bytes from a tree. Either way {@link #toByteArray()} equals
 * {@code CanonicalJson.bytes(body)}.
 */
public final class CanonicalBody {
  /** The members' bytes; member i (in key order) is {@code [starts[i], ends[i])}, in any order in this array. */
  private final byte[] bytes;
  private final String[] keys;
  private final int[] starts;
  private final int[] ends;
  private final @Nullable String type;

  CanonicalBody(byte[] bytes, String[] keys, int[] starts, int[] ends, @Nullable String type) {
    this.bytes = bytes;
    this.keys = keys;
    this.starts = starts;
    this.ends = ends;
    this.type = type;
  }

  /** The canonical form of {@code body}, member by member. {@code type} is its {@code "type"} field's text, if any. */
  public static CanonicalBody of(ObjectNode body) {
    Objects.requireNonNull(body, "body");
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(body.size());
    body.properties().forEach(members::add);
    members.sort(Map.Entry.comparingByKey());
    String[] keys = new String[members.size()];
    byte[][] parts = new byte[members.size()][];
    StringBuilder text = new StringBuilder(256);
    int total = 2 + Math.max(0, members.size() - 1);
    for (int i = 0; i < keys.length; i++) {
      Map.Entry<String, JsonNode> m = members.get(i);
      keys[i] = m.getKey();
      text.setLength(0);
      CanonicalJson.appendString(m.getKey(), text);
      text.append(':');
      CanonicalJson.append(m.getValue(), text);
      parts[i] = text.toString().getBytes(StandardCharsets.UTF_8);
      total += parts[i].length;
    }
    byte[] bytes = new byte[total];
    int[] starts = new int[keys.length];
    int[] ends = new int[keys.length];
    int p = 0;
    bytes[p++] = '{';
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        bytes[p++] = ',';
      }
      starts[i] = p;
      System.arraycopy(parts[i], 0, bytes, p, parts[i].length);
      p += parts[i].length;
      ends[i] = p;
    }
    bytes[p] = '}';
    JsonNode type = body.get("type");
    return new CanonicalBody(bytes, keys, starts, ends, type == null ? null : type.asText());
  }

  /** Number of top-level members. */
  public int size() {
    return keys.length;
  }

  /** The key of member {@code i}; keys ascend in UTF-16 code unit order. */
  public String key(int i) {
    return keys[i];
  }

  /** Length in bytes of member {@code i} written as {@code "key":value}. */
  public int memberLength(int i) {
    return ends[i] - starts[i];
  }

  /** Copies member {@code i} ({@code "key":value}) into {@code dst} at {@code offset}; returns the offset after it. */
  public int copyMember(int i, byte[] dst, int offset) {
    int n = ends[i] - starts[i];
    System.arraycopy(bytes, starts[i], dst, offset, n);
    return offset + n;
  }

  /** The text of the body's {@code "type"} field, or null if it has none. */
  public @Nullable String type() {
    return type;
  }

  /** Length in bytes of the whole body. */
  public int length() {
    int n = keys.length;
    int total = 2 + Math.max(0, n - 1);
    for (int i = 0; i < n; i++) {
      total += ends[i] - starts[i];
    }
    return total;
  }

  /** Adds the whole body's bytes to {@code digest}. */
  public void update(MessageDigest digest) {
    digest.update(toByteArray());
  }

  /** The whole body's bytes, a new array: {@code CanonicalJson.bytes} of the body. */
  public byte[] toByteArray() {
    byte[] out = new byte[length()];
    int p = 0;
    out[p++] = '{';
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        out[p++] = ',';
      }
      p = copyMember(i, out, p);
    }
    out[p] = '}';
    return out;
  }

  /** The canonical text. */
  @Override
  public String toString() {
    return new String(toByteArray(), StandardCharsets.UTF_8);
  }
}
