package io.jenkins.plugins.mlops.jenkins.actions;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlops.report.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The primary metric of the gate across builds, and its chart as inline SVG (no script, so it
 * renders under Jenkins' Content-Security-Policy). Points are oldest first; a build whose gate
 * could not compute the metric leaves a gap, not a zero.
 *
 * @param metric the primary metric's name (of the newest build; older builds about another metric are left out)
 * @param points one per build that ran the gate
 */
public record GateTrend(String metric, List<Point> points) {
    static final int WIDTH = 640;
    static final int HEIGHT = 200;
    static final int PAD = 32;

    /**
     * @param build the build number
     * @param candidate the candidate's value, or null
     * @param baseline the baseline's value, or null
     * @param passed whether the gate passed the candidate
     */
    public record Point(int build, @CheckForNull Double candidate, @CheckForNull Double baseline, boolean passed) {
        /** The candidate's value as the reports write numbers (4 significant digits), or a dash. */
        public String candidateText() {
            return text(candidate);
        }

        public String baselineText() {
            return text(baseline);
        }

        private static String text(@CheckForNull Double value) {
            return value == null ? "—" : Html.number(value);
        }
    }

    public GateTrend {
        points = List.copyOf(points);
    }

    public String svg() {
        List<Double> values = new ArrayList<>();
        for (Point p : points) {
            Double candidate = p.candidate();
            Double baseline = p.baseline();
            if (candidate != null) {
                values.add(candidate);
            }
            if (baseline != null) {
                values.add(baseline);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"mlops-trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(metric)).append(" by build\">");
        if (values.isEmpty()) {
            return svg.append("</svg>").toString();
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        if (max - min < 1e-12) {
            min -= 0.5;
            max += 0.5;
        }
        // Above the highest and below the lowest value: clear of the first point, which sits at the same height.
        svg.append(axisLabel(PAD - 10, Html.number(max))).append(axisLabel(HEIGHT - PAD + 18, Html.number(min)));
        svg.append(line(points.stream().map(Point::baseline).toList(), min, max, "baseline"));
        svg.append(line(points.stream().map(Point::candidate).toList(), min, max, "candidate"));
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            Double candidate = p.candidate();
            if (candidate != null) {
                svg.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>#%d: %s</title></circle>",
                        p.passed() ? "pass" : "fail", x(i), y(candidate, min, max), p.build(), Html.number(candidate)));
            }
        }
        return svg.append("</svg>").toString();
    }

    private String line(List<Double> series, double min, double max, String cssClass) {
        StringBuilder path = new StringBuilder();
        boolean open = false;
        for (int i = 0; i < series.size(); i++) {
            Double v = series.get(i);
            if (v == null) {
                open = false;
                continue;
            }
            path.append(open ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x(i), y(v, min, max)));
            open = true;
        }
        return path.isEmpty() ? "" : "<path class=\"" + cssClass + "\" fill=\"none\" d=\"" + path.toString().trim() + "\"/>";
    }

    private double x(int i) {
        return points.size() == 1 ? WIDTH / 2.0 : PAD + i * (WIDTH - 2.0 * PAD) / (points.size() - 1);
    }

    private static double y(double v, double min, double max) {
        return HEIGHT - PAD - (v - min) / (max - min) * (HEIGHT - 2.0 * PAD);
    }

    private static String axisLabel(double y, String text) {
        return String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\" class=\"axis\">%s</text>", y, Html.escape(text));
    }

    /** Whether any point has a value to draw. */
    public boolean hasValues() {
        return points.stream().map(Point::candidate).anyMatch(Objects::nonNull);
    }
}
