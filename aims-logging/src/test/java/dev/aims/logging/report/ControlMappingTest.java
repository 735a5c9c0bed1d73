package dev.aims.logging.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aims.core.event.EventTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/**
 * Every built-in mapping file reads and names only event types of {@link EventTypes#ALL}: a mapping
 * that names an unknown type fails this test, so the build fails.
 */
class ControlMappingTest {
  static final java.util.List<String> FRAMEWORKS = ControlMapping.BUILT_IN;

  @ParameterizedTest
  @FieldSource("FRAMEWORKS")
  void eachBuiltInMappingNamesOnlyKnownEventTypesAndSaysWhyWhereItIsNotFull(String framework) {
    ControlMapping m = ControlMapping.builtIn(framework);

    assertThat(m.framework()).isEqualTo(framework);
    assertThat(m.controls()).isNotEmpty();
    for (ControlMapping.Control c : m.controls()) {
      assertThat(EventTypes.ALL).as("event types of %s %s", framework, c.id()).containsAll(c.eventTypes());
      assertThat(ControlMapping.SETTINGS).as("settings of %s %s", framework, c.id()).containsAll(c.settings());
      assertThat(c.title()).as("title of %s", c.id()).isNotBlank();
      if (c.coverage() != ControlMapping.Coverage.IN_EFFECT) {
        assertThat(c.reason()).as("reason of %s", c.id()).isNotBlank();
      }
      if (c.coverage() != ControlMapping.Coverage.NOT_COVERED) {
        assertThat(c.provides()).as("what AIMS provides for %s", c.id()).isNotBlank();
      }
    }
    // each mapping also says what AIMS does not cover
    assertThat(m.controls()).anyMatch(c -> c.coverage() == ControlMapping.Coverage.NOT_COVERED);
  }

  @Test
  void iso42001CitesTheLoggingAndOversightControlsAndTheActTheRecordKeepingAndOversightArticles() {
    assertThat(ControlMapping.builtIn("iso42001").controls()).extracting(ControlMapping.Control::id)
        .contains("A.6.2.6", "A.6.2.8", "A.9.2");
    assertThat(ControlMapping.builtIn("eu-ai-act").controls()).extracting(ControlMapping.Control::id)
        .contains("Art. 12", "Art. 14", "Art. 19", "Art. 26", "Art. 72", "Art. 73");
  }

  @Test
  void aMappingThatNamesAnUnknownEventTypeIsRefusedNamingTheControlAndTheType() {
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[
          {"id":"C.1","title":"t","provides":"p","coverage":"in_effect","event_types":["decision.final","decision.guessed"]}]}
        """)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping test.json control C.1 names unknown event type 'decision.guessed'")
        .hasMessageContaining("decision.final");
  }

  @Test
  void aMappingThatNamesAnUnknownSettingIsRefused() {
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[
          {"id":"C.1","title":"t","provides":"p","coverage":"in_effect","settings":["retention_days"]}]}
        """)).hasMessageContaining("control C.1 names unknown setting 'retention_days'");
  }

  @Test
  void aPartlyCoveredControlWithoutAReasonIsRefused() {
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[
          {"id":"C.1","title":"t","provides":"p","coverage":"partly","event_types":["decision.final"]}]}
        """)).hasMessageContaining("control C.1: a control that is partly needs a 'reason'");
  }

  @Test
  void aCoveredControlWithNoEvidenceNamedIsRefused() {
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[
          {"id":"C.1","title":"t","provides":"p","coverage":"in_effect"}]}
        """)).hasMessageContaining("control C.1: a covered control must name event_types or settings");
  }

  @Test
  void aDuplicateIdABadCoverageAndAMissingVersionAreRefused() {
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[
          {"id":"C.1","title":"t","coverage":"not_covered","reason":"r"},
          {"id":"C.1","title":"t","coverage":"not_covered","reason":"r"}]}
        """)).hasMessageContaining("control C.1: the id appears twice");
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","mapping_version":"1","controls":[{"id":"C.1","title":"t","coverage":"mostly"}]}
        """)).hasMessageContaining("coverage must be in_effect, partly or not_covered but was 'mostly'");
    assertThatThrownBy(() -> read("""
        {"framework":"x","name":"X","controls":[{"id":"C.1","title":"t","coverage":"not_covered","reason":"r"}]}
        """)).hasMessageContaining("'mapping_version' is missing");
  }

  @Test
  void anUnknownFrameworkIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> ControlMapping.builtIn("nist-rmf"))
        .hasMessage("unknown framework 'nist-rmf': one of iso42001, eu-ai-act");
  }

  private static ControlMapping read(String json) throws Exception {
    return ControlMapping.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }
}
