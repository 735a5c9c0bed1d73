package dev.aims.oversight;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing: requests in id order (time order for UUIDv7 ids), after a cursor;
 * {@link #newestFirst()} reverses the order (the cursor then means "older than").
 *
 * <pre>{@code
 * ApprovalPage page = service.list(ApprovalQuery.pending().system("credit-scoring").limit(100));
 * while (page.next() != null) {
 *   page = service.list(ApprovalQuery.pending().system("credit-scoring").limit(100).after(page.next()));
 * }
 * }</pre>
 *
 * @param status only requests in this state; null for all
 * @param system only requests of this AI system; null for all
 * @param after the cursor: only ids after it ({@link ApprovalPage#next()} of the previous page)
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 * @param descending descending id order: the newest requests first, {@code after} is an older bound
 */
public record ApprovalQuery(
    @Nullable ApprovalStatus status, @Nullable String system, @Nullable UUID after, int limit, boolean descending) {
  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;

  public ApprovalQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
    }
  }

  /** Oldest first. */
  public ApprovalQuery(@Nullable ApprovalStatus status, @Nullable String system, @Nullable UUID after, int limit) {
    this(status, system, after, limit, false);
  }

  public static ApprovalQuery all() {
    return new ApprovalQuery(null, null, null, DEFAULT_LIMIT);
  }

  public static ApprovalQuery pending() {
    return withStatus(ApprovalStatus.PENDING);
  }

  public static ApprovalQuery withStatus(ApprovalStatus status) {
    return new ApprovalQuery(status, null, null, DEFAULT_LIMIT);
  }

  public ApprovalQuery system(String system) {
    return new ApprovalQuery(status, system, after, limit, descending);
  }

  public ApprovalQuery after(@Nullable UUID cursor) {
    return new ApprovalQuery(status, system, cursor, limit, descending);
  }

  public ApprovalQuery limit(int limit) {
    return new ApprovalQuery(status, system, after, limit, descending);
  }

  /** The newest requests first; {@link #after} then pages towards older ones. */
  public ApprovalQuery newestFirst() {
    return new ApprovalQuery(status, system, after, limit, true);
  }

  boolean matches(ApprovalRequest r) {
    return (status == null || r.status() == status) && (system == null || r.system().equals(system))
        && (after == null || (descending ? Ids.compare(r.id(), after) < 0 : Ids.compare(r.id(), after) > 0));
  }
}
