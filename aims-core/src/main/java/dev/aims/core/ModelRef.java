package dev.aims.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A model by provider, name and version, e.g. {@code ModelRef.of("openai", "gpt-4o", "2024-08-06")}.
 * The register lists the models each AI system may use; calls name the model they request.
 */
@JsonPropertyOrder({"provider", "name", "version"})
public record ModelRef(String provider, String name, String version) {

  public ModelRef {
    Checks.requireText(provider, "provider");
    Checks.requireText(name, "name");
    Checks.requireText(version, "version");
  }

  public static ModelRef of(String provider, String name, String version) {
    return new ModelRef(provider, name, version);
  }

  /**
   * Reads {@code provider:name:version} (e.g. {@code openai:gpt-4o:2024-08-06}), the form used in
   * configuration and the one {@link #toString()} gives, so a model shown anywhere can be pasted
   * back. Each part is trimmed and must not be blank.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static ModelRef parse(String text) {
    Objects.requireNonNull(text, "model text must not be null");
    int slash = text.indexOf('/');
    int at = text.lastIndexOf('@');
    if (slash > 0 && at > slash && text.indexOf(':') < 0) { // provider/name@version, an older display form
      throw new IllegalArgumentException("'" + text + "' is not provider:name:version; write it as "
          + text.substring(0, slash).trim() + ":" + text.substring(slash + 1, at).trim() + ":"
          + text.substring(at + 1).trim());
    }
    String[] parts = text.split(":", -1);
    if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
      throw new IllegalArgumentException("'" + text + "' is not provider:name:version (e.g. openai:gpt-4o:2024-08-06)");
    }
    return new ModelRef(parts[0].trim(), parts[1].trim(), parts[2].trim());
  }

  /** {@code provider:name:version}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return provider + ":" + name + ":" + version;
  }

  /** Same provider and name, ignoring the version. */
  public boolean sameModel(ModelRef other) {
    return provider.equals(other.provider) && name.equals(other.name);
  }

  static ModelRef requireNonNull(ModelRef model, String name) {
    return Objects.requireNonNull(model, () -> name + " must not be null");
  }
}
