package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.report.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The canary's HTML panels: the outcome and policy, the timeline as inline SVG (the candidate's
 * weight, then error rate and median latency of both arms, each look marked by its decision) and
 * the table of every look. CSS classes and presentation attributes only, no script, no inline
 * style, so the page works under Jenkins' Content-Security-Policy. It lives here because
 * {@code report} must not depend on {@code deploy} (ArchitectureTest).
 */
public final class CanaryPanels {
    private static final int LEFT = 70;
    private static final int WIDTH = 640;
    private static final int RIGHT = 20;
    private static final int HEIGHT = 110;
    private static final int TOP = 14;

    private CanaryPanels() {}

    public static List<String> panels(CanaryResult result) {
        return List.of(outcome(result), timeline(result), looks(result));
    }

    static String outcome(CanaryResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel canary-outcome\">\n<h2>Rollout</h2>\n<table>\n<tbody>\n");
        row(html, "Outcome", result.outcome().replace('_', ' ') + " · candidate at " + result.finalWeight() + "%");
        row(html, "Backend", result.backend());
        row(html, "Steps", String.join(" → ", result.steps().stream().map(s -> s + "%").toList())
                + (result.resumedAt() == null ? "" : " (resumed at " + result.resumedAt() + "%)"));
        row(html, "Step duration", Html.number(result.stepDurationS()) + " s, a look every " + Html.number(result.intervalS()) + " s");
        row(html, "Policy", String.format(Locale.ROOT, "at least %d requests per arm; error rate ≤ %s; latency ratio ≤ %s; "
                        + "prediction KS distance ≤ %s; %s%% confidence", result.policy().minRequests(),
                Html.number(result.policy().maxErrorRate()), Html.number(result.policy().maxLatencyRatio()),
                Html.number(result.policy().maxPredictionDrift()), Html.number(result.policy().confidence() * 100)));
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    /** Three charts sharing the time axis: weight, error rate, median latency. */
    static String timeline(CanaryResult result) {
        List<Evaluation> looks = result.timeline();
        StringBuilder html = new StringBuilder("<section class=\"panel canary-timeline\">\n<h2>Timeline</h2>\n");
        if (looks.isEmpty()) {
            return html.append("<p class=\"note\">The rollout ended before its first look.</p>\n</section>").toString();
        }
        double end = Math.max(1, looks.get(looks.size() - 1).elapsedS());
        html.append(chart("Candidate weight (%)", looks, end, 100, e -> (double) e.weight(), e -> null, true));
        double errorMax = niceCeiling(max(looks, e -> e.stable() == null ? null : e.stable().errorRate(),
                e -> e.candidate() == null ? null : e.candidate().errorRate()));
        html.append(chart("Error rate", looks, end, errorMax,
                e -> e.stable() == null ? null : e.stable().errorRate(),
                e -> e.candidate() == null ? null : e.candidate().errorRate(), false));
        double latencyMax = niceCeiling(max(looks, e -> e.stable() == null ? null : e.stable().latencyP50Ms(),
                e -> e.candidate() == null ? null : e.candidate().latencyP50Ms()));
        html.append(chart("Median latency (ms)", looks, end, latencyMax,
                e -> e.stable() == null ? null : e.stable().latencyP50Ms(),
                e -> e.candidate() == null ? null : e.candidate().latencyP50Ms(), false));
        html.append("<p class=\"note\">Each look covers the time since its weight was set. Lines: "
                + "<span class=\"canary-key-stable\">stable</span>, <span class=\"canary-key-candidate\">candidate</span>. "
                + "Marks: the decision at each look (continue, hold, advance, promote, roll back); hover for the reasons.</p>\n");
        return html.append("</section>").toString();
    }

