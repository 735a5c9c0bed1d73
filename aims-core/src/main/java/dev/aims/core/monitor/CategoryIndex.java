package dev.aims.core.monitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps categories to at most {@code max} buckets, plus the "other" bucket {@code max}. A fixed
 * index knows its categories from the reference; a growing one hands buckets out first come until
 * there are {@code max}. Either way the index never holds more than {@code max} entries, whatever
 * the traffic.
 *
 * <p>The lookup is a lock-free open-addressing table of at least {@code 2·max} slots (linear
 * probing on the string's cached hash): a reference comparison usually decides, with no boxing
 * and no map node. Entries are immutable and published with release stores; only a growing
 * index adds them, one at a time under a lock.
 *
 * <p><b>Keys are bounded</b>: a category longer than {@value #MAX_KEY_CHARS} characters is held as
 * {@link #key}: its first {@value #PREFIX_CHARS} characters, {@code "~"}, and a 128-bit hash of the
 * whole string in hex — at most {@value #MAX_KEY_CHARS} characters whatever the caller passes, so a
 * feature's memory does not depend on the length of its categories. Two long categories with the
 * same prefix and hash share a bucket (for non-adversarial input, a chance of about 2^-128).
 */
final class CategoryIndex {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);

  private record Entry(String key, int hash, int bucket) {}

  /** The longest category kept as it is; longer ones are held as {@link #key}. */
  static final int MAX_KEY_CHARS = 64;
  static final int PREFIX_CHARS = MAX_KEY_CHARS - 33;

  /**
   * The key a category is held under: itself up to {@value #MAX_KEY_CHARS} characters, else its
   * first {@value #PREFIX_CHARS} characters, {@code "~"} and 32 hex digits of a 128-bit hash (two
   * 64-bit multiplicative hashes over the chars, each finished with the SplitMix64 mixer):
   * {@value #MAX_KEY_CHARS} characters.
   */
  static String key(String category) {
    int n = category.length();
    if (n <= MAX_KEY_CHARS) {
      return category;
    }
    long h1 = 0x9E3779B97F4A7C15L ^ n;
    long h2 = 0xC2B2AE3D27D4EB4FL ^ n;
    for (int i = 0; i < n; i++) {
      char c = category.charAt(i);
      h1 = (h1 + c) * 0xFF51AFD7ED558CCDL;
      h2 = (h2 ^ c) * 0xC4CEB9FE1A85EC53L;
    }
    return category.substring(0, PREFIX_CHARS) + "~" + hex(mix(h1)) + hex(mix(h2 ^ h1 >>> 29));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return "0".repeat(16 - h.length()) + h;
  }

  final int max;
  private final Entry[] table;
  private final int mask;
  private final AtomicReferenceArray<String> names;
  private volatile boolean growing;
  private int next;
  /**
   * {@code String.hashCode()} and length of each long category held (as its {@link #key}): a long
   * category is hashed into its key only when one of them matches, so a stream of new long
   * categories costs their (cached, vectorised) {@code hashCode}, not a second pass. Copy on write.
   */
  private volatile long[] longCategories = new long[0];
  /** A key taken from a snapshot, whose original is unknown: every long category must be hashed. */
  private volatile boolean hashEveryLongCategory;

  private CategoryIndex(int max, boolean growing) {
    this.max = max;
    this.growing = growing;
    this.table = new Entry[Integer.highestOneBit(Math.max(1, 2 * max - 1)) << 1];
    this.mask = table.length - 1;
    this.names = new AtomicReferenceArray<>(max);
  }

  static CategoryIndex growing(int max) {
    return new CategoryIndex(max, true);
  }

  /** The categories in order, at most {@code max} of them; the index does not grow. */
  static CategoryIndex fixed(List<String> categories, int max) {
    CategoryIndex i = new CategoryIndex(max, false);
    for (String name : categories) {
      if (i.next == max) {
        break;
      }
      String c = key(name);
      if (c != name) {
        i.rememberLong(name);
      } else if (looksLikeKey(c)) {
        i.hashEveryLongCategory = true;
      }
      if (i.find(c) >= 0) {
        continue; // a duplicate name keeps its first bucket
      }
      if (!c.isBlank()) {
        i.insert(c, i.next); // a blank category is never looked up: it is a missing value
      }
      i.names.set(i.next, c);
      i.next++;
    }
    return i;
  }

  int other() {
    return max;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The bucket of {@code category}, or -1 when the index does not hold it (yet): the recording path's lookup. */
  int find(String category) {
    if (category.length() > MAX_KEY_CHARS) {
      if (!mayHold(category)) {
        return -1;
      }
      category = key(category); // allocates: only for a long category that may be held
    }
    return lookup(category);
  }

  private boolean mayHold(String longCategory) {
    if (hashEveryLongCategory) {
      return true;
    }
    long fingerprint = fingerprint(longCategory);
    for (long f : longCategories) {
      if (f == fingerprint) {
        return true;
      }
    }
    return false;
  }

  private static long fingerprint(String s) {
    return ((long) s.hashCode() << 32) | s.length();
  }

  private void rememberLong(String longCategory) {
    long[] old = longCategories;
    long[] grown = java.util.Arrays.copyOf(old, old.length + 1);
    grown[old.length] = fingerprint(longCategory);
    longCategories = grown;
  }

  /** Whether a category is shaped like a {@link #key} of a long one (prefix, "~", 32 hex digits). */
  private static boolean looksLikeKey(String s) {
    if (s.length() != MAX_KEY_CHARS || s.charAt(PREFIX_CHARS) != '~') {
      return false;
    }
    for (int i = PREFIX_CHARS + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private int lookup(String category) {
    int h = spread(category.hashCode());
    Entry[] t = table;
    int m = mask;
    for (int i = h & m; ; i = (i + 1) & m) {
      Entry e = (Entry) SLOT.getAcquire(t, i);
      if (e == null) {
        return -1;
      }
      if (e.key == category || (e.hash == h && e.key.equals(category))) {
        return e.bucket;
      }
    }
  }

  /** Adds an entry; callers hold the lock (or own the index while building it). */
  private void insert(String category, int bucket) {
    int h = spread(category.hashCode());
    Entry[] t = table;
    int i = h & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    SLOT.setRelease(t, i, new Entry(category, h, bucket));
  }

  int index(String category) {
    int i = find(category);
    return i >= 0 ? i : indexNew(category);
  }

  /** The bucket of a category {@link #find} did not know: "other", or a new bucket while growing. */
  int indexNew(String category) {
    if (!growing) {
      return max;
    }
    return add(category);
  }

  private synchronized int add(String name) {
    String category = key(name);
    int i = lookup(category);
    if (i >= 0) {
      return i;
    }
    if (next >= max) {
      growing = false;
      return max;
    }
    if (category != name) {
      rememberLong(name);
    }
    int k = next++;
    names.set(k, category);
    insert(category, k);
    return k;
  }

  /** Stops handing out buckets: new categories go to "other" from now on. */
  void freeze() {
    growing = false;
  }

  /** The category of each bucket that has one, in bucket order. */
  synchronized List<String> names() {
    String[] out = new String[next];
    for (int k = 0; k < next; k++) {
      out[k] = names.get(k);
    }
    return List.of(out);
  }

  private static boolean latin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  long bytes() {
    long b = Memory.OBJECT + 3 * Memory.REFERENCE + 12 + Memory.array(table.length, 4)
        + Memory.OBJECT + Memory.REFERENCE + Memory.array(max, 4);
    for (int k = 0; k < table.length; k++) {
      Entry e = (Entry) SLOT.getAcquire(table, k);
      if (e != null) {
        // entry, key (String + its byte array: one byte a char if all are Latin-1, else two)
        b += 24 + 24 + Memory.array(e.key.length() * (latin1(e.key) ? 1 : 2), 1);
      }
    }
    b += Memory.array(longCategories.length, 8);
    return b;
  }
}
