package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Renders a step result as one HTML page: header, the step's own panels, then the checks table.
 * No script and no inline style, so Jenkins serves it under its default Content-Security-Policy;
 * the one stylesheet ({@link #STYLESHEET}) is written beside the page.
 */
public final class HtmlReport {
    /** File name of the shared stylesheet every page links to. */
    public static final String STYLESHEET = "mlops-report.css";

    private HtmlReport() {}

    /**
     * @param title what the page is about, e.g. "Data validation"
     * @param panels HTML fragments the step renders (already escaped), shown above the checks
     */
    public static String render(StepResult result, String title, List<String> panels) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(Html.escape(title)).append(" — ")
                .append(Html.escape(result.status())).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(STYLESHEET).append("\">\n")
                .append("</head>\n<body>\n<main class=\"mlops-report\">\n");
        html.append("<header>\n<h1>").append(Html.escape(title)).append(" <span class=\"badge ")
                .append(Html.statusClass(result.status())).append("\">").append(Html.escape(result.status()))
                .append("</span></h1>\n")
                .append("<p class=\"summary\">").append(Html.escape(result.summary())).append("</p>\n")
                .append("<p class=\"meta\">").append(Html.escape(result.step())).append(" · started ")
                .append(Html.escape(result.started())).append(" · ")
                .append(String.format(Locale.ROOT, "%.2f s", result.durationS())).append(" · ")
                .append(Html.escape(result.schema())).append("</p>\n</header>\n");
        for (String panel : panels) {
            html.append(panel).append('\n');
        }
        html.append(checksTable(result.checks()));
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    static String checksTable(List<Check> checks) {
        StringBuilder html = new StringBuilder();
        html.append("<section class=\"checks\">\n<h2>Checks</h2>\n<table>\n<thead><tr>")
                .append("<th>Status</th><th>Check</th><th>Column</th><th>Observed</th><th>Expected</th><th>Message</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (Check check : checks) {
            html.append("<tr class=\"").append(Html.statusClass(check.status())).append("\">")
                    .append("<td><span class=\"badge ").append(Html.statusClass(check.status())).append("\">")
                    .append(Html.escape(check.status())).append("</span></td>")
                    .append("<td>").append(Html.escape(check.name())).append("</td>")
                    .append("<td>").append(Html.escape(check.column())).append("</td>")
                    .append("<td class=\"num\">").append(Html.escape(check.observed())).append("</td>")
                    .append("<td class=\"num\">").append(Html.escape(check.expected())).append("</td>")
                    .append("<td>").append(Html.escape(check.message())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
        return html.toString();
    }

    /** The shared stylesheet, from the classpath. */
    public static String stylesheet() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(STYLESHEET)) {
            if (in == null) {
                throw new IllegalStateException(STYLESHEET + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
