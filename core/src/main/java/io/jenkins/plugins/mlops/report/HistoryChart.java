package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.report.PipelineReport.HistoryPoint;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The run-history chart, as inline SVG: per run the champion (circle) and the candidate (square)
 * on that run's hold-out rows, joined by a line that is the run's difference; a promoted
 * candidate is joined by a dashed line to the next run's champion, the same model on new rows.
 * No line runs from one run's champion to the next: their rows differ, so such a line would read
 * a harder hold-out set as a worse model.
 */
final class HistoryChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 232;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 56;
    private static final int MARKER = 5;

    private HistoryChart() {}

    static String svg(List<HistoryPoint> points, String metric) {
        double min = points.stream().flatMap(HistoryChart::values).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = points.stream().flatMap(HistoryChart::values).mapToDouble(Double::doubleValue).max().orElse(1);
        // A flat history still needs a visible scale: pad around the values.
        double pad = Math.max((max - min) * 0.15, Math.max(Math.abs(max) * 0.01, 1e-3));
        double low = min - pad;
        double high = max + pad;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"history-chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">\n<title>")
                .append(Html.escape(metric)).append(" of the champion and the candidate across ").append(points.size())
                .append(points.size() == 1 ? " run" : " runs").append("</title>\n");
        svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "axis"))
                .append(line(LEFT, TOP, LEFT, TOP + plotHeight, "axis"));
        for (double tick : new double[] {low, (low + high) / 2, high}) {
            double y = y(tick, low, high, plotHeight);
            svg.append(line(LEFT - 4, y, LEFT + plotWidth, y, "history-grid"))
                    .append(text(LEFT - 6, y + 4, "end", Html.number(round(tick))));
        }
        int labelEvery = Math.max(1, (points.size() + 9) / 10);
        for (int i = 0; i < points.size(); i++) {
            HistoryPoint point = points.get(i);
            double x = x(i, points.size(), plotWidth);
            boolean labelled = i % labelEvery == 0 || i == points.size() - 1;
            if (point.champion() != null && point.candidate() != null) {
                svg.append(line(x, y(point.champion(), low, high, plotHeight), x, y(point.candidate(), low, high, plotHeight),
                        "history-gap"));
            }
            HistoryPoint next = i + 1 < points.size() ? points.get(i + 1) : null;
            if (point.promoted() && point.candidate() != null && next != null && next.champion() != null
                    && next.championVersion() != null && next.championVersion().equals(point.version())) {
                svg.append(line(x, y(point.candidate(), low, high, plotHeight), x(i + 1, points.size(), plotWidth),
                        y(next.champion(), low, high, plotHeight), "history-handover"));
            }
            if (point.champion() != null) {
                double y = y(point.champion(), low, high, plotHeight);
                svg.append("<circle class=\"history-champion\" cx=\"").append(format(x)).append("\" cy=\"")
                        .append(format(y)).append("\" r=\"").append(MARKER).append("\"><title>")
                        .append(Html.escape(point.runId() + ": champion" + version(point.championVersion()) + ", " + metric
                                + " " + Html.number(point.champion()) + " on this run's rows"))
                        .append("</title></circle>\n");
                if (labelled) {
                    svg.append(valueLabel(x, y, point.champion(), point.candidate()));
                }
            }
            if (point.candidate() != null) {
                double y = y(point.candidate(), low, high, plotHeight);
                svg.append("<rect class=\"history-candidate ").append(point.promoted() ? "history-promoted" : "history-blocked")
                        .append("\" x=\"").append(format(x - MARKER)).append("\" y=\"").append(format(y - MARKER))
                        .append("\" width=\"").append(2 * MARKER).append("\" height=\"").append(2 * MARKER).append("\"><title>")
                        .append(Html.escape(point.runId() + ": candidate, " + metric + " " + Html.number(point.candidate())
                                + (point.promoted() ? ", promoted" + version(point.version()) : ", not promoted")))
                        .append("</title></rect>\n");
                if (labelled) {
                    svg.append(valueLabel(x, y, point.candidate(), point.champion()));
                }
            }
            if (labelled) {
                svg.append(text(x, TOP + plotHeight + 16, "middle", shortId(point.runId())))
                        .append(text(x, TOP + plotHeight + 30, "middle", outcome(point)));
            }
        }
        svg.append(text(LEFT + plotWidth / 2.0, HEIGHT - 2, "middle", "runs, oldest first"));
        return svg.append("</svg>\n").toString();
    }

    /**
     * A value above its marker, or below it when the run's other value is higher: the two labels
     * of a run never overlap, and the dashed handover line, level with the markers, crosses neither.
     */
    private static String valueLabel(double x, double y, double value, Double other) {
        boolean below = other != null && other > value;
        return text(x, below ? y + 18 : y - 9, "middle", Html.number(round(value)));
    }

    private static Stream<Double> values(HistoryPoint point) {
        return Stream.of(point.champion(), point.candidate()).filter(Objects::nonNull);
    }

    /** What the run did to the champion alias: "v1 → v2", "v2 kept", "→ v1" for the first model. */
    private static String outcome(HistoryPoint point) {
        String before = point.championVersion() == null ? "" : "v" + point.championVersion();
        if (point.promoted()) {
            return (before.isEmpty() ? "" : before + " ") + "→ " + (point.version() == null ? "new" : "v" + point.version());
        }
        return before.isEmpty() ? "not promoted" : before + " kept";
    }

    private static String version(Integer version) {
        return version == null ? "" : " v" + version;
    }

    private static double x(int index, int count, int plotWidth) {
        // Room at both ends for a value label centred on the first and the last run.
        return count == 1 ? LEFT + plotWidth / 2.0 : LEFT + 28 + index * (plotWidth - 56) / (double) (count - 1);
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
