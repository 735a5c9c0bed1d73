package dev.aims.oversight;

import dev.aims.core.AimsException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The approval store could not be read or written. A REVIEW decision that cannot be stored is
 * refused (never allowed); a reviewer action that cannot be stored did not happen and can be retried.
 */
public class ApprovalStoreException extends AimsException {
  public ApprovalStoreException(String message, @Nullable UUID requestId, @Nullable Throwable cause) {
    super(message, requestId, cause);
  }
}
