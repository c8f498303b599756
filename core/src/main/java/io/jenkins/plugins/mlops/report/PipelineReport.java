package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.List;
import java.util.Locale;

/**
 * The index page of a pipeline run ({@code report.html}): the stages as a strip a person reads
 * left to right, champion and candidate of each run across runs, then every stage's own panels, in
 * run order, each linking to the step's full page. Like the step pages: one stylesheet beside
 * it, no script, no data embedded beyond what the panels show.
 */
public final class PipelineReport {

    /**
     * One stage's part of the page.
     *
     * @param status null when the stage did not run
     * @param href the step's own page in the same directory, or null when it wrote none
     * @param panels the step's panels, as its own page shows them
     */
    public record Section(String title, Status status, String summary, String href, List<String> panels) {
        public Section {
            panels = List.copyOf(panels);
        }

        /** A stage the run did not reach. */
        public static Section notRun(String title) {
            return new Section(title, null, "Not run: an earlier stage failed.", null, List.of());
        }
    }

    /**
     * One run: the champion and the candidate by the primary metric, both on that run's hold-out
     * rows, so the two are comparable (values of different runs come from different rows).
     *
     * @param champion the champion's value, or null when the run had no champion (the first model)
     * @param championVersion its registry version, or null
     * @param candidate the candidate's value, or null when the run did not record it
     * @param promoted whether the candidate became the champion
     * @param version the version that holds the champion alias after the run, or null
     */
    public record HistoryPoint(String runId, Double champion, Integer championVersion, Double candidate,
            boolean promoted, Integer version) {
        public HistoryPoint {
            if (champion == null && candidate == null) {
                throw new IllegalArgumentException("a history point needs a champion or a candidate value");
            }
        }
    }

    private PipelineReport() {}

    /**
     * @param model the registered model's name
     * @param history oldest first, this run included
     * @param metric the primary metric the history plots, or null without a gate
     */
    public static String render(StepResult run, String model, List<Section> sections, List<HistoryPoint> history,
            String metric) {
        StringBuilder html = new StringBuilder(64 * 1024);
        String title = model + " — pipeline";
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append(" — ").append(Html.escape(run.status()))
                .append("</title>\n<link rel=\"stylesheet\" href=\"").append(HtmlReport.STYLESHEET).append("\">\n")
                .append("</head>\n<body>\n<main class=\"mlops-report pipeline-report\">\n");
        html.append("<header>\n<h1>").append(Html.escape(title)).append(" <span class=\"badge ")
                .append(Html.statusClass(run.status())).append("\">").append(Html.escape(run.status()))
                .append("</span></h1>\n<p class=\"summary\">").append(Html.escape(run.summary())).append("</p>\n")
                .append("<p class=\"meta\">started ").append(Html.escape(run.started())).append(" · ")
                .append(String.format(Locale.ROOT, "%.1f s", run.durationS())).append(" · ")
                .append(Html.escape(run.schema())).append("</p>\n</header>\n");
        html.append(stageStrip(sections));
        html.append(historyPanel(history, metric));
        for (int i = 0; i < sections.size(); i++) {
            html.append(section(i, sections.get(i)));
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static String stageStrip(List<Section> sections) {
        StringBuilder html = new StringBuilder("<nav class=\"pipeline-stages\" aria-label=\"stages\">\n<ol>\n");
        for (int i = 0; i < sections.size(); i++) {
            Section section = sections.get(i);
            html.append("<li class=\"pipeline-stage ").append(stateClass(section)).append("\"><a href=\"#stage-")
                    .append(i + 1).append("\"><span class=\"pipeline-stage-name\">").append(Html.escape(section.title()))
                    .append("</span><span class=\"pipeline-stage-status\">")
                    .append(section.status() == null ? "not run" : Html.escape(section.status()))
                    .append("</span></a></li>\n");
        }
        return html.append("</ol>\n</nav>\n").toString();
    }

    private static String section(int index, Section section) {
        StringBuilder html = new StringBuilder();
        html.append("<section class=\"pipeline-section ").append(stateClass(section)).append("\" id=\"stage-")
                .append(index + 1).append("\">\n<h2>").append(index + 1).append(". ").append(Html.escape(section.title()));
        if (section.status() != null) {
            html.append(" <span class=\"badge ").append(Html.statusClass(section.status())).append("\">")
                    .append(Html.escape(section.status())).append("</span>");
        }
        html.append("</h2>\n<p class=\"summary\">").append(Html.escape(section.summary()));
        if (section.href() != null) {
            html.append(" <a class=\"pipeline-details\" href=\"").append(Html.escape(section.href()))
                    .append("\">Full report and checks</a>");
        }
        html.append("</p>\n");
        for (String panel : section.panels()) {
            html.append(panel).append('\n');
        }
        return html.append("</section>\n").toString();
    }

    private static String stateClass(Section section) {
        return section.status() == null ? "status-not-run" : Html.statusClass(section.status());
    }

    private static String historyPanel(List<HistoryPoint> history, String metric) {
        StringBuilder html = new StringBuilder("<section class=\"panel pipeline-history\">\n<h2>Champion and candidate "
                + "across runs</h2>\n");
        if (metric == null || history.isEmpty()) {
            return html.append("<p class=\"note\">No gate has measured a champion yet.</p>\n</section>\n").toString();
        }
        html.append("<p class=\"note\">").append(Html.escape(metric)).append(" of each run's ")
                .append("<span class=\"history-key-champion\">champion (circle)</span> and ")
                .append("<span class=\"history-key-candidate\">candidate (square)</span>, both on that run's hold-out rows: ")
                .append("compare the two of one run. A <span class=\"history-key-promoted\">promoted</span> candidate is ")
                .append("the next run's champion (dashed), scored there on new rows; a ")
                .append("<span class=\"history-key-blocked\">blocked</span> one left the champion in place.</p>\n")
                .append(HistoryChart.svg(history, metric));
        return html.append("</section>\n").toString();
    }
}
