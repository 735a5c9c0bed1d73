package dev.aims.core;

/**
 * Who did something: a reviewer, an operator, or a service. The id comes from an authenticated
 * context, never from free text in a request.
 */
public record Actor(String id, String role) {
  public Actor {
    Checks.requireText(id, "actor id");
    Checks.requireText(role, "actor role");
  }

  public static Actor of(String id, String role) {
    return new Actor(id, role);
  }
}
