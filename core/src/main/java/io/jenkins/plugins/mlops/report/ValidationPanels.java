package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.data.ColumnDrift;
import io.jenkins.plugins.mlops.data.ColumnProfile;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.result.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The data-validation page's own panels: what was compared, the columns' profile, the drift charts. */
public final class ValidationPanels {
    private static final int CHART_WIDTH = 320;
    private static final int CHART_HEIGHT = 90;
    private static final int TOP_VALUES = 3;

    private ValidationPanels() {}

    public static List<String> render(ValidationResult result) {
        List<String> panels = new ArrayList<>();
        panels.add(overview(result));
        if (!result.drift().isEmpty()) {
            panels.add(drift(result.drift()));
        }
        panels.add(columns(result));
        return panels;
    }

    private static String overview(ValidationResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel validation-overview\">\n<h2>Data</h2>\n<table>\n");
        row(html, "Data", result.data());
        row(html, "Fingerprint", result.dataFingerprint());
        row(html, "Rows", String.format(Locale.ROOT, "%,d", result.rowCount()));
        row(html, "Columns", String.valueOf(result.profile().columns().size()));
        row(html, "Reference", result.reference() == null ? "none" : result.reference());
        if (result.referenceFingerprint() != null) {
            row(html, "Reference fingerprint", result.referenceFingerprint());
        }
        row(html, "Schema", result.schemaSource());
        return html.append("</table>\n</section>").toString();
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static String drift(List<ColumnDrift> drifts) {
        StringBuilder html = new StringBuilder("<section class=\"panel validation-drift\">\n<h2>Drift</h2>\n")
                .append("<p class=\"note\">Grey: reference, blue: current data. The effect size decides; the p-value ")
                .append("(Benjamini-Hochberg corrected) must also be significant.</p>\n<div class=\"validation-charts\">\n");
        for (ColumnDrift drift : drifts) {
            html.append("<figure class=\"validation-chart ").append(Html.statusClass(drift.status())).append("\">\n<figcaption><strong>")
                    .append(Html.escape(drift.column())).append("</strong> ");
            if (drift.tested()) {
                html.append("<span class=\"badge ").append(Html.statusClass(drift.status())).append("\">")
                        .append(Html.escape(drift.status())).append("</span><br>")
                        .append(Html.escape(drift.statistic())).append(' ').append(Html.number(drift.value()))
                        .append(" (warn ").append(Html.number(drift.warnThreshold())).append(", fail ")
                        .append(Html.number(drift.failThreshold())).append(") · ").append(Html.escape(drift.test()))
                        .append(" p<sub>adj</sub> ").append(Html.escape(pValue(drift.pValueAdjusted())))
                        .append("</figcaption>\n").append(bars(drift));
            } else {
                if (drift.status() != Status.PASS) { // untestable where it should have been tested: never a silent pass
                    html.append("<span class=\"badge ").append(Html.statusClass(drift.status())).append("\">")
                            .append(Html.escape(drift.status())).append("</span><br>");
                }
                html.append("<span class=\"note\">not tested: ").append(Html.escape(drift.reason())).append("</span></figcaption>\n");
            }
            html.append("</figure>\n");
        }
        return html.append("</div>\n</section>").toString();
    }

    /** Reference and current shares side by side, one pair of bars per bin or category. */
    private static String bars(ColumnDrift drift) {
        int n = drift.bins().size();
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.max(drift.referenceShare().get(i), drift.currentShare().get(i)));
        }
        double slot = (double) CHART_WIDTH / Math.max(1, n);
        double bar = Math.max(1, slot / 2 - 0.5);
        int plot = CHART_HEIGHT - 14;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
                CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT, Html.escape("distribution of " + drift.column())));
        for (int i = 0; i < n; i++) {
            double x = i * slot;
            appendBar(svg, "bar-reference", x, bar, drift.referenceShare().get(i), max, plot, drift.bins().get(i), "reference");
            appendBar(svg, "bar-current", x + bar, bar, drift.currentShare().get(i), max, plot, drift.bins().get(i), "current");
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", plot, CHART_WIDTH, plot));
        if (n > 0) {
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>\n", CHART_HEIGHT - 2, Html.escape(clip(drift.bins().get(0)))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", CHART_WIDTH, CHART_HEIGHT - 2,
                    Html.escape(clip(drift.bins().get(n - 1)))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void appendBar(StringBuilder svg, String cssClass, double x, double width, double share, double max, int plot,
            String label, String side) {
        double height = max == 0 ? 0 : share / max * (plot - 2);
        svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s %s: %.1f%%</title></rect>\n",
                cssClass, x, plot - height, width, height, Html.escape(label), side, share * 100));
    }

    private static String columns(ValidationResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel validation-columns\">\n<h2>Columns</h2>\n<table>\n<thead><tr>")
                .append("<th>Column</th><th>Type</th><th>Missing</th><th>Distinct</th><th>Min</th><th>Median</th>")
                .append("<th>Max</th><th>Mean</th><th>Std</th><th>Top values</th></tr></thead>\n<tbody>\n");
        for (ColumnProfile column : result.profile().columns()) {
            html.append("<tr><td>").append(Html.escape(column.name())).append(column.idLike() ? " <span class=\"note\">(ID)</span>" : "")
                    .append("</td><td>").append(Html.escape(column.type().schemaName())).append("</td>")
                    .append(numberCell(column.missingFraction() * 100, "%"))
                    .append("<td class=\"num\">").append(column.distinct() == null ? "" : Html.escape(String.format(Locale.ROOT, "%,d", column.distinct())))
                    .append("</td>");
            if (column.numeric() != null) {
                Double median = column.quantiles() == null ? null : column.quantiles().get("p50");
                html.append(numberCell(column.numeric().min(), "")).append(median == null ? "<td></td>" : numberCell(median, ""))
                        .append(numberCell(column.numeric().max(), "")).append(numberCell(column.numeric().mean(), ""))
                        .append(numberCell(column.numeric().std(), ""));
            } else {
                html.append("<td class=\"num\">").append(Html.escape(column.minValue())).append("</td><td></td><td class=\"num\">")
                        .append(Html.escape(column.maxValue())).append("</td><td></td><td></td>");
            }
            html.append("<td>").append(Html.escape(topValues(column))).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static String topValues(ColumnProfile column) {
        if (column.categories() == null) {
            return "";
        }
        long total = column.categories().total();
        return column.categories().counts().entrySet().stream().limit(TOP_VALUES)
                .map((Map.Entry<String, Long> e) -> e.getKey() + " " + Html.number(Math.round(1000.0 * e.getValue() / total) / 10.0) + "%")
                .collect(Collectors.joining(", "));
    }

    private static String numberCell(double value, String unit) {
        return "<td class=\"num\">" + Html.escape(Html.number(value)) + unit + "</td>";
    }

    private static String pValue(Double p) {
        if (p == null) {
            return "";
        }
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String clip(String label) {
        return label.length() <= 14 ? label : label.substring(0, 13) + "…";
    }
}
