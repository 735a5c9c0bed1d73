package dev.aims.core.event;

import java.util.Arrays;

/**
 * Writes canonical JSON (see {@link CanonicalJson}) as UTF-8 bytes in one pass, from a stream of
 * start/end/name/value calls rather than from a tree. Members of an object are written in the
 * order they come; when the object ends they are put in key order if they were not already, by
 * moving their byte ranges. Two members with the same key make it throw {@link Unsupported}: a tree
 * would keep only the last, so the caller takes the tree path instead.
 *
 * <p>The bytes are the same as {@code CanonicalJson.bytes} of the tree the same calls would build:
 * strings are escaped by the same rules, numbers formatted by the same code. One per thread, reused.
 */
final class CanonicalWriter {
  /** A buffer grown past this while writing one body is let go afterwards. */
  private static final int KEEP_BYTES = 256 * 1024;
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** ASCII characters written as they are: printable, not the quote, not the backslash. */
  private static final boolean[] PLAIN = new boolean[0x80];

  static {
    for (char c = 0x20; c < 0x80; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  /** Something this writer does not write the way the tree path would; the caller falls back to the tree. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  /** A remembered key order: {@link #keyOrder}. */
  private record Shape(String[] keys, int[] order) {}

  /** One open object or array. */
  private static final class Frame {
    boolean object;
    /** Offset of the opening bracket. */
    int open;
    int count;
    /** The most keys this frame held since {@link #forgetKeys}. */
    int maxCount;
    String[] keys = new String[16];
    /** Where member i's {@code "key"} starts (after the comma before it, if any). */
    int[] starts = new int[16];

    void add(String key, int start) {
      if (count == keys.length) {
        keys = Arrays.copyOf(keys, count * 2);
        starts = Arrays.copyOf(starts, count * 2);
      }
      keys[count] = key;
      starts[count] = start;
      count++;
      maxCount = Math.max(maxCount, count);
    }
  }

  byte[] buf = new byte[4096];
  int len;
  /** Set while a body is being written with this writer. */
  boolean busy;
  private Frame[] frames = new Frame[8];
  private int depth;
  /** If set, the first object opened at depth 0 is not closed by {@link #endObject}, only by {@link #finishBody}. */
  private boolean holdTop;
  private final StringBuilder number = new StringBuilder(32);
  private byte[] scratch = new byte[1024];
  private char[] chars = new char[256];
  private final Shape[] shapes = new Shape[32];
  private int nextShape;
  /** Frames below this index may still hold keys of an earlier body. */
  private int framesUsed;

  private CanonicalGenerator generator;

  /** This writer's generator for {@code codec}, ready for a new value. */
  CanonicalGenerator generator(com.fasterxml.jackson.core.ObjectCodec codec) {
    CanonicalGenerator g = generator;
    if (g == null || g.getCodec() != codec) {
      g = new CanonicalGenerator(codec, this);
      generator = g;
    }
    g.reset();
    return g;
  }

  CanonicalWriter() {
    for (int i = 0; i < frames.length; i++) {
      frames[i] = new Frame();
    }
  }

  void reset(boolean holdTopObject) {
    len = 0;
    depth = 0;
    holdTop = holdTopObject;
  }

  /** Drops the keys the frames still refer to, so a thread keeps no application strings (but remembered shapes). */
  void forgetKeys() {
    for (int i = 0; i < framesUsed; i++) {
      Frame f = frames[i];
      Arrays.fill(f.keys, 0, f.maxCount, null);
      f.maxCount = 0;
    }
    framesUsed = 0;
  }

  /** Lets a buffer that one huge body grew go, so a thread does not keep it. */
  void trim() {
    if (buf.length > KEEP_BYTES) {
      buf = new byte[4096];
    }
    if (scratch.length > KEEP_BYTES) {
      scratch = new byte[1024];
    }
    if (chars.length > KEEP_BYTES) {
      chars = new char[256];
    }
  }

  int depth() {
    return depth;
  }

  // ---- structure ------------------------------------------------------------------------------

  void startObject() {
    beforeValue();
    push(true);
    put((byte) '{');
  }

  void startArray() {
    beforeValue();
    push(false);
    put((byte) '[');
  }

  void endArray() {
    if (depth == 0 || frames[depth - 1].object) {
      throw new Unsupported("end of an array that is not open");
    }
    put((byte) ']');
    clear(frames[--depth]);
  }

  void endObject() {
    if (depth == 0 || !frames[depth - 1].object) {
      throw new Unsupported("end of an object that is not open");
    }
    if (holdTop && depth == 1) {
      return; // the body's own object stays open for the payloads; finishBody closes it
    }
    Frame f = frames[depth - 1];
    sortMembers(f, len);
    put((byte) '}');
    clear(f);
    depth--;
  }

  void fieldName(String key) {
    if (depth == 0 || !frames[depth - 1].object) {
      throw new Unsupported("field name outside an object");
    }
    Frame f = frames[depth - 1];
    if (f.count > 0) {
      put((byte) ',');
    }
    f.add(key, len);
    string(key);
    put((byte) ':');
  }

  /**
   * Closes the held top-level object (members sorted) and returns it as a body. {@code type} is
   * what {@link CanonicalBody#type()} reports.
   */
  CanonicalBody finishBody(String type) {
    if (depth != 1 || !frames[0].object) {
      throw new Unsupported("the value is not one JSON object");
    }
    Frame f = frames[0];
    int n = f.count;
    int[] order = n < 2 ? new int[n] : keyOrder(f); // members stay where they are; the body knows their order
    String[] keys = new String[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      int m = order[i];
      keys[i] = f.keys[m];
      starts[i] = f.starts[m];
      ends[i] = m + 1 < n ? f.starts[m + 1] - 1 : len; // before the comma, or the end
    }
    byte[] bytes = Arrays.copyOf(buf, len);
    clear(f);
    depth = 0;
    return new CanonicalBody(bytes, keys, starts, ends, type);
  }

  private void push(boolean object) {
    if (depth == frames.length) {
      frames = Arrays.copyOf(frames, depth * 2);
      for (int i = depth; i < frames.length; i++) {
        frames[i] = new Frame();
      }
    }
    Frame f = frames[depth++];
    framesUsed = Math.max(framesUsed, depth);
    f.object = object;
    f.open = len;
    f.count = 0;
  }

  private static void clear(Frame f) {
    f.count = 0; // keys are dropped in forgetKeys, once per body
  }

  /** Commas between array elements; an object's value follows its name, which wrote the comma. */
  private void beforeValue() {
    if (depth > 0) {
      Frame f = frames[depth - 1];
      if (!f.object) {
        if (f.count > 0) {
          put((byte) ',');
        }
        f.count++;
      }
    } else if (len > 0 && !holdTop) {
      throw new Unsupported("a second value at the top level");
    }
  }

  /**
   * The key order of an object's members: {@code order[i]} is the index, in written order, of the
   * i-th member in key order. Objects of one type come with the same key strings in the same order
   * every time, so the answer is remembered per sequence of key instances (compared by identity).
   * Throws on a repeated key.
   */
  private int[] keyOrder(Frame f) {
    int n = f.count;
    for (Shape shape : shapes) {
      if (shape == null) {
        break;
      }
      if (shape.keys.length == n && sameInstances(shape.keys, f.keys, n)) {
        return shape.order;
      }
    }
    // insertion sort of member indexes by key; objects have tens of members at most
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int j = i;
      while (j > 0 && f.keys[order[j - 1]].compareTo(f.keys[i]) > 0) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    for (int i = 1; i < n; i++) {
      if (f.keys[order[i - 1]].equals(f.keys[order[i]])) {
        throw new Unsupported("key '" + f.keys[order[i]] + "' twice in one object");
      }
    }
    shapes[nextShape] = new Shape(Arrays.copyOf(f.keys, n), order);
    nextShape = (nextShape + 1) % shapes.length;
    return order;
  }

  private static boolean sameInstances(String[] a, String[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentity(int[] order) {
    for (int i = 0; i < order.length; i++) {
      if (order[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Puts the members of {@code f}, which end at {@code end}, in key order by moving their bytes. */
  private void sortMembers(Frame f, int end) {
    int n = f.count;
    if (n < 2) {
      return;
    }
    int[] order = keyOrder(f);
    if (isIdentity(order)) {
      return;
    }
    int from = f.starts[0];
    int total = end - from;
    if (scratch.length < total) {
      scratch = new byte[Math.max(total, scratch.length * 2)];
    }
    int p = 0;
    for (int i = 0; i < n; i++) {
      int m = order[i];
      int s = f.starts[m];
      int e = m + 1 < n ? f.starts[m + 1] - 1 : end;
      if (i > 0) {
        scratch[p++] = ',';
      }
      System.arraycopy(buf, s, scratch, p, e - s);
      p += e - s;
    }
    System.arraycopy(scratch, 0, buf, from, total);
    // the frame is closed right after this, so its keys and starts need no update
  }

  // ---- values ---------------------------------------------------------------------------------

  void nullValue() {
    beforeValue();
    ensure(4);
    buf[len++] = 'n';
    buf[len++] = 'u';
    buf[len++] = 'l';
    buf[len++] = 'l';
  }

  void booleanValue(boolean b) {
    beforeValue();
    ascii(b ? "true" : "false");
  }

  void longValue(long v) {
    beforeValue();
    if (v >= 0 && v < 10) {
      put((byte) ('0' + v));
      return;
    }
    number.setLength(0);
    CanonicalJson.appendLong(v, number);
    ascii(number);
  }

  void bigIntegerValue(java.math.BigInteger v) {
    if (v.bitLength() < 64) {
      longValue(v.longValue());
    } else {
      beforeValue();
      number.setLength(0);
      CanonicalJson.appendBigInteger(v, number);
      ascii(number);
    }
  }

  void bigDecimalValue(java.math.BigDecimal v) {
    beforeValue();
    number.setLength(0);
    CanonicalJson.appendBigDecimal(v, number);
    ascii(number);
  }

  void doubleValue(double d) {
    beforeValue();
    number.setLength(0);
    CanonicalJson.appendDouble(d, number);
    ascii(number);
  }

  void stringValue(String s) {
    beforeValue();
    string(s);
  }

  /** {@code s} quoted and escaped as {@link CanonicalJson#appendString}, then UTF-8. */
  private void string(String s) {
    int n = s.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    char[] c = chars;
    s.getChars(0, n, c, 0); // one bulk copy; the loop below then reads an array
    ensure(n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    int i = 0;
    for (; i < n; i++) { // the usual case: printable ASCII without quote or backslash
      char ch = c[i];
      if (ch >= 0x80 || !PLAIN[ch]) {
        break;
      }
      b[p++] = (byte) ch;
    }
    len = p;
    if (i < n) {
      stringRest(s, i);
    }
    put((byte) '"');
  }

  private void stringRest(String s, int from) {
    int n = s.length();
    ensure(6 * (n - from)); // the longest form of one char is a six-byte escape
    byte[] b = buf;
    int p = len;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        b[p++] = '\\';
        switch (c) {
          case '"' -> b[p++] = '"';
          case '\\' -> b[p++] = '\\';
          case '\b' -> b[p++] = 'b';
          case '\f' -> b[p++] = 'f';
          case '\n' -> b[p++] = 'n';
          case '\r' -> b[p++] = 'r';
          case '\t' -> b[p++] = 't';
          default -> p = unicodeEscape(c, b, p - 1);
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        p = unicodeEscape(c, b, p); // a lone surrogate: an escape, never invalid UTF-8
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    len = p;
  }

  private static int unicodeEscape(char c, byte[] b, int p) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xF];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  private void ascii(CharSequence s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
