package dev.aims.spring.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aims.core.Actor;
import dev.aims.core.policy.Reason;
import dev.aims.oversight.ApprovalRequest;
import dev.aims.oversight.ReviewAttempt;
import dev.aims.oversight.Reviewer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The reviewer console's HTML, built in Java with every value escaped. Element ids and names are a
 * contract for browser tests and are listed in docs/spring.md.
 */
final class ConsolePage {
  /** A status line shown once after a form post (post/redirect/get). */
  record Flash(boolean ok, String message) implements java.io.Serializable {}

  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;line-height:1.45;color:#1a1a1a}
      header{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:1rem}
      .reminder{border-left:.4rem solid #b35c00;background:#fff4e5;padding:.5rem 1rem;margin:1rem 0}
      .ok{border-left:.4rem solid #1b7a1b;background:#eef8ee;padding:.5rem 1rem}
      .error{border-left:.4rem solid #b00020;background:#fdecee;padding:.5rem 1rem}
      article{border:1px solid #999;border-radius:.3rem;padding:0 1rem 1rem;margin:1rem 0}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
      pre{background:#f4f4f4;padding:.5rem;overflow:auto;max-height:20rem}
      label{display:block;font-weight:600;margin-top:.6rem}textarea{width:100%;box-sizing:border-box;font:inherit}
      button{font:inherit;padding:.35rem 1rem;margin:.6rem .5rem 0 0;cursor:pointer}
      button:focus,textarea:focus,a:focus,summary:focus{outline:3px solid #1f5fbf;outline-offset:2px}
      .note{font-style:italic}
      table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
      """;

  private static final String COUNTDOWN = """
      (function(){
        function left(ms){if(ms<=0){return 'deadline passed';}var s=Math.floor(ms/1000),h=Math.floor(s/3600),
          m=Math.floor(s%3600/60),x=s%60;return (h>0?h+' h ':'')+m+' min '+x+' s left';}
        function tick(){var els=document.querySelectorAll('[data-deadline]');for(var i=0;i<els.length;i++){
          els[i].textContent=left(Date.parse(els[i].getAttribute('data-deadline'))-Date.now());}}
        tick();setInterval(tick,1000);
      })();
      """;

  private ConsolePage() {}

  static String console(String base, Reviewer reviewer, String csrf, @Nullable Flash flash, List<ApprovalRequest> pending,
      @Nullable UUID nextPage, boolean firstPage, List<ApprovalRequest> decided, int minRationale, Instant now,
      String nonce, java.util.function.Function<UUID, @Nullable String> actions,
      java.util.function.Function<UUID, List<ReviewAttempt>> votes) {
    StringBuilder h = new StringBuilder(16_384);
    head(h, "AIMS reviewer console", nonce);
    h.append("<header><h1>AIMS reviewer console</h1><div><p>Signed in as <strong id=\"reviewer\">")
        .append(Html.escape(reviewer.id())).append("</strong> (roles: ")
        .append(Html.escape(String.join(", ", new java.util.TreeSet<>(reviewer.roles())))).append(")</p>")
        .append("<form id=\"logout\" method=\"post\" action=\"").append(Html.escape(base)).append("/aims/logout\">")
        .append(csrf).append("<button type=\"submit\">Sign out</button></form></div></header>\n<main>\n");
    if (flash != null) {
      h.append("<p id=\"console-message\" class=\"").append(flash.ok() ? "ok" : "error").append("\" role=\"")
          .append(flash.ok() ? "status" : "alert").append("\">").append(Html.escape(flash.message())).append("</p>\n");
    }
    h.append("""
        <aside id="automation-bias-reminder" class="reminder" aria-labelledby="reminder-heading">
        <h2 id="reminder-heading">Before you decide</h2>
        <p>The model's output is a proposal, not evidence. Check the inputs and the reasons yourself, and decide as
        you would without the model. Do not approve because the model says so, because the deadline is close, or
        because others usually approve. Your name and your rationale go into the tamper-evident decision log.</p>
        </aside>
        """);
    h.append("<section aria-labelledby=\"pending-heading\"><h2 id=\"pending-heading\">Pending requests</h2>\n");
    if (pending.isEmpty()) {
      h.append("<p id=\"no-pending\">").append(firstPage ? "No requests are waiting for review."
          : "No more pending requests.").append("</p>\n");
    }
    for (ApprovalRequest r : pending) {
      request(h, base, r, reviewer, csrf, minRationale, now, actions.apply(r.id()), votes.apply(r.id()));
    }
    if (!firstPage || nextPage != null) {
      h.append("<nav aria-label=\"Pending requests pages\"><p>");
      if (!firstPage) {
        h.append("<a id=\"first-page\" href=\"").append(Html.escape(base)).append("/aims/console\">First page</a> ");
      }
      if (nextPage != null) {
        h.append("<a id=\"next-page\" href=\"").append(Html.escape(base)).append("/aims/console?after=")
            .append(nextPage).append("\">Next page</a>");
      }
      h.append("</p></nav>\n");
    }
    h.append("</section>\n");
    decided(h, decided);
    h.append("</main>\n<script nonce=\"").append(nonce).append("\">").append(COUNTDOWN)
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void request(StringBuilder h, String base, ApprovalRequest r, Reviewer reviewer, String csrf,
      int minRationale, Instant now, @Nullable String actionJson, List<ReviewAttempt> votes) {
    String id = r.id().toString();
    h.append("<article id=\"request-").append(id).append("\" aria-labelledby=\"heading-").append(id).append("\">\n")
        .append("<h3 id=\"heading-").append(id).append("\">").append(Html.escape(r.system())).append(" / ")
        .append(Html.escape(r.useCase())).append(" <small>request ").append(id).append("</small></h3>\n<dl>")
        .append(row("Model", r.model() == null ? "not named" : r.model().toString()))
        .append(row("Requested by", r.requester() == null ? "unknown" : r.requester()))
        .append(row("Requested at", r.requestedAt().toString()))
        .append(row("Required role", r.requiredRole()))
        .append(row("Approvals", r.approvedBy().size() + " of " + r.approvalsRequired()
            + (r.approvedBy().isEmpty() ? "" : " (" + String.join(", ", r.approvedBy()) + ")")))
        .append(row("Tier", r.tier() == 0 ? "first" : r.tier() + 1 + " (escalated)"))
        .append("<dt>Deadline</dt><dd><time id=\"deadline-").append(id).append("\" datetime=\"").append(r.deadline())
        .append("\">").append(r.deadline()).append("</time> &mdash; <span id=\"countdown-").append(id)
        .append("\" role=\"timer\" data-deadline=\"").append(r.deadline()).append("\">")
        .append(Html.escape(remaining(Duration.between(now, r.deadline())))).append("</span></dd>")
        .append("</dl>\n<h4>Why it needs review</h4>\n<ul id=\"reasons-").append(id).append("\">");
    if (r.reasons().isEmpty()) {
      h.append("<li>No boundary reason was recorded.</li>");
    }
    for (Reason reason : r.reasons()) {
      h.append("<li><strong>").append(Html.escape(reason.verdict())).append("</strong> by ")
          .append(Html.escape(reason.boundary())).append(" (version ").append(Html.escape(reason.version()))
          .append("): ").append(Html.escape(reason.message())).append("</li>");
    }
    h.append("</ul>\n<h4>Input</h4>\n<pre id=\"input-").append(id).append("\">")
        .append(Html.escape(r.input() == null ? "(not recorded)" : pretty(r.input()))).append("</pre>\n")
        .append("<h4>Proposed output</h4>\n<pre id=\"output-").append(id).append("\">")
        .append(Html.escape(pretty(r.proposedOutput()))).append("</pre>\n")
        .append("<h4>What your approval lets run</h4>\n<p>The approval is bound to exactly these action parameters"
            + " (digest <code>").append(Html.escape(r.actionDigest())).append("</code>).</p>\n<pre id=\"action-")
        .append(id).append("\">").append(Html.escape(actionJson == null ? "(no longer stored)" : pretty(actionJson)))
        .append("</pre>\n");
    votes(h, id, votes);
    if (reviewer.is(r.requester())) {
      h.append("<p class=\"note\" id=\"self-note-").append(id)
          .append("\">You made this request, so another reviewer must decide it.</p>\n");
    } else if (!reviewer.hasRole(r.requiredRole())) {
      h.append("<p class=\"note\" id=\"role-note-").append(id).append("\">This request needs the role ")
          .append(Html.escape(r.requiredRole())).append(", which you do not hold.</p>\n");
    }
    String rationaleId = "rationale-" + id;
    String overrideId = "override-output-" + id;
    h.append("<form id=\"review-").append(id).append("\" method=\"post\" action=\"").append(Html.escape(base))
        .append("/aims/console/requests/").append(id).append("\">").append(csrf)
        .append("<input type=\"hidden\" name=\"actionDigest\" value=\"").append(Html.escape(r.actionDigest()))
        .append("\">\n<label for=\"").append(rationaleId).append("\">Rationale (required, at least ").append(minRationale)
        .append(" letters or digits): what you checked and why you decide so</label>\n<textarea id=\"").append(rationaleId)
        .append("\" name=\"rationale\" rows=\"3\" required minlength=\"").append(minRationale).append("\"></textarea>\n")
        .append("<details><summary>Override: replace the output</summary>\n<label for=\"").append(overrideId)
        .append("\">Replacement output as JSON (used only by the Override button)</label>\n<textarea id=\"")
        .append(overrideId).append("\" name=\"output\" rows=\"4\" spellcheck=\"false\"></textarea></details>\n")
        .append("<button type=\"submit\" name=\"action\" value=\"approve\" id=\"approve-").append(id)
        .append("\">Approve</button><button type=\"submit\" name=\"action\" value=\"reject\" id=\"reject-").append(id)
        .append("\">Reject</button><button type=\"submit\" name=\"action\" value=\"override\" id=\"override-").append(id)
        .append("\">Override</button>");
    if (r.tier() + 1 < r.policy().tiers().size()) {
      h.append("<button type=\"submit\" name=\"action\" value=\"escalate\" id=\"escalate-").append(id)
          .append("\">Escalate</button>");
    }
    h.append("</form>\n</article>\n");
  }

  /** Every accepted reviewer action on the request so far (refused attempts are evidence in the log, not votes). */
  private static void votes(StringBuilder h, String id, List<ReviewAttempt> attempts) {
    h.append("<h4>Votes so far</h4>\n<ol id=\"votes-").append(id).append("\">");
    boolean any = false;
    for (ReviewAttempt a : attempts) {
      if (!a.accepted()) {
        continue;
      }
      any = true;
      h.append("<li><strong>").append(Html.escape(a.action().name().toLowerCase(java.util.Locale.ROOT)))
          .append("</strong> by ").append(Html.escape(a.reviewer())).append(" as ").append(Html.escape(a.role()))
          .append(" (tier ").append(a.tier() + 1).append(") at <time datetime=\"").append(a.at()).append("\">")
          .append(a.at()).append("</time>: ").append(Html.escape(a.rationale() == null ? "(no rationale)" : a.rationale()))
          .append("</li>");
    }
    if (!any) {
      h.append("<li>No votes yet.</li>");
    }
    h.append("</ol>\n");
  }

  private static void decided(StringBuilder h, List<ApprovalRequest> decided) {
    h.append("<section aria-labelledby=\"decided-heading\"><h2 id=\"decided-heading\">Recently decided</h2>\n");
    if (decided.isEmpty()) {
      h.append("<p id=\"no-decided\">Nothing has been decided yet.</p></section>\n");
      return;
    }
    h.append("<table id=\"decided\"><caption>The ").append(decided.size())
        .append(" most recently decided requests, newest first</caption>\n<thead><tr><th scope=\"col\">Decided at</th>")
        .append("<th scope=\"col\">Request</th><th scope=\"col\">System</th><th scope=\"col\">Outcome</th>")
        .append("<th scope=\"col\">Decided by</th><th scope=\"col\">Rationale</th></tr></thead>\n<tbody>\n");
    for (ApprovalRequest r : decided) {
      Actor by = r.decidedBy();
      String outcome = r.resolution() == null ? r.status().name() : r.resolution().name();
      h.append("<tr id=\"decided-").append(r.id()).append("\"><th scope=\"row\"><time datetime=\"")
          .append(Html.escape(r.decidedAt())).append("\">").append(Html.escape(r.decidedAt())).append("</time></th><td>")
          .append(r.id()).append("</td><td>").append(Html.escape(r.system())).append("</td><td>")
          .append(Html.escape(outcome)).append("</td><td>")
          .append(by == null ? "nobody (deadline passed)" : Html.escape(by.id() + " as " + by.role())).append("</td><td>")
          .append(Html.escape(r.rationale())).append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  static String login(String base, String csrf, boolean error, boolean loggedOut, String nonce) {
    StringBuilder h = new StringBuilder(2048);
    head(h, "Sign in - AIMS reviewer console", nonce);
    h.append("<main><h1>Sign in to the AIMS reviewer console</h1>\n");
    if (error) {
      h.append("<p id=\"login-error\" class=\"error\" role=\"alert\">Wrong user name or password.</p>\n");
    }
    if (loggedOut) {
      h.append("<p id=\"logged-out\" class=\"ok\" role=\"status\">You are signed out.</p>\n");
    }
    h.append("<form id=\"login\" method=\"post\" action=\"").append(Html.escape(base)).append("/aims/login\">")
        .append(csrf)
        .append("<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>")
        .append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
        .append("<div><button type=\"submit\" id=\"sign-in\">Sign in</button></div></form></main>\n</body>\n</html>\n");
    return h.toString();
  }

  static String message(String title, String text, String nonce) {
    StringBuilder h = new StringBuilder(1024);
    head(h, title, nonce);
    h.append("<main><h1>").append(Html.escape(title)).append("</h1><p>").append(Html.escape(text))
        .append("</p></main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void head(StringBuilder h, String title, String nonce) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(Html.escape(title)).append("</title><style nonce=\"").append(nonce).append("\">").append(STYLE)
        .append("</style></head>\n<body>\n");
  }

  private static String row(String term, String value) {
    return "<dt>" + Html.escape(term) + "</dt><dd>" + Html.escape(value) + "</dd>";
  }

  /** Server-rendered remaining time, so the page is right without JavaScript (the script keeps it live). */
  static String remaining(Duration left) {
    if (left.isNegative() || left.isZero()) {
      return "deadline passed";
    }
    long s = left.toSeconds();
    long h = s / 3600;
    long m = s % 3600 / 60;
    return (h > 0 ? h + " h " : "") + m + " min left";
  }

  private static String pretty(String canonicalJson) {
    JsonNode node = ApprovalJson.embedded(canonicalJson);
    try {
      return ApprovalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return canonicalJson;
    }
  }
}
