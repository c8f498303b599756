package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.MetricComparison;
import io.jenkins.plugins.mlops.gate.RuleVerdict;
import io.jenkins.plugins.mlops.gate.SliceComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The gate's HTML panels: where the baseline came from, the rules that decided (failed first),
 * the metrics table (both models, the difference and its interval), a forest plot of the differences with the tolerance the policy
 * allows, and the per-slice table. Inline SVG with presentation attributes and CSS classes only,
 * so the page works under Jenkins' Content-Security-Policy.
 */
public final class GatePanels {
    private static final int LABEL_WIDTH = 130;
    private static final int PLOT_WIDTH = 480;
    private static final int RIGHT_MARGIN = 30;
    private static final int ROW_HEIGHT = 30;
    private static final int TOP = 24;

    private GatePanels() {}

    public static List<String> panels(GateResult result) {
        List<String> panels = new ArrayList<>();
        panels.add(sourcePanel(result));
        if (!result.rules().isEmpty()) {
            panels.add(rulesTable(result));
        }
        if (!result.metrics().isEmpty()) {
            panels.add(metricsTable(result));
            panels.add(forestPlot(result));
        }
        if (!result.slices().isEmpty()) {
            panels.add(sliceTable(result));
        }
        return panels;
    }

    static String sourcePanel(GateResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel gate-source\">\n<h2>Comparison</h2>\n<p>")
                .append("Decision: <span class=\"badge ").append(Html.statusClass(result.decision())).append("\">")
                .append(Html.escape(result.decision())).append("</span>");
        if (result.task() != null) {
            html.append(" · ").append(Html.escape(result.task())).append(" · ").append(result.rows()).append(" paired rows");
        }
        if (result.primaryMetric() != null) {
            html.append(" · primary metric <strong>").append(Html.escape(result.primaryMetric())).append("</strong>");
        }
        html.append("</p>\n<p>Candidate: ").append(Html.escape(result.candidateSource())).append("<br>Baseline: ")
                .append(Html.escape(result.baselineSource().description())).append("</p>\n");
        if (!result.baselineSource().paired()) {
            html.append("<p class=\"gate-weak\">").append(Html.escape(result.baselineSource().note())).append("</p>\n");
        }
        if (result.bootstrap() != null) {
            html.append("<p class=\"note\">Intervals: ").append(Html.escape(result.bootstrap().method())).append(", ")
                    .append(result.bootstrap().resamples()).append(" resamples, ")
                    .append(Html.number(result.bootstrap().confidence() * 100)).append("% confidence, seed ")
                    .append(result.bootstrap().seed()).append(".</p>\n");
        }
        return html.append("</section>").toString();
    }

    /**
     * Why the gate decided as it did, one rule per row: what was observed, the limit, the verdict
     * and the sentence that explains it. The rules that did not pass come first.
     */
    static String rulesTable(GateResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel gate-rules\">\n<h2>Rules</h2>\n<table>\n<thead><tr>")
                .append("<th>Verdict</th><th>Rule</th><th>Metric</th><th>Observed</th><th>Needs</th><th>Why</th>")
                .append("</tr></thead>\n<tbody>\n");
        List<RuleVerdict> rules = new ArrayList<>(result.rules());
        rules.sort(Comparator.comparing(RuleVerdict::verdict).reversed());
        for (RuleVerdict rule : rules) {
            html.append("<tr class=\"").append(Html.statusClass(rule.verdict())).append("\"><td><span class=\"badge ")
                    .append(Html.statusClass(rule.verdict())).append("\">").append(Html.escape(rule.verdict()))
                    .append("</span></td><td>").append(Html.escape(rule.rule())).append("</td><td>")
                    .append(Html.escape(rule.metric() + (rule.slice() == null ? "" : " [" + rule.slice() + "]")))
                    .append("</td>").append(numberCell(rule.observed())).append("<td class=\"num\">")
                    .append(rule.limit() == null ? "—" : Html.escape(rule.comparison() + " " + Html.number(rule.limit())))
                    .append("</td><td>").append(Html.escape(rule.message())).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    static String metricsTable(GateResult result) {
        String level = result.bootstrap() == null ? "" : Html.number(result.bootstrap().confidence() * 100) + "% ";
        StringBuilder html = new StringBuilder("<section class=\"panel gate-metrics\">\n<h2>Metrics</h2>\n<table>\n<thead><tr>")
                .append("<th>Metric</th><th>Better</th><th>Baseline</th><th>Candidate</th><th>Difference</th><th>")
                .append(Html.escape(level)).append("interval of the difference</th><th>Note</th></tr></thead>\n<tbody>\n");
        for (MetricComparison m : result.metrics()) {
            html.append("<tr").append(m.primary() ? " class=\"gate-primary\"" : "").append("><td>")
                    .append(Html.escape(m.name())).append(m.primary() ? " <span class=\"note\">(primary)</span>" : "")
                    .append("</td><td>").append(m.greaterIsBetter() ? "higher" : "lower").append("</td>")
                    .append(numberCell(m.baseline())).append(numberCell(m.candidate()))
                    .append("<td class=\"num ").append(directionClass(m)).append("\">")
                    .append(m.difference() == null ? "—" : signed(m.difference())).append("</td><td class=\"num\">")
                    .append(m.ciLow() == null ? "—" : "[" + signed(m.ciLow()) + ", " + signed(m.ciHigh()) + "]")
                    .append("</td><td>").append(Html.escape(m.note())).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    /**
     * One row per metric: the difference turned so that right is better, as a percentage of the
     * baseline's magnitude (metrics on different scales share one axis), its interval as a line,
     * zero as a dashed line, and the tolerated regression of a {@code max_regression} rule as a tick.
     */
    static String forestPlot(GateResult result) {
        List<MetricComparison> rows = result.metrics().stream()
                .filter(m -> m.difference() != null && m.baseline() != null && m.baseline() != 0).toList();
        StringBuilder html = new StringBuilder("<section class=\"panel gate-forest\">\n<h2>Differences</h2>\n");
        if (rows.isEmpty()) {
            return html.append("<p class=\"note\">No metric has values for both models to plot.</p>\n</section>").toString();
        }
        double extent = 0;
        for (MetricComparison m : rows) {
            extent = Math.max(extent, Math.abs(relative(m, m.difference())));
            if (m.ciLow() != null) {
                extent = Math.max(extent, Math.max(Math.abs(relative(m, m.ciLow())), Math.abs(relative(m, m.ciHigh()))));
            }
            Double tolerance = tolerance(result, m.name());
            if (tolerance != null) {
                extent = Math.max(extent, tolerance / Math.abs(m.baseline()) * 100);
            }
        }
        extent = niceCeiling(extent);
        int height = TOP + rows.size() * ROW_HEIGHT + 28;
        int width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN;
        double zero = x(0, extent);
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height).append("\">\n")
                .append("<title>Candidate minus baseline per metric, % of the baseline, right is better</title>\n")
                .append(String.format(Locale.ROOT, "<line class=\"zero\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
                        zero, TOP - 8, zero, TOP + rows.size() * ROW_HEIGHT));
        for (int i = 0; i < rows.size(); i++) {
            MetricComparison m = rows.get(i);
            int y = TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2;
            html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 10, y + 4, Html.escape(m.name() + (m.primary() ? " *" : ""))));
            if (m.ciLow() != null) {
                double a = x(relative(m, m.ciLow()), extent);
                double b = x(relative(m, m.ciHigh()), extent);
                html.append(String.format(Locale.ROOT, "<line class=\"interval\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
                        Math.min(a, b), y, Math.max(a, b), y));
            }
            Double tolerance = tolerance(result, m.name());
            if (tolerance != null) {
                double t = x(-tolerance / Math.abs(m.baseline()) * 100, extent);
                html.append(String.format(Locale.ROOT,
                        "<line class=\"gate-tolerance\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"><title>tolerated regression %s</title></line>%n",
                        t, y - 10, t, y + 10, Html.escape(Html.number(tolerance))));
            }
            html.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"5\"><title>%s</title></circle>%n",
                    "gate-point " + directionClass(m), x(relative(m, m.difference()), extent), y,
                    Html.escape(m.name() + ": " + signed(m.difference()) + " (" + signed(relative(m, m.difference())) + " %)")));
        }
        int axisY = TOP + rows.size() * ROW_HEIGHT + 4;
        html.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LABEL_WIDTH, axisY, LABEL_WIDTH + PLOT_WIDTH, axisY));
        for (double tick : new double[] {-extent, -extent / 2, 0, extent / 2, extent}) {
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s%%</text>%n",
                    x(tick, extent), axisY + 16, Html.escape(signed(tick))));
        }
        html.append("</svg>\n<p class=\"note\">Each row: candidate minus baseline as a percentage of the baseline, "
                + "turned so that right is better; the line is the interval, the dashed line no difference, "
                + "the red tick the regression a max_regression rule tolerates; no_significant_regression fails a metric "
                + "whose whole line lies left of the dashed line. * marks the primary metric.</p>\n");
        return html.append("</section>").toString();
    }

    static String sliceTable(GateResult result) {
        List<String> metrics = result.metrics().stream().map(MetricComparison::name).toList();
        StringBuilder html = new StringBuilder("<section class=\"panel gate-slices\">\n<h2>Slices</h2>\n<table>\n<thead><tr>")
                .append("<th>Slice</th><th>Rows</th><th>Verdict</th>");
        for (String metric : metrics) {
            html.append("<th>").append(Html.escape(metric)).append("<br><span class=\"note\">candidate (difference)</span></th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (SliceComparison slice : result.slices()) {
            html.append("<tr class=\"").append(slice.judged() ? Html.statusClass(slice.status()) : "gate-unjudged")
                    .append("\"><td>").append(Html.escape(slice.label())).append("</td><td class=\"num\">")
                    .append(slice.rows()).append("</td><td>");
            if (slice.judged()) {
                html.append("<span class=\"badge ").append(Html.statusClass(slice.status())).append("\">")
                        .append(Html.escape(slice.status())).append("</span>");
            } else {
                html.append("<span class=\"note\">not judged</span>");
            }
            html.append("</td>");
            for (MetricComparison m : slice.metrics()) {
                html.append("<td class=\"num ").append(directionClass(m)).append("\">")
                        .append(m.candidate() == null ? "—" : Html.escape(Html.number(m.candidate())))
                        .append(m.difference() == null ? "" : " (" + signed(m.difference()) + ")").append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n<p class=\"note\">Slices smaller than the policy's min_size, or "
                + "without slice rules, are shown but not judged.</p>\n</section>").toString();
    }

    /** The regression a max_regression rule tolerates for this metric on the whole set, or null. */
    private static Double tolerance(GateResult result, String metric) {
        for (RuleVerdict rule : result.rules()) {
            if (rule.rule().equals("max_regression") && rule.metric().equals(metric) && rule.slice() == null
                    && rule.limit() != null) {
                return Math.abs(rule.limit());
            }
        }
        return null;
    }

    private static double relative(MetricComparison m, double difference) {
        double oriented = m.greaterIsBetter() ? difference : -difference;
        return oriented / Math.abs(m.baseline()) * 100;
    }

    private static double x(double value, double extent) {
        return LABEL_WIDTH + (value + extent) / (2 * extent) * PLOT_WIDTH;
    }

    private static double niceCeiling(double value) {
        if (value <= 0 || !Double.isFinite(value)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String directionClass(MetricComparison m) {
        if (m.difference() == null || m.difference() == 0) {
            return "gate-same";
        }
        return (m.difference() > 0) == m.greaterIsBetter() ? "gate-better" : "gate-worse";
    }

    private static String numberCell(Double value) {
        return "<td class=\"num\">" + (value == null ? "—" : Html.escape(Html.number(value))) + "</td>";
    }

    private static String signed(double value) {
        String text = Html.number(value);
        return value > 0 ? "+" + text : text;
    }
}
