package dev.aims.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aims.core.action.ActionStatus;
import dev.aims.core.event.EventTypes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AgentDemoTest {
  private static AgentDemo.Summary summary;
  private static String printed;

  @BeforeAll
  static void runDemo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = AgentDemo.run(out);
    }
    printed = bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void smallCallsRunTheLargeOneAfterApprovalTheRejectedOneNeverAndTheDeferredOneAfterApproval() {
    assertThat(summary.calls()).extracting(AgentDemo.Line::tool, AgentDemo.Line::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("refund", ActionStatus.ALLOWED),
        org.assertj.core.groups.Tuple.tuple("send_email", ActionStatus.ALLOWED),
        org.assertj.core.groups.Tuple.tuple("refund", ActionStatus.APPROVED),
        org.assertj.core.groups.Tuple.tuple("refund", ActionStatus.REJECTED),
        org.assertj.core.groups.Tuple.tuple("send_email", ActionStatus.APPROVED));
    assertThat(summary.calls()).extracting(AgentDemo.Line::result)
        .containsExactly("refund r-1 issued", "e-mail m-2 sent", "refund r-3 issued", null, "e-mail m-4 sent");
    assertThat(summary.toolRuns()).isEqualTo(4);
  }

  @Test
  void theLogHoldsEachProposalVerdictApprovalAndExecution() {
    assertThat(summary.logEventTypes())
        .containsEntry(EventTypes.DECISION_FINAL, 5L)
        .containsEntry(EventTypes.APPROVAL_REQUESTED, 3L)
        .containsEntry(EventTypes.ACTION_STARTED, 4L)
        .containsEntry(EventTypes.ACTION_EXECUTED, 4L);
  }

  @Test
  void recipientsAreRedactedInWhatTheLogAndTheReviewerSawAndInThePrintout() {
    assertThat(summary.calls().get(1).shownArguments()).contains("\"to\":\"[redacted]\"");
    assertThat(summary.calls().get(4).shownArguments()).contains("\"to\":\"[redacted]\"");
    assertThat(printed).contains("Agent tool calls").contains("4 tool runs").contains("(did not run)")
        .doesNotContain("jane.doe@example.org").doesNotContain("billing@acme.com");
  }
}
