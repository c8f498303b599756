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
    void historyPlotsOnePointPerRunAndMarksPromotions() {
        List<HistoryPoint> history = List.of(new HistoryPoint("20261201-100000-aaaa", 0.85, 1, true),
                new HistoryPoint("20261202-100000-bbbb", 0.84, 1, false), new HistoryPoint("20261203-100000-cccc", 0.86, 2, true));

        String html = PipelineReport.render(RUN, "churn", List.of(), history, "roc_auc");

        assertThat(html).contains("<svg class=\"history-chart\"", "roc_auc of the champion across 3 runs", "v1", "v2");
        assertThat(count(html, "<circle class=\"history-point")).isEqualTo(3);
        assertThat(count(html, "history-promoted")).isEqualTo(2);
    }

    @Test
    void aFlatOrSingleHistoryStillHasAScale() {
        String html = PipelineReport.render(RUN, "churn", List.of(),
                List.of(new HistoryPoint("20261201-100000-aaaa", 0.9, 1, true)), "roc_auc");

        assertThat(html).contains("across 1 run<").doesNotContain("NaN", "Infinity");
    }

    @Test
    void fiftyRunsLabelEveryFifthAndStaySmall() {
        List<HistoryPoint> history = IntStream.range(0, 50)
                .mapToObj(i -> new HistoryPoint(String.format("20261201-%02d0000-aaaa", i % 24), 0.8 + i / 1000.0, i, i % 3 == 0))
                .toList();

        String html = PipelineReport.render(RUN, "churn", List.of(), history, "roc_auc");

        assertThat(count(html, "<circle")).isEqualTo(50);
        assertThat(count(html, ">v")).isLessThanOrEqualTo(11);
        assertThat(html.length()).isLessThan(40_000);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
