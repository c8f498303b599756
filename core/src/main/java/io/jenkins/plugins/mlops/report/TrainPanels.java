package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.train.ByteSize;
import io.jenkins.plugins.mlops.train.DataSample;
import io.jenkins.plugins.mlops.train.GpuUsage;
import io.jenkins.plugins.mlops.train.PerturbationOutcome;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.TrainAttempt;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The HTML panels of the smoke-training and GPU-training reports: what ran, how it ended, the log
 * lines that show why, memory against its limit, and the attempts of a Kubernetes job on a
 * timeline (preempted attempts included, since they cost GPU hours too).
 */
public final class TrainPanels {
    private static final int BAR_WIDTH = 600;
    private static final int ROW_HEIGHT = 22;
    private static final int LABEL_WIDTH = 170;

    private TrainPanels() {}

    public static String smoke(SmokeTrainResult result) {
        StringBuilder html = new StringBuilder();
        html.append("<section class=\"panel train-run\">\n<h2>Run</h2>\n<table class=\"train-facts\">\n<tbody>\n");
        fact(html, "Command", "<code>" + Html.escape(String.join(" ", result.command())) + "</code>");
        fact(html, "Sample", Html.escape(sample(result.sample())));
        fact(html, "Epochs", Html.escape(result.epochs()));
        fact(html, "Exit", Html.escape(exit(result.exitCode(), result.signal())));
        fact(html, "Duration", Html.escape(String.format(Locale.ROOT, "%.1f s of %s allowed", result.runDurationS(),
                seconds(result.timeoutS()))));
        fact(html, "Peak memory", Html.escape(ByteSize.format(result.peakMemoryBytes()) + " of "
                + ByteSize.format(result.memoryLimitBytes()) + " (" + result.memoryLimitMechanism() + ")"));
        html.append("</tbody>\n</table>\n");
        html.append(memoryBar(result.peakMemoryBytes(), result.memoryLimitBytes()));
        html.append("</section>\n");
        html.append(logPanel(result.failure() == null ? null : result.failure().name(), result.failureMessage(),
                result.logExcerpt(), result.logLines()));
        if (!result.perturbations().isEmpty()) {
            html.append(perturbations(result.perturbations()));
        }
        return html.toString();
    }

