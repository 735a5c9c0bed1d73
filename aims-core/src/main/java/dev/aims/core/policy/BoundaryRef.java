package dev.aims.core.policy;

/** A boundary's identity as written in {@code policy.changed} events. */
public record BoundaryRef(String id, String version, Stage stage) {}
