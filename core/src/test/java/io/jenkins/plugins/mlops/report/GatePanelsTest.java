package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.gate.BaselineInfo;
import io.jenkins.plugins.mlops.gate.BootstrapInfo;
import io.jenkins.plugins.mlops.gate.Decision;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.MetricComparison;
import io.jenkins.plugins.mlops.gate.RuleVerdict;
import io.jenkins.plugins.mlops.gate.SliceComparison;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatePanelsTest {

    private static final MetricComparison AUC = new MetricComparison("roc_auc", 0.80, 0.82, 0.02, 0.01, 0.03, true, true, null);
    private static final MetricComparison LOSS = new MetricComparison("log_loss", 0.50, 0.55, 0.05, 0.02, 0.08, false, false, null);
    private static final RuleVerdict TOLERANCE = new RuleVerdict("max_regression", "log_loss", null, 0.08, "<", 0.04,
            Status.FAIL, "log_loss: interval does not exclude a regression larger than 0.04");

    @Test
    void rulesTableSaysWhyRowByRowWithTheFailuresFirst() {
        RuleVerdict floor = new RuleVerdict("threshold", "roc_auc", null, 0.82, ">=", 0.75, Status.PASS,
                "threshold on roc_auc holds: candidate 0.82 >= 0.75");
        RuleVerdict slice = new RuleVerdict("threshold", "roc_auc", "contract=<two year>", null, ">=", 0.75, Status.ERROR,
                "cannot evaluate threshold on roc_auc on slice contract=<two year>");

        String html = GatePanels.rulesTable(result(List.of(AUC, LOSS), List.of(floor, TOLERANCE, slice), List.of()));

        assertThat(html).contains("<h2>Rules</h2>", "<th>Observed</th>", "<th>Needs</th>");
        assertThat(html).containsSubsequence("ERROR", "FAIL", "max_regression", "log_loss", "0.08", "&lt; 0.04",
                "does not exclude a regression larger than 0.04", "PASS", "threshold", "&gt;= 0.75");
        assertThat(html).contains("roc_auc [contract=&lt;two year&gt;]", "<td class=\"num\">—</td>").doesNotContain("<two year>");
        assertThat(GatePanels.panels(result(List.of(AUC), List.of(floor), List.of())).get(1)).contains("<h2>Rules</h2>");
    }

    @Test
    void metricsTableShowsBothModelsTheDifferenceAndItsInterval() {
        String html = GatePanels.metricsTable(result(List.of(AUC, LOSS), List.of(TOLERANCE), List.of()));
        assertThat(html).contains("<td>roc_auc <span class=\"note\">(primary)</span></td>", "0.8", "0.82",
                "[+0.01, +0.03]", "95% interval");
        assertThat(html).contains("class=\"num gate-better\">+0.02").contains("class=\"num gate-worse\">+0.05");
    }

    @Test
    void forestPlotOrientsDifferencesSoRightIsBetterAndDrawsTheTolerance() {
        String svg = GatePanels.forestPlot(result(List.of(AUC, LOSS), List.of(TOLERANCE), List.of()));
        assertThat(svg).contains("<svg", "class=\"zero\"", "class=\"interval\"", "gate-tolerance",
                "tolerated regression 0.04", "roc_auc *");
        // roc_auc improved by 2.5 % of its baseline: a green point right of zero; log_loss worsened by 10 %.
        assertThat(svg).contains("gate-point gate-better").contains("gate-point gate-worse").contains("(+2.5 %)", "(-10 %)");
        assertThat(svg).doesNotContain("<script", "style=", "NaN");
    }

    @Test
    void aRecordedBaselineIsCalledWeakerAndPlotsPointsWithoutIntervals() {
        MetricComparison point = new MetricComparison("rmse", 2.0, 1.9, -0.1, null, null, false, true, "no interval");
        GateResult result = new GateResult(GateResult.SCHEMA, GateResult.STEP, Status.WARN, Instant.EPOCH, 1, "summary",
                List.of(), Decision.PASS, "regression", 100, "rmse", null, List.of(point), List.of(), List.of(),
                new BaselineInfo("recorded_metrics", "models:/demand@champion", false, "This is weaker."), "cand.csv", null);
        String html = String.join("\n", GatePanels.panels(result));
        assertThat(html).contains("class=\"gate-weak\">This is weaker.", "models:/demand@champion", "—");
        assertThat(html).doesNotContain("class=\"interval\"");
    }

    @Test
    void sliceTableMarksUnjudgedSlicesAndEscapesValues() {
        SliceComparison judged = new SliceComparison("region", "<eu>", 500, true, Status.FAIL, List.of(AUC));
        SliceComparison small = new SliceComparison("region", "apac", 20, false, Status.PASS, List.of(AUC));
        String html = GatePanels.sliceTable(result(List.of(AUC), List.of(), List.of(judged, small)));
        assertThat(html).contains("region=&lt;eu&gt;", "tr class=\"status-fail\"", "tr class=\"gate-unjudged\"", "not judged");
        assertThat(html).doesNotContain("<eu>");
    }

    @Test
    void theWholePageHasNoScriptAndNoInlineStyle() {
        GateResult result = result(List.of(AUC, LOSS), List.of(TOLERANCE),
                List.of(new SliceComparison("region", "eu", 500, true, Status.PASS, List.of(AUC, LOSS))));
        String page = HtmlReport.render(result, "Model gate", GatePanels.panels(result));
        assertThat(page).doesNotContain("<script", "style=", "<style");
        assertThat(page).containsSubsequence("Comparison", "Rules", "Metrics", "Differences", "Slices", "Checks");
    }

    private static GateResult result(List<MetricComparison> metrics, List<RuleVerdict> rules, List<SliceComparison> slices) {
        return new GateResult(GateResult.SCHEMA, GateResult.STEP, Status.FAIL, Instant.EPOCH, 1.0, "summary",
                List.of(Check.of("max_regression", "log_loss", Status.FAIL, "0.08", "< 0.04", "m")), Decision.FAIL,
                "classification", 1000, "roc_auc", "1", metrics, rules, slices,
                new BaselineInfo("predictions", "predictions in base.csv", true, null), "cand.csv",
                new BootstrapInfo("paired bootstrap", 1000, 0.95, 42));
    }
}
