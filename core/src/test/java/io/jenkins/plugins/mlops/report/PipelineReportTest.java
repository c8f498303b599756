package io.jenkins.plugins.mlops.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.report.PipelineReport.HistoryPoint;
import io.jenkins.plugins.mlops.report.PipelineReport.Section;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pipeline's index page: stages in order, the run history, nothing unescaped, no script. */
class PipelineReportTest {
    private static final StepResult RUN = new StepResult() {
        @Override public String schema() { return "mlops.pipeline/v1"; }
        @Override public String step() { return "pipeline"; }
        @Override public Status status() { return Status.FAIL; }
        @Override public Instant started() { return Instant.parse("2026-12-01T10:00:00Z"); }
        @Override public double durationS() { return 42; }
        @Override public String summary() { return "Stopped at gate: <worse> & rejected"; }
        @Override public List<Check> checks() { return List.of(); }
    };

    @Test
    void stagesAppearInRunOrderWithTheirVerdictsAndLinks() {
        String html = PipelineReport.render(RUN, "churn", List.of(
                new Section("Data validation", Status.WARN, "Drift detected", "validation.html", List.of("<p id=\"v\">panel</p>")),
                new Section("Model gate", Status.FAIL, "The candidate fails", "gate.html", List.of()),
                Section.notRun("Model registration")), List.of(), null);

        assertThat(html).containsSubsequence("Data validation", "Model gate", "Model registration",
                "1. Data validation", "<p id=\"v\">panel</p>", "2. Model gate", "3. Model registration");
        assertThat(html).contains("href=\"validation.html\"", "href=\"gate.html\"", "status-not-run",
                "Not run: an earlier stage failed.", "No gate has measured a champion yet.");
        assertThat(html).contains("Stopped at gate: &lt;worse&gt; &amp; rejected").doesNotContain("<worse>");
        assertThat(html).doesNotContain("<script", "style=", " on");
    }

    @Test
    void historyPairsEachRunsChampionWithItsCandidateOnThatRunsRows() {
        // Run 1: the first model. Run 2: drift; the champion scores lower on the new rows, the
        // retrained candidate higher, and is promoted. Run 3: a worse candidate, blocked.
        List<HistoryPoint> history = List.of(new HistoryPoint("20261201-100000-aaaa", null, null, 0.86, true, 1),
                new HistoryPoint("20261202-100000-bbbb", 0.876, 1, 0.905, true, 2),
                new HistoryPoint("20261203-100000-cccc", 0.905, 2, 0.888, false, 2));

        String html = PipelineReport.render(RUN, "churn", List.of(), history, "roc_auc");

        assertThat(html).contains("<svg class=\"history-chart\"", "roc_auc of the champion and the candidate across 3 runs");
        assertThat(count(html, "<circle class=\"history-champion\"")).as("no champion on the first run").isEqualTo(2);
        assertThat(count(html, "<rect class=\"history-candidate history-promoted\"")).isEqualTo(2);
        assertThat(count(html, "<rect class=\"history-candidate history-blocked\"")).isEqualTo(1);
        assertThat(count(html, "class=\"history-gap\"")).as("one difference per run with both models").isEqualTo(2);
        assertThat(count(html, "class=\"history-handover\"")).as("v1 to run 2, v2 to run 3").isEqualTo(2);
        assertThat(html).contains(">→ v1<", ">v1 → v2<", ">v2 kept<", "candidate, roc_auc 0.888, not promoted");
        assertThat(html).doesNotContain("history-line").as("no line across runs: their rows differ");
    }

    @Test
    void runsWrittenBeforeTheComparisonShowTheirChampionAlone() {
        List<HistoryPoint> history = List.of(new HistoryPoint("20261201-100000-aaaa", null, null, 0.85, true, 1),
                new HistoryPoint("20261202-100000-bbbb", 0.84, 1, null, false, 1));

        String html = PipelineReport.render(RUN, "churn", List.of(), history, "roc_auc");

        assertThat(count(html, "<circle class=\"history-champion\"")).isEqualTo(1);
        assertThat(count(html, "<rect class=\"history-candidate")).isEqualTo(1);
        assertThat(count(html, "class=\"history-gap\"")).isZero();
        assertThat(count(html, "class=\"history-handover\"")).isEqualTo(1);
    }

    @Test
    void aFlatOrSingleHistoryStillHasAScale() {
        String html = PipelineReport.render(RUN, "churn", List.of(),
                List.of(new HistoryPoint("20261201-100000-aaaa", 0.9, 1, 0.9, false, 1)), "roc_auc");

        assertThat(html).contains("across 1 run<").doesNotContain("NaN", "Infinity");
    }

    @Test
    void fiftyRunsLabelEveryFifthAndStaySmall() {
        List<HistoryPoint> history = IntStream.range(0, 50)
                .mapToObj(i -> new HistoryPoint(String.format("20261201-%02d0000-aaaa", i % 24), 0.8 + i / 1000.0, i,
                        0.801 + i / 1000.0, i % 3 == 0, i % 3 == 0 ? i + 1 : i))
                .toList();

        String html = PipelineReport.render(RUN, "churn", List.of(), history, "roc_auc");

        assertThat(count(html, "<circle")).isEqualTo(50);
        assertThat(count(html, "<rect")).isEqualTo(50);
        assertThat(count(html, " kept<") + count(html, "→ v")).isLessThanOrEqualTo(11);
        assertThat(html.length()).isLessThan(60_000);
    }

    @Test
    void aHistoryPointNeedsAValue() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HistoryPoint("r", null, 1, null, false, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
