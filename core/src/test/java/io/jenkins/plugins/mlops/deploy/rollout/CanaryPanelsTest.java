package io.jenkins.plugins.mlops.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.deploy.judge.Verdict;
import io.jenkins.plugins.mlops.report.HtmlReport;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryPanelsTest {
    @Test
    void theTimelineIsInlineSvgWithADecisionMarkPerLookAndNoScriptOrStyle() {
        ArmSummary stable = new ArmSummary("stable", 900, 1, 0.0011, 20.0, 35.0, 900, 0.4);
        ArmSummary candidate = new ArmSummary("candidate", 100, 30, 0.3, 24.0, 50.0, 100, 0.5);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<Evaluation> looks = List.of(
                new Evaluation(t.plusSeconds(10), 10, 10, 10, stable, candidate, Verdict.PASS, Decision.CONTINUE, List.of(), List.of()),
                new Evaluation(t.plusSeconds(20), 20, 10, 20, stable, candidate, Verdict.PASS, Decision.ADVANCE, List.of(), List.of()),
                new Evaluation(t.plusSeconds(30), 30, 50, 10, stable, candidate, Verdict.FAIL, Decision.ROLLBACK, List.of(),
                        List.of("error_rate: <b>above</b> the limit")));
        CanaryResult result = new CanaryResult(CanaryResult.SCHEMA, CanaryResult.STEP, Status.FAIL, t, 30, "Rolled back",
                List.of(), CanaryResult.ROLLED_BACK, "embedded router on 127.0.0.1:1", List.of(10, 50, 100), 20, 10,
                JudgePolicy.defaults(), 0, null, looks);
        String html = HtmlReport.render(result, "Canary rollout", CanaryPanels.panels(result));
        assertThat(html).contains("<svg", "canary-weight", "canary-decision canary-rollback", "canary-decision canary-advance")
                .doesNotContain("<script", "style=", "<b>above");
        assertThat(html).contains("&lt;b&gt;above&lt;/b&gt;");
        // The weight line steps from 10 to 50 where the second step began (20 s into the rollout).
        assertThat(html).containsPattern("points=\"70\\.0,124\\.0 [^\"]*\"");
        assertThat(html.split("class=\"canary-decision ", -1)).hasSize(1 + 3 * 3); // three looks in each of three charts
        assertThat(HtmlReport.stylesheet()).contains(".canary-rollback");
    }
}
