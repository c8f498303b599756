package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.report.Html;
import java.util.List;
import java.util.Locale;

/**
 * The shadow report's panels: agreement with its interval, both prediction distributions side by
 * side (inline SVG, no script), latency of both models, and the rows where they differ most.
 */
public final class ShadowPanels {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 180;
    private static final int LEFT = 40;
    private static final int BOTTOM = 40;

    private ShadowPanels() {}

    public static List<String> panels(ShadowResult result) {
        return List.of(agreement(result), distribution(result.distribution()), latency(result), worst(result.worst()));
    }

    static String agreement(ShadowResult r) {
        StringBuilder html = new StringBuilder("<section class=\"panel shadow-agreement\">\n<h2>Agreement</h2>\n<table>\n<tbody>\n");
        row(html, "Primary", r.primaryUrl());
        row(html, "Shadow", r.shadowUrl());
        row(html, "Requests answered by the primary", r.requests());
        row(html, "Mirrored: sent / failed / dropped", r.mirror().sent() + " / " + r.mirror().failed() + " / " + r.mirror().dropped());
        row(html, "Comparison", r.compare() + (r.tolerance() > 0 ? ", tolerance " + Html.number(r.tolerance()) : ""));
        row(html, "Rows compared", r.rows());
        row(html, "Agreement (95% Wilson interval)", Double.isNaN(r.agreement()) ? "—"
                : pct(r.agreement()) + " [" + pct(r.agreementLow()) + ", " + pct(r.agreementHigh()) + "]");
        row(html, "Mean / max absolute difference", Double.isNaN(r.meanDifference()) ? "— (not numeric)"
                : Html.number(r.meanDifference()) + " / " + Html.number(r.maxDifference()));
        if (r.log() != null) {
            row(html, "Prediction log", r.log().database() + ": " + r.log().written() + " rows written, " + r.log().lost() + " lost");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    /** Grouped bars per bin or label: primary grey, shadow blue, on one scale. */
    static String distribution(Distribution d) {
        StringBuilder html = new StringBuilder("<section class=\"panel shadow-distribution\">\n<h2>Prediction distributions</h2>\n");
        int groups = d.primary().size();
        if (groups == 0) {
            return html.append("<p class=\"note\">No predictions to show.</p>\n</section>").toString();
        }
        long max = 1;
        for (int i = 0; i < groups; i++) {
            max = Math.max(max, Math.max(d.primary().get(i), d.shadow().get(i)));
        }
        double groupWidth = (double) (WIDTH - LEFT - 10) / groups;
        double bar = Math.max(1, groupWidth * 0.4);
        html.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT + BOTTOM)
                .append("\" role=\"img\" aria-label=\"prediction distributions of primary and shadow\">\n")
                .append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(HEIGHT).append("\" x2=\"")
                .append(WIDTH - 10).append("\" y2=\"").append(HEIGHT).append("\"/>\n")
                .append("<text x=\"2\" y=\"12\">").append(max).append("</text>\n");
        for (int i = 0; i < groups; i++) {
            double x = LEFT + i * groupWidth;
            bar(html, "bar-reference", x + groupWidth * 0.1, d.primary().get(i), max, bar, "primary");
            bar(html, "bar-current", x + groupWidth * 0.1 + bar, d.shadow().get(i), max, bar, "shadow");
            String label = "numeric".equals(d.kind()) ? d.bins().get(i) : d.bins().get(i);
            if (groups <= 12 || i % Math.max(1, groups / 10) == 0) {
                html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">", x + 2, HEIGHT + 14))
                        .append(Html.escape(label.length() > 12 ? label.substring(0, 12) + "…" : label)).append("</text>\n");
            }
        }
        html.append(String.format(Locale.ROOT, "<rect class=\"bar-reference\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\"/>"
                + "<text x=\"%d\" y=\"%d\">primary</text>", LEFT, HEIGHT + 24, LEFT + 14, HEIGHT + 33));
        html.append(String.format(Locale.ROOT, "<rect class=\"bar-current\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\"/>"
                + "<text x=\"%d\" y=\"%d\">shadow</text>\n", LEFT + 80, HEIGHT + 24, LEFT + 94, HEIGHT + 33));
        html.append("</svg>\n<p class=\"note\">").append("numeric".equals(d.kind())
                ? "Shared equal-width bins from " + Html.escape(d.bins().get(0)) + " to " + Html.escape(d.bins().get(groups))
                : "Counts per predicted label, the most frequent first").append(".</p>\n");
        return html.append("</section>").toString();
    }

    private static void bar(StringBuilder html, String css, double x, long count, long max, double width, String who) {
        double height = (double) count / max * (HEIGHT - 20);
        html.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                + "<title>%s: %d</title></rect>\n", css, x, HEIGHT - height, width, height, who, count));
    }

    static String latency(ShadowResult r) {
        StringBuilder html = new StringBuilder("<section class=\"panel shadow-latency\">\n<h2>Latency (ms)</h2>\n<table>\n<thead><tr>")
                .append("<th>Model</th><th>Requests</th><th>Mean</th><th>p50</th><th>p95</th><th>p99</th><th>Max</th></tr></thead>\n<tbody>\n");
        latencyRow(html, "primary", r.primaryLatency());
        latencyRow(html, "shadow", r.shadowLatency());
        return html.append("</tbody>\n</table>\n<p class=\"note\">Measured by the router, from receiving the request to"
                + " having the whole answer; the shadow's copy is sent after the client has the primary's answer.</p>\n</section>")
                .toString();
    }

    private static void latencyRow(StringBuilder html, String name, LatencySummary l) {
        html.append("<tr><td>").append(name).append("</td><td class=\"num\">").append(l.count()).append("</td>");
        for (double v : new double[] {l.meanMs(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs()}) {
            html.append("<td class=\"num\">").append(Double.isNaN(v) ? "—" : Html.number(Math.round(v * 100) / 100.0)).append("</td>");
        }
        html.append("</tr>\n");
    }

    static String worst(List<Example> worst) {
        StringBuilder html = new StringBuilder("<section class=\"panel shadow-worst\">\n<h2>Largest differences</h2>\n");
        if (worst.isEmpty()) {
            return html.append("<p>Every compared row agreed exactly.</p>\n</section>").toString();
        }
        html.append("<table>\n<thead><tr><th>Request id</th><th>Row</th><th>Difference</th><th>Input</th><th>Primary</th>"
                + "<th>Shadow</th></tr></thead>\n<tbody>\n");
        for (Example e : worst) {
            html.append("<tr><td><code>").append(Html.escape(e.requestId())).append("</code></td><td class=\"num\">").append(e.row())
                    .append("</td><td class=\"num\">").append(e.difference() == Double.MAX_VALUE ? "missing" : Html.number(e.difference()))
                    .append("</td><td><code>").append(Html.escape(e.input())).append("</code></td><td><code>")
                    .append(Html.escape(e.primary())).append("</code></td><td><code>").append(Html.escape(e.shadow()))
                    .append("</code></td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static void row(StringBuilder html, String name, Object value) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static String pct(double share) {
        return Html.number(Math.round(share * 10000) / 100.0) + "%";
    }
}
