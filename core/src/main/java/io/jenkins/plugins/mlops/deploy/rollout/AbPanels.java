package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.report.Html;
import java.util.List;
import java.util.Locale;

/** The A/B experiment's panels: both arms, then each metric's difference b − a with its interval. */
public final class AbPanels {
    private AbPanels() {}

    public static List<String> panels(AbResult result) {
        return List.of(arms(result), comparisons(result));
    }

    static String arms(AbResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel ab-arms\">\n<h2>Arms</h2>\n<table>\n<thead><tr>")
                .append("<th>Arm</th><th>Model server</th><th>Share</th><th>Requests</th><th>Errors</th><th>p50 ms</th>")
                .append("<th>p99 ms</th><th>Predictions</th><th>Mean prediction</th></tr></thead>\n<tbody>\n");
        arm(html, "a", result.a(), 100 - result.splitPercent(), result.armA());
        arm(html, "b", result.b(), result.splitPercent(), result.armB());
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static void arm(StringBuilder html, String name, String server, int share, ArmSummary arm) {
        html.append("<tr><td>").append(name).append("</td><td>").append(Html.escape(server)).append("</td><td class=\"num\">")
                .append(share).append("%</td><td class=\"num\">").append(arm.requests()).append("</td><td class=\"num\">")
                .append(arm.errors()).append("</td>").append(num(arm.latencyP50Ms())).append(num(arm.latencyP99Ms()))
                .append("<td class=\"num\">").append(arm.predictions()).append("</td>").append(num(arm.predictionMean()))
                .append("</tr>\n");
    }

    static String comparisons(AbResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel ab-metrics\">\n<h2>Metrics</h2>\n<table>\n<thead><tr>")
                .append("<th>Metric</th><th>a</th><th>b</th><th>b − a</th><th>")
                .append(Html.escape(Html.number(result.confidence() * 100))).append("% interval</th><th>p-value</th>")
                .append("<th>Values a / b</th><th>Test</th><th>Note</th></tr></thead>\n<tbody>\n");
        for (AbComparison c : result.comparisons()) {
            html.append("<tr class=\"").append(!c.measured() ? "status-error" : c.significant() ? "ab-significant" : "")
                    .append("\"><td>").append(Html.escape(c.name())).append("</td>").append(num(c.a())).append(num(c.b()))
                    .append("<td class=\"num\">").append(c.difference() == null ? "—" : signed(c.difference())).append("</td>")
                    .append("<td class=\"num\">").append(c.low() == null ? "—" : "[" + signed(c.low()) + ", " + signed(c.high()) + "]")
                    .append("</td>").append(num(c.pValue())).append("<td class=\"num\">").append(c.nA()).append(" / ").append(c.nB())
                    .append("</td><td>").append(Html.escape(c.test())).append("</td><td>")
                    .append(Html.escape(c.note() != null ? c.note() : c.significant() ? "significant" : "")).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n<p class=\"note\">Latency: b − a is the Hodges-Lehmann shift; "
                + "the other metrics are differences of means (of proportions for the error rate).</p>\n</section>").toString();
    }

    private static String num(Double value) {
        return "<td class=\"num\">" + (value == null ? "—" : Html.escape(Html.number(value))) + "</td>";
    }

    private static String signed(double value) {
        return Html.escape((value > 0 ? "+" : "") + Html.number(value));
    }
}