    /** Each perturbed copy: what changed, how the script ended on it, and the lines that show a failure. */
    private static String perturbations(List<PerturbationOutcome> outcomes) {
        StringBuilder html = new StringBuilder("<section class=\"panel train-perturbations\">\n<h2>Perturbed samples</h2>\n")
                .append("<table>\n<thead><tr><th>Perturbation</th><th>What changed</th><th>Outcome</th><th>Why</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (PerturbationOutcome outcome : outcomes) {
            String verdict = outcome.status() == null ? "NOT RUN"
                    : outcome.failure() == null ? outcome.status().name() : outcome.failure().name();
            html.append("<tr class=\"").append(Html.statusClass(outcome.status())).append("\"><td><code>")
                    .append(Html.escape(outcome.name())).append("</code><br>").append(Html.escape(outcome.title()))
                    .append("</td><td>").append(Html.escape(outcome.change())).append("</td><td><span class=\"badge ")
                    .append(Html.statusClass(outcome.status())).append("\">").append(Html.escape(verdict))
                    .append("</span></td><td>").append(Html.escape(outcome.message())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        for (PerturbationOutcome outcome : outcomes) {
            if (!outcome.logExcerpt().isEmpty()) {
                html.append("<h3>").append(Html.escape(outcome.name())).append("</h3>\n<pre class=\"train-log\">")
                        .append(outcome.logExcerpt().stream().map(Html::escape).collect(Collectors.joining("\n")))
                        .append("</pre>\n");
            }
        }
        return html.append("</section>\n").toString();
    }

    public static String train(TrainResult result) {
        StringBuilder html = new StringBuilder();
        html.append("<section class=\"panel train-run\">\n<h2>Job</h2>\n<table class=\"train-facts\">\n<tbody>\n");
        fact(html, "Backend", Html.escape(result.backend()));
        if (result.namespace() != null) {
            fact(html, "Job", "<code>" + Html.escape(result.namespace() + "/" + result.jobName()) + "</code>");
        }
        if (result.image() != null) {
            fact(html, "Image", "<code>" + Html.escape(result.image()) + "</code>");
        }
        fact(html, "GPUs", Html.escape(result.gpus() + (result.gpuType() == null ? "" : " × " + result.gpuType())));
        fact(html, "Command", "<code>" + Html.escape(String.join(" ", result.command())) + "</code>");
        fact(html, "Outcome", "<span class=\"train-outcome train-outcome-" + cssName(result.outcome()) + "\">"
                + Html.escape(result.outcome()) + "</span>" + (result.exitCode() == null ? ""
                        : " · exit code " + Html.escape(result.exitCode())));
        fact(html, "Preemptions", Html.escape(result.preemptions()));
        if (result.peakMemoryBytes() != null) {
            fact(html, "Peak memory", Html.escape(ByteSize.format(result.peakMemoryBytes())));
        }
        html.append("</tbody>\n</table>\n</section>\n");
        html.append(attempts(result.attempts()));
        if (!result.gpuUsage().isEmpty()) {
            html.append(gpuUsage(result.gpuUsage()));
        }
        html.append(logPanel(result.failure() == null ? null : result.failure().name(), result.failureMessage(),
                result.logExcerpt(), -1));
        return html.toString();
    }

    private static String attempts(List<TrainAttempt> attempts) {
        StringBuilder html = new StringBuilder("<section class=\"panel train-attempts\">\n<h2>Attempts</h2>\n");
        if (attempts.isEmpty()) {
            return html.append("<p class=\"note\">No pod was created.</p>\n</section>\n").toString();
        }
        html.append(timeline(attempts));
        html.append("<table>\n<thead><tr><th>#</th><th>Pod</th><th>Node</th><th>GPU</th><th>Created</th>")
                .append("<th>Waiting</th><th>Running</th><th>Outcome</th><th>Exit</th><th>Reason</th><th>Message</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < attempts.size(); i++) {
            TrainAttempt a = attempts.get(i);
            html.append("<tr><td class=\"num\">").append(i + 1).append("</td>")
                    .append("<td><code>").append(Html.escape(a.pod())).append("</code></td>")
                    .append("<td>").append(Html.escape(a.node())).append("</td>")
                    .append("<td>").append(Html.escape(a.gpuType())).append("</td>")
                    .append("<td>").append(Html.escape(a.created())).append("</td>")
                    .append("<td class=\"num\">").append(Html.escape(seconds(a.waitingS()))).append("</td>")
                    .append("<td class=\"num\">").append(Html.escape(seconds(a.runningS()))).append("</td>")
                    .append("<td><span class=\"train-outcome train-outcome-").append(cssName(a.outcome())).append("\">")
                    .append(Html.escape(a.outcome())).append("</span></td>")
                    .append("<td class=\"num\">").append(Html.escape(a.exitCode())).append("</td>")
                    .append("<td>").append(Html.escape(a.reason())).append("</td>")
                    .append("<td>").append(Html.escape(a.message())).append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>\n").toString();
    }

    /** One row per attempt: waiting for a node and an image in grey, then running, coloured by outcome. */
    static String timeline(List<TrainAttempt> attempts) {
        Instant start = attempts.get(0).created();
        double total = attempts.stream().mapToDouble(a -> offset(start, a.created()) + a.waitingS() + a.runningS())
                .max().orElse(1);
        double scale = BAR_WIDTH / Math.max(total, 1e-3);
        int height = attempts.size() * ROW_HEIGHT + 24;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"train-timeline\" role=\"img\" viewBox=\"0 0 ").append(LABEL_WIDTH + BAR_WIDTH + 10)
                .append(' ').append(height).append("\" width=\"").append(LABEL_WIDTH + BAR_WIDTH + 10)
                .append("\" height=\"").append(height).append("\">\n<title>Attempts over time</title>\n");
        for (int i = 0; i < attempts.size(); i++) {
            TrainAttempt a = attempts.get(i);
            int y = i * ROW_HEIGHT + 4;
            double x0 = LABEL_WIDTH + offset(start, a.created()) * scale;
            double waiting = a.waitingS() * scale;
            double running = a.runningS() * scale;
            svg.append("<text x=\"0\" y=\"").append(y + 13).append("\">").append(i + 1).append(". ")
                    .append(Html.escape(clip(a.pod(), 24))).append("</text>\n");
            svg.append(rect("train-waiting", x0, y, waiting, a.created() + ": waiting " + seconds(a.waitingS())));
            svg.append(rect("train-running train-outcome-" + cssName(a.outcome()), x0 + waiting, y, running,
                    a.outcome() + " after running " + seconds(a.runningS())));
        }
        int axisY = attempts.size() * ROW_HEIGHT + 8;
        svg.append("<line class=\"axis\" x1=\"").append(LABEL_WIDTH).append("\" y1=\"").append(axisY)
                .append("\" x2=\"").append(LABEL_WIDTH + BAR_WIDTH).append("\" y2=\"").append(axisY).append("\"/>\n")
                .append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(axisY + 14).append("\">0</text>\n")
                .append("<text x=\"").append(LABEL_WIDTH + BAR_WIDTH).append("\" y=\"").append(axisY + 14)
                .append("\" text-anchor=\"end\">").append(Html.escape(seconds(total))).append("</text>\n");
        return svg.append("</svg>\n").toString();
    }

    private static String gpuUsage(List<GpuUsage> usage) {
        StringBuilder html = new StringBuilder("<section class=\"panel train-gpus\">\n<h2>GPU use</h2>\n<table>\n")
                .append("<thead><tr><th>GPU</th><th>Product</th><th>Samples</th><th>Mean utilisation</th>")
                .append("<th>Max utilisation</th><th>Peak memory</th></tr></thead>\n<tbody>\n");
        for (GpuUsage u : usage) {
            html.append("<tr><td>").append(Html.escape(u.index())).append("</td><td>").append(Html.escape(u.name()))
                    .append("</td><td class=\"num\">").append(u.samples())
                    .append("</td><td class=\"num\">").append(Html.escape(String.format(Locale.ROOT, "%.0f%%", u.meanUtilizationPct())))
                    .append("</td><td class=\"num\">").append(Html.escape(String.format(Locale.ROOT, "%.0f%%", u.maxUtilizationPct())))
                    .append("</td><td class=\"num\">").append(u.peakMemoryMib()).append(" / ").append(u.totalMemoryMib())
                    .append(" MiB</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n</section>\n").toString();
    }

    private static String logPanel(String failure, String message, List<String> lines, long totalLines) {
        StringBuilder html = new StringBuilder("<section class=\"panel train-log-panel\">\n<h2>")
                .append(failure == null ? "Last log lines" : "Failure: " + Html.escape(failure)).append("</h2>\n");
        if (message != null) {
            html.append("<p>").append(Html.escape(message)).append("</p>\n");
        }
        if (lines.isEmpty()) {
            html.append("<p class=\"note\">The log was empty.</p>\n");
        } else {
            html.append("<pre class=\"train-log\">").append(lines.stream().map(Html::escape).collect(Collectors.joining("\n")))
                    .append("</pre>\n");
        }
        if (totalLines >= 0) {
            html.append("<p class=\"note\">").append(totalLines).append(" log lines in all.</p>\n");
        }
        return html.append("</section>\n").toString();
    }

    private static String memoryBar(long peak, long limit) {
        if (limit <= 0) {
            return "";
        }
        double used = Math.min(1, (double) peak / limit) * BAR_WIDTH;
        return "<svg class=\"train-memory\" role=\"img\" viewBox=\"0 0 " + (BAR_WIDTH + 2) + " 20\" width=\""
                + (BAR_WIDTH + 2) + "\" height=\"20\">\n<title>" + Html.escape("peak " + ByteSize.format(peak) + " of "
                + ByteSize.format(limit)) + "</title>\n"
                + "<rect class=\"train-memory-limit\" x=\"1\" y=\"2\" width=\"" + BAR_WIDTH + "\" height=\"16\"/>\n"
                + "<rect class=\"train-memory-used\" x=\"1\" y=\"2\" width=\"" + format(used) + "\" height=\"16\"/>\n</svg>\n";
    }

    private static String rect(String cssClass, double x, int y, double width, String title) {
        return "<rect class=\"" + cssClass + "\" x=\"" + format(x) + "\" y=\"" + y + "\" width=\""
                + format(Math.max(width, 1)) + "\" height=\"" + (ROW_HEIGHT - 6) + "\"><title>" + Html.escape(title)
                + "</title></rect>\n";
    }

    private static void fact(StringBuilder html, String name, String valueHtml) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    private static String sample(DataSample sample) {
        String text = sample.rows() + " of " + sample.sourceRows() + " rows of " + sample.source() + ", seed " + sample.seed();
        if (sample.labelColumn() != null) {
            text += "; stratified by " + sample.labelColumn() + ": " + sample.rowsPerLabel().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }
        return text;
    }

    private static String exit(int code, String signal) {
        return signal == null ? "exit code " + code : "killed by " + signal + " (exit code " + code + ")";
    }

    private static double offset(Instant start, Instant at) {
        return at == null ? 0 : Math.max(0, Duration.between(start, at).toMillis() / 1000.0);
    }

    private static String seconds(double s) {
        if (s < 120) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }

    private static String cssName(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
