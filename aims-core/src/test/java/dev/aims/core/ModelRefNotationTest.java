package dev.aims.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One notation: what a model shows as is what configuration reads. */
class ModelRefNotationTest {

  @Test
  void the_displayed_form_parses_back_to_the_same_model() {
    ModelRef m = ModelRef.of("openai", "gpt-4o", "2024-08-06");
    assertThat(m.toString()).isEqualTo("openai:gpt-4o:2024-08-06");
    assertThat(ModelRef.parse(m.toString())).isEqualTo(m);
  }

  @Test
  void the_old_slash_at_form_is_refused_showing_the_form_to_write() {
    assertThatThrownBy(() -> ModelRef.parse("openai/gpt-4o@2024-08-06"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'openai/gpt-4o@2024-08-06' is not provider:name:version; write it as openai:gpt-4o:2024-08-06");
  }
}
