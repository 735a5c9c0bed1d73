package dev.aims.spring;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

/**
 * Who is signed in on the calling thread, the way Spring Security says it: the authenticated
 * principal's name ({@code Authentication.getName()}), never anonymous. This is the requester
 * {@code @Governed} methods and {@code AimsChatAdvisor} calls record when the application names
 * none, and the identity the reviewer context gives to the approval service, so separation of
 * duties compares the same kind of name on both sides.
 */
public final class AuthenticatedUser {
  private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
      "org.springframework.security.core.context.SecurityContextHolder", AuthenticatedUser.class.getClassLoader());

  private AuthenticatedUser() {}

  /** The authenticated principal's name on this thread; null when nobody (or Spring Security is absent). */
  public static @Nullable String name() {
    return SECURITY_PRESENT ? Security.name() : null;
  }

  /** {@link #name()} as a supplier. */
  public static Supplier<@Nullable String> supplier() {
    return AuthenticatedUser::name;
  }

  /** Loaded only when Spring Security is on the class path. */
  private static final class Security {
    static @Nullable String name() {
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
        return null;
      }
      return auth.getName();
    }
  }
}
