package io.jenkins.plugins.mlops.report;

import io.jenkins.plugins.mlops.ci.CiResult;
import io.jenkins.plugins.mlops.ci.CommandOutcome;
import io.jenkins.plugins.mlops.ci.FailedTest;
import io.jenkins.plugins.mlops.ci.JunitSummary;
import io.jenkins.plugins.mlops.result.Status;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The panels of the ci report: each command with what its JUnit file counts and a link to it, then,
 * per failing command, its failing test cases and its last lines of output.
 */
public final class CiPanels {
    private CiPanels() {}

    public static String commands(CiResult result) {
        StringBuilder html = new StringBuilder("<section class=\"panel ci-commands\">\n<h2>Commands</h2>\n<table>\n")
                .append("<thead><tr><th>Command</th><th>Status</th><th>Exit</th><th>Tests</th><th>Failed</th>")
                .append("<th>Skipped</th><th>Time</th><th>JUnit</th></tr></thead>\n<tbody>\n");
        for (CommandOutcome command : result.commands()) {
            JunitSummary tests = command.tests();
            html.append("<tr class=\"").append(Html.statusClass(command.status())).append("\"><td><code>")
                    .append(Html.escape(command.name())).append("</code></td><td><span class=\"badge ")
                    .append(Html.statusClass(command.status())).append("\">").append(command.status())
                    .append("</span></td><td>").append(command.timedOut() ? "timed out" : command.exitCode())
                    .append("</td><td>").append(tests.tests()).append("</td><td>")
                    .append(tests.failures() + tests.errors()).append("</td><td>").append(tests.skipped())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f s", command.durationS()))
                    .append("</td><td><a href=\"").append(Html.escape(command.junit())).append("\">")
                    .append(Html.escape(command.junit())).append("</a>")
                    .append(command.junitFromCommand() ? "" : " <span class=\"note\">(from its exit status)</span>")
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
        for (CommandOutcome command : result.commands()) {
            if (command.status() != Status.PASS) {
                html.append(failure(command));
            }
        }
        return html.toString();
    }

    private static String failure(CommandOutcome command) {
        StringBuilder html = new StringBuilder("<section class=\"panel ci-failure\">\n<h2>")
                .append(Html.escape(command.name())).append(" failed</h2>\n<p><code>")
                .append(Html.escape(String.join(" ", command.command()))).append("</code></p>\n<p>")
                .append(Html.escape(command.message())).append("</p>\n");
        if (command.junitFromCommand() && !command.tests().failed().isEmpty()) {
            int failing = command.tests().failures() + command.tests().errors();
            html.append("<table class=\"ci-failed-tests\">\n<thead><tr><th>Test case</th><th>Kind</th><th>Message</th>")
                    .append("</tr></thead>\n<tbody>\n");
            for (FailedTest test : command.tests().failed()) {
                html.append("<tr><td><code>").append(Html.escape(test.test())).append("</code></td><td>")
                        .append(Html.escape(test.kind())).append("</td><td>").append(Html.escape(test.message()))
                        .append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
            if (failing > command.tests().failed().size()) {
                html.append("<p class=\"note\">").append(failing - command.tests().failed().size())
                        .append(" more in the JUnit file.</p>\n");
            }
        }
        if (!command.logExcerpt().isEmpty()) {
            html.append("<pre class=\"train-log\">")
                    .append(command.logExcerpt().stream().map(Html::escape).collect(Collectors.joining("\n")))
                    .append("</pre>\n");
        }
        return html.append("</section>\n").toString();
    }
}