    private static String chart(String title, List<Evaluation> looks, double end, double yMax,
                                Function<Evaluation, Double> stable, Function<Evaluation, Double> candidate, boolean weight) {
        int w = LEFT + WIDTH + RIGHT;
        int h = TOP + HEIGHT + 22;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\">\n<title>")
                .append(Html.escape(title)).append(" over the rollout</title>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 8, TOP + 4,
                Html.escape(Html.number(yMax))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 8, TOP + HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, TOP - 3, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, TOP + HEIGHT, LEFT + WIDTH, TOP + HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s s</text>%n",
                LEFT + WIDTH, TOP + HEIGHT + 16, Html.escape(Html.number(end))));
        if (weight) {
            svg.append(stepLine(looks, end));
        } else {
            svg.append(polyline(looks, end, yMax, stable, "canary-stable"));
            svg.append(polyline(looks, end, yMax, candidate, "canary-candidate"));
        }
        for (Evaluation e : looks) {
            Double value = weight ? Double.valueOf(e.weight()) : candidate.apply(e);
            double y = value == null ? TOP + HEIGHT : y(value, yMax);
            svg.append(String.format(Locale.ROOT, "<circle class=\"canary-decision canary-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\">"
                            + "<title>%s</title></circle>%n",
                    e.decision().name().toLowerCase(Locale.ROOT).replace('_', '-'), x(e.elapsedS(), end), y,
                    Html.escape(Html.number(e.elapsedS()) + " s · " + e.weight() + "% · "
                            + e.decision().name().toLowerCase(Locale.ROOT)
                            + (e.reasons().isEmpty() ? "" : " · " + e.reasonText()))));
        }
        return svg.append("</svg>\n").toString();
    }

    /** The weight held over time: a step line from the start through every look. */
    private static String stepLine(List<Evaluation> looks, double end) {
        StringBuilder points = new StringBuilder();
        double previousWeight = -1;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(0, end), y(0, 100)));
        for (Evaluation e : looks) {
            double startOfLook = e.elapsedS() - e.stepElapsedS();
            if (e.weight() != previousWeight) {
                if (previousWeight >= 0) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(startOfLook, end), y(previousWeight, 100)));
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(startOfLook, end), y(e.weight(), 100)));
                previousWeight = e.weight();
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(e.elapsedS(), end), y(e.weight(), 100)));
        }
        return "<polyline class=\"canary-weight\" fill=\"none\" points=\"" + points.toString().strip() + "\"/>\n";
    }

    private static String polyline(List<Evaluation> looks, double end, double yMax, Function<Evaluation, Double> value, String cssClass) {
        StringBuilder points = new StringBuilder();
        for (Evaluation e : looks) {
            Double v = value.apply(e);
            if (v != null && Double.isFinite(v)) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(e.elapsedS(), end), y(v, yMax)));
            }
        }
        return points.isEmpty() ? "" : "<polyline class=\"" + cssClass + "\" fill=\"none\" points=\"" + points.toString().strip() + "\"/>\n";
    }

    static String looks(CanaryResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel canary-looks\">\n<h2>Every look</h2>\n<table>\n<thead><tr>")
                .append("<th>Time (s)</th><th>Weight</th><th>Requests stable / candidate</th><th>Error rate stable / candidate</th>")
                .append("<th>p50 latency ms stable / candidate</th><th>Verdict</th><th>Decision</th><th>Reasons</th></tr></thead>\n<tbody>\n");
        for (Evaluation e : result.timeline()) {
            html.append("<tr class=\"canary-row-").append(e.decision().name().toLowerCase(Locale.ROOT)).append("\">")
                    .append("<td class=\"num\">").append(Html.number(e.elapsedS())).append("</td>")
                    .append("<td class=\"num\">").append(e.weight()).append("%</td>")
                    .append("<td class=\"num\">").append(pair(e, a -> (double) a.requests())).append("</td>")
                    .append("<td class=\"num\">").append(pair(e, ArmSummary::errorRate)).append("</td>")
                    .append("<td class=\"num\">").append(pair(e, ArmSummary::latencyP50Ms)).append("</td>")
                    .append("<td>").append(Html.escape(e.verdict().name().toLowerCase(Locale.ROOT))).append("</td>")
                    .append("<td>").append(Html.escape(e.decision().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append("</td>")
                    .append("<td>").append(Html.escape(e.reasonText())).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>").toString();
    }

    private static String pair(Evaluation e, Function<ArmSummary, Double> value) {
        return Html.escape(cell(e.stable(), value) + " / " + cell(e.candidate(), value));
    }

    private static String cell(ArmSummary arm, Function<ArmSummary, Double> value) {
        Double v = arm == null ? null : value.apply(arm);
        return v == null ? "—" : Html.number(v);
    }

    private static double max(List<Evaluation> looks, Function<Evaluation, Double> a, Function<Evaluation, Double> b) {
        double max = 0;
        List<Function<Evaluation, Double>> values = new ArrayList<>(List.of(a, b));
        for (Evaluation e : looks) {
            for (Function<Evaluation, Double> f : values) {
                Double v = f.apply(e);
                if (v != null && Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (value <= step * magnitude) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double x(double seconds, double end) {
        return LEFT + seconds / end * WIDTH;
    }

    private static double y(double value, double max) {
        return TOP + HEIGHT - Math.min(1, value / max) * HEIGHT;
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(Html.escape(label)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }
}
