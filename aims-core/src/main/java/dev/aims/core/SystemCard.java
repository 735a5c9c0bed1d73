package dev.aims.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a register entry says about a system beyond what AIMS enforces: its intended use, the data
 * it takes and gives, who it affects, how humans oversee it, when it was last reviewed and where
 * its impact assessment is. Recorded with the entry in {@code register.changed}; exported as a
 * system card by {@code aims register export}.
 *
 * @param lastReviewed when the entry's governance was last reviewed; with the cadence it gives the next review due
 */
public record SystemCard(String intendedUse, List<String> dataInputs, List<String> dataOutputs,
    List<String> affectedPersons, String oversight, @Nullable String impactAssessment, @Nullable Instant lastReviewed) {
  public SystemCard {
    Checks.requireText(intendedUse, "intendedUse");
    dataInputs = List.copyOf(Objects.requireNonNull(dataInputs, "dataInputs"));
    dataOutputs = List.copyOf(Objects.requireNonNull(dataOutputs, "dataOutputs"));
    affectedPersons = List.copyOf(Objects.requireNonNull(affectedPersons, "affectedPersons"));
    Checks.requireText(oversight, "oversight");
  }
}
