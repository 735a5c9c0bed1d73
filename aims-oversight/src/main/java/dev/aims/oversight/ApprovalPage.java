package dev.aims.oversight;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A page of requests.
 *
 * @param next the cursor for the next page ({@link ApprovalQuery#after(UUID)}), or null on the last page
 */
public record ApprovalPage(List<ApprovalRequest> items, @Nullable UUID next) {
  public ApprovalPage {
    items = List.copyOf(items);
  }
}
