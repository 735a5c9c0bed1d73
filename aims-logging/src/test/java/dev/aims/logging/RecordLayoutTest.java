package dev.aims.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aims.core.event.CanonicalJson;
import java.nio.charset.StandardCharsets;
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
    String unhashed = new String(p.head, StandardCharsets.UTF_8) + prev + new String(p.mid, StandardCharsets.UTF_8)
        + seq + new String(p.tail, StandardCharsets.UTF_8) + "}";

    ObjectNode record = body.deepCopy();
    record.put("v", RecordLayout.SCHEMA_VERSION);
    record.put("seq", seq);
    record.put("stream", "node-1");
    record.put("prev", prev);
    assertThat(unhashed).isEqualTo(CanonicalJson.write(record));
  }
}
