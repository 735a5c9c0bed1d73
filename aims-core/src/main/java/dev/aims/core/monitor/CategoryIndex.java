package dev.aims.core.monitor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps categories to at most {@code max} buckets, plus the "other" bucket {@code max}. A fixed
 * index knows its categories from the reference; a growing one hands buckets out first come until
 * there are {@code max}. Either way the map never holds more than {@code max} entries, whatever
 * the traffic.
 */
final class CategoryIndex {
  final int max;
  private final ConcurrentHashMap<String, Integer> index;
  private final AtomicReferenceArray<String> names;
  private volatile boolean growing;
  private int next;

  private CategoryIndex(int max, boolean growing) {
    this.max = max;
    this.growing = growing;
    this.index = new ConcurrentHashMap<>(Math.min(max, 64) * 2);
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
      i.index.put(c, i.next);
      i.names.set(i.next, c);
      i.next++;
    }
    return i;
  }

  int other() {
    return max;
  }

  int index(String category) {
    Integer i = index.get(category);
    if (i != null) {
      return i;
    }
    if (!growing) {
      return max;
    }
    return add(category);
  }

  private synchronized int add(String category) {
    Integer i = index.get(category);
    if (i != null) {
      return i;
    }
    if (next >= max) {
      growing = false;
      return max;
    }
    int k = next++;
    names.set(k, category);
    index.put(category, k);
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
    long b = Memory.OBJECT + 3 * Memory.REFERENCE + 8 + Memory.array(max, 4) + 64 + Memory.array(64, 4);
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      // node, key (String + its byte array), boxed index
      b += 32 + 24 + Memory.array(e.getKey().length(), 1) + 16;
    }
    return b;
  }
}
