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
 */
final class CategoryIndex {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);

  private record Entry(String key, int hash, int bucket) {}

  final int max;
  private final Entry[] table;
  private final int mask;
  private final AtomicReferenceArray<String> names;
  private volatile boolean growing;
  private int next;

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
    for (String c : categories) {
      if (i.next == max) {
        break;
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

  private synchronized int add(String category) {
    int i = find(category);
    if (i >= 0) {
      return i;
    }
    if (next >= max) {
      growing = false;
      return max;
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

  long bytes() {
    long b = Memory.OBJECT + 3 * Memory.REFERENCE + 12 + Memory.array(table.length, 4)
        + Memory.OBJECT + Memory.REFERENCE + Memory.array(max, 4);
    for (int k = 0; k < table.length; k++) {
      Entry e = (Entry) SLOT.getAcquire(table, k);
      if (e != null) {
        // entry, key (String + its byte array)
        b += 24 + 24 + Memory.array(e.key.length(), 1);
      }
    }
    return b;
  }
}
