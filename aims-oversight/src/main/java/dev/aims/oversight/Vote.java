package dev.aims.oversight;

import org.jspecify.annotations.Nullable;

/** One reviewer action as the lifecycle judges it. */
record Vote(
    Reviewer reviewer,
    ReviewAction action,
    @Nullable String rationale,
    @Nullable String expectedDigest,
    @Nullable String overrideRedacted,
    @Nullable String overrideJson,
    @Nullable String overrideDigest) {}
