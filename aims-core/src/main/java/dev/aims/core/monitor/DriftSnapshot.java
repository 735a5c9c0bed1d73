package dev.aims.core.monitor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A feature's frozen reference as JSON, so a baseline captured in one run (e.g. from the first
 * decisions after a release) can be the fixed reference of the next:
 * {@code Reference.snapshot(Path.of("income.json"))}.
 *
 * <p>A numeric reference of at most {@link Window#EXACT_LIMIT} values is kept as its sorted
 * values; a larger one as its bins (fine edges, PSI edges, count and sum per fine bin). A
 * categorical reference is kept as the count of each category it tracks plus its "other" count.
 *
 * @param version the snapshot format version ({@value #FORMAT_VERSION})
 * @param count the number of values in the reference
 * @param std the reference's population standard deviation (numeric; 0 for categorical)
 */
public record DriftSnapshot(
    int version,
    String feature,
    DriftFeature.Type type,
    long count,
    double std,
    double @Nullable [] values,
    double @Nullable [] edges,
    double @Nullable [] psiEdges,
    long @Nullable [] counts,
    double @Nullable [] sums,
    @Nullable Map<String, Long> categories,
    long other) {

  /**
   * Version 2: the PSI edges of a binned, non-discrete reference no longer include the minimum and
   * {@code nextUp(max)} (the PSI buckets are open at both ends). A version-1 snapshot is read and
   * converted.
   */
  public static final int FORMAT_VERSION = 2;
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // a fractional count is an error, not truncated
      .build();

  public DriftSnapshot {
    if (version != FORMAT_VERSION && version != 1) {
      throw new IllegalArgumentException("drift snapshot version must be 1 or " + FORMAT_VERSION + " but was "
          + version);
    }
    if (version == 1 && edges != null && psiEdges != null && psiEdges.length > 2 && edges.length != psiEdges.length) {
      // version 1 bounded the PSI buckets by the reference's minimum and nextUp(max), the first and last fine edges
      psiEdges = java.util.Arrays.copyOfRange(psiEdges, psiEdges[0] == edges[0] ? 1 : 0, psiEdges.length - 1);
    }
    version = FORMAT_VERSION;
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(type, "type");
    if (count < 1) {
      throw new IllegalArgumentException("drift snapshot of '" + feature + "': count must be >= 1 but was " + count);
    }
    if (type == DriftFeature.Type.NUMERIC) {
      if (values != null) {
        if (values.length != count) {
          throw new IllegalArgumentException("drift snapshot of '" + feature + "': " + values.length
              + " values but count is " + count);
        }
        for (double v : values) {
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("drift snapshot of '" + feature + "': values must be finite");
          }
        }
      } else {
        if (edges == null || psiEdges == null || counts == null || sums == null || edges.length == 0) {
          throw new IllegalArgumentException("drift snapshot of '" + feature
              + "': a numeric snapshot needs either values or edges, psi_edges, counts and sums");
        }
        if (counts.length != edges.length + 1 || sums.length != edges.length + 1) {
          throw new IllegalArgumentException("drift snapshot of '" + feature + "': counts and sums need "
              + (edges.length + 1) + " entries (one more than edges)");
        }
        requireIncreasing(edges, "edges");
        requireIncreasing(psiEdges, "psi_edges");
        long total = 0;
        for (long c : counts) {
          if (c < 0) {
            throw new IllegalArgumentException("drift snapshot of '" + feature + "': counts must be >= 0");
          }
          total = addCount(feature, total, c);
        }
        if (total != count) {
          throw new IllegalArgumentException("drift snapshot of '" + feature + "': counts sum to " + total
              + " but count is " + count);
        }
      }
      if (!(std >= 0) || Double.isInfinite(std)) {
        throw new IllegalArgumentException("drift snapshot of '" + feature + "': std must be finite and >= 0");
      }
    } else {
      if (categories == null || categories.isEmpty()) {
        throw new IllegalArgumentException("drift snapshot of '" + feature + "': a categorical snapshot needs categories");
      }
      categories = new LinkedHashMap<>(categories);
      long total = addCount(feature, 0, other);
      for (Map.Entry<String, Long> e : categories.entrySet()) {
        if (e.getValue() == null || e.getValue() < 0) {
          throw new IllegalArgumentException("drift snapshot of '" + feature + "': count of category '" + e.getKey()
              + "' must be >= 0 but was " + e.getValue());
        }
        total = addCount(feature, total, e.getValue());
      }
    }
  }

  /** Adds a count to a total, failing past {@link Reference#MAX_COUNT} (2^53) rather than overflowing. */
  private static long addCount(String feature, long total, long c) {
    if (c < 0 || c > Reference.MAX_COUNT - total) {
      throw new IllegalArgumentException("drift snapshot of '" + feature + "': counts must be >= 0 and total at most "
          + Reference.MAX_COUNT + " (2^53)");
    }
    return total + c;
  }

  private static void requireIncreasing(double[] a, String name) {
    for (int i = 1; i < a.length; i++) {
      if (!(a[i] > a[i - 1])) {
        throw new IllegalArgumentException("drift snapshot: " + name + " must be strictly increasing");
      }
    }
  }

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
  }

  public static DriftSnapshot fromJson(String json) {
    try {
      return MAPPER.readValue(json, DriftSnapshot.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a drift snapshot: " + e.getMessage(), e);
    }
  }

  public static DriftSnapshot read(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
