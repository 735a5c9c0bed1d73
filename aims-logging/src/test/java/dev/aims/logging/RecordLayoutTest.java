package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.AimsEvent;
import dev.aims.core.event.CanonicalJson;
import dev.aims.core.event.EventEncoder;
import dev.aims.core.event.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void aPreparedRecordIsTheCanonicalJsonOfBodyAndEnvelope() {
    ObjectNode body = JSON.objectNode();
    body.put("type", "decision.final");
    body.put("ts", "2026-11-23T14:05:31.512Z");
    body.put("decision_id", "5b0c7a52");
    body.putObject("input").put("amount", 12_000.0).put("debt_ratio", 0.31).put("note", "é \"q\" \ud800");
    body.putObject("output").put("score", 0.8731);
    body.put("reasons", "r"); // between "prev" and "seq"
    body.put("policy_version", "2026-11");
    body.put("verdict", "ALLOW"); // after "v"
    String prev = "ab".repeat(32);
    long seq = 1234;
    RecordLayout.Prepared p = RecordLayout.prepare(body, "node-1");
    String unhashed = text(p, 0, p.headEnd) + prev + text(p, p.headEnd, p.midEnd) + seq
        + text(p, p.midEnd, p.text.length) + "}";

    ObjectNode record = body.deepCopy();
    record.put("ts", "2026-11-23T14:05:31.512000Z"); // the one fixed form of schema version 2
    record.put("v", RecordLayout.SCHEMA_VERSION);
    record.put("seq", seq);
    record.put("stream", "node-1");
    record.put("prev", prev);
    assertThat(unhashed).isEqualTo(CanonicalJson.write(record));
  }

  /** An event whose fields sort before, between and after every envelope key. */
  record Spread(String type, Instant ts, String system, String a, String q, String sa, String u, String w,
      @JsonIgnore Object input) implements AimsEvent {
    @Override
    public Map<String, Object> payloads() {
      return Map.of("input", input, "zz_output", List.of(1.5, "\u00e9"));
    }
  }

  @Test
  void aRecordLaidOutFromTheOnePassBodyIsTheRecordLaidOutFromItsTree() {
    Spread event = new Spread("decision.final", Instant.parse("2026-11-23T14:05:31.512Z"), "credit-scoring",
        "before prev", "between prev and seq", "between seq and stream", "between stream and v", "after v",
        Map.of("b", 2, "a", "\ud83d\ude00 \"quoted\""));
    LogEntry entry = new LogEntry(event, EventEncoder.plain());

    RecordLayout.Prepared fromBytes = RecordLayout.prepare(entry.canonical(), "node-1");
    RecordLayout.Prepared fromTree = RecordLayout.prepare(entry.body(), "node-1");

    assertThat(fromBytes.text).isEqualTo(fromTree.text);
    assertThat(fromBytes.headEnd).isEqualTo(fromTree.headEnd);
    assertThat(fromBytes.midEnd).isEqualTo(fromTree.midEnd);
    assertThat(fromBytes.type).isEqualTo("decision.final");
    String prev = "cd".repeat(32);
    ObjectNode record = entry.body().deepCopy();
    record.put("v", RecordLayout.SCHEMA_VERSION);
    record.put("seq", 7);
    record.put("stream", "node-1");
    record.put("prev", prev);
    assertThat(text(fromBytes, 0, fromBytes.headEnd) + prev + text(fromBytes, fromBytes.headEnd, fromBytes.midEnd)
        + 7 + text(fromBytes, fromBytes.midEnd, fromBytes.text.length) + "}").isEqualTo(CanonicalJson.write(record));
  }

  @Test
  void aBodyFieldNamedLikeAnEnvelopeFieldIsRefusedWithItsName() {
    ObjectNode body = JSON.objectNode().put("type", "x").put("seq", 3);

    assertThatThrownBy(() -> RecordLayout.prepare(body, "node-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'seq'");
  }

  @Test
  void theTsOfARecordIsInTheFixedFormAndItsPlaceIsKnownAfterSeq() {
    ObjectNode body = JSON.objectNode().put("type", "log.recovered").put("ts", "2026-12-03T10:15:30Z");

    RecordLayout.Prepared p = RecordLayout.prepare(body, "node-1");

    assertThat(RecordLayout.SCHEMA_VERSION).isEqualTo(2);
    assertThat(p.tsAt).isGreaterThan(p.midEnd);
    assertThat(text(p, p.tsAt - 6, p.tsAt + 28)).isEqualTo("\"ts\":\"2026-12-03T10:15:30.000000Z\"");
  }

  @Test
  void aRecordWithoutATimestampIsRefused() {
    assertThatThrownBy(() -> RecordLayout.prepare(JSON.objectNode().put("type", "x"), "node-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'ts'");
    assertThatThrownBy(() -> RecordLayout.prepare(JSON.objectNode().put("type", "x").put("ts", "yesterday"), "node-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ts' is not a timestamp");
    assertThatThrownBy(() -> RecordLayout.prepare(JSON.objectNode().put("type", "x").put("ts", 17), "node-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ts' is not a timestamp");
  }

  static String text(RecordLayout.Prepared p, int from, int to) {
    return new String(p.text, from, to - from, StandardCharsets.UTF_8);
  }
}
