package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.report.PipelineReport.HistoryPoint;
import java.util.List;
import java.util.Locale;

/** The run-history line chart: one point per run, the champion's metric, as inline SVG. */
final class HistoryChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 200;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;

    private HistoryChart() {}

    static String svg(List<HistoryPoint> points, String metric) {
        double min = points.stream().mapToDouble(HistoryPoint::value).min().orElse(0);
        double max = points.stream().mapToDouble(HistoryPoint::value).max().orElse(1);
        // A flat history still needs a visible scale: pad around the values.
        double pad = Math.max((max - min) * 0.15, Math.max(Math.abs(max) * 0.01, 1e-3));
        double low = min - pad;
        double high = max + pad;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"history-chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">\n<title>")
                .append(Html.escape(metric)).append(" of the champion across ").append(points.size())
                .append(points.size() == 1 ? " run" : " runs").append("</title>\n");
        svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "axis"))
                .append(line(LEFT, TOP, LEFT, TOP + plotHeight, "axis"));
        for (double tick : new double[] {low, (low + high) / 2, high}) {
            double y = y(tick, low, high, plotHeight);
            svg.append(line(LEFT - 4, y, LEFT + plotWidth, y, "history-grid"))
                    .append(text(LEFT - 6, y + 4, "end", Html.number(round(tick))));
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            double x = x(i, points.size(), plotWidth);
            double y = y(points.get(i).value(), low, high, plotHeight);
            path.append(i == 0 ? "M" : " L").append(format(x)).append(',').append(format(y));
        }
        svg.append("<path class=\"history-line\" d=\"").append(path).append("\"/>\n");
        int labelEvery = Math.max(1, (points.size() + 9) / 10);
        for (int i = 0; i < points.size(); i++) {
            HistoryPoint point = points.get(i);
            double x = x(i, points.size(), plotWidth);
            double y = y(point.value(), low, high, plotHeight);
            svg.append("<circle class=\"history-point").append(point.promoted() ? " history-promoted" : "")
                    .append("\" cx=\"").append(format(x)).append("\" cy=\"").append(format(y)).append("\" r=\"5\"><title>")
                    .append(Html.escape(point.runId())).append(": ").append(Html.escape(metric)).append(' ')
                    .append(Html.number(point.value()))
                    .append(point.version() == null ? "" : ", version " + point.version())
                    .append(point.promoted() ? " (promoted)" : "").append("</title></circle>\n");
            if (i % labelEvery == 0 || i == points.size() - 1) {
                String label = point.version() == null ? shortId(point.runId()) : "v" + point.version();
                svg.append(text(x, TOP + plotHeight + 16, "middle", label))
                        .append(text(x, y - 9, "middle", Html.number(round(point.value()))));
            }
        }
        svg.append(text(LEFT + plotWidth / 2.0, HEIGHT - 4, "middle", "runs, oldest first (label: champion version)"));
        return svg.append("</svg>\n").toString();
    }

    private static double x(int index, int count, int plotWidth) {
        return count == 1 ? LEFT + plotWidth / 2.0 : LEFT + 12 + index * (plotWidth - 24) / (double) (count - 1);
    }

    private static double y(double value, double low, double high, int plotHeight) {
        return TOP + plotHeight - (value - low) / (high - low) * plotHeight;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    /** A run id is {@code yyyyMMdd-HHmmss-xxxx}: its time of day is what tells runs apart on one axis. */
    private static String shortId(String runId) {
        String[] parts = runId.split("-");
        return parts.length >= 2 && parts[1].length() == 6 ? parts[1].substring(0, 2) + ":" + parts[1].substring(2, 4)
                : runId;
    }

    private static String line(double x1, double y1, double x2, double y2, String css) {
        return "<line class=\"" + css + "\" x1=\"" + format(x1) + "\" y1=\"" + format(y1) + "\" x2=\"" + format(x2)
                + "\" y2=\"" + format(y2) + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"" + format(x) + "\" y=\"" + format(y) + "\" text-anchor=\"" + anchor + "\">"
                + Html.escape(content) + "</text>\n";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
