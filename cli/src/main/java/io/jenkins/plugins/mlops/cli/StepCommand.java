package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.OutputPaths;
import io.jenkins.plugins.mlops.report.HtmlReport;
import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * What every step command does after its step ran: write the reports, print the summary or the
 * JSON, and turn the status into the exit code. A subclass only runs its step.
 */
public abstract class StepCommand<R extends StepResult> implements Callable<Integer> {
    @Mixin
    protected StepOptions output;

    @Spec
    protected CommandSpec spec;

    /** Runs the step; bad input throws {@code BadInputException}, a broken service {@code InfrastructureException}. */
    protected abstract R runStep();

    /** The report's file name stem, e.g. {@code validation}. */
    protected abstract String reportName();

    /** The report page's title, e.g. "Data validation". */
    protected abstract String reportTitle();

    /** The step's own HTML panels, shown above the checks table. */
    protected List<String> reportPanels(R result) {
        return List.of();
    }

    /** The status from which the command exits 1; steps with {@code --fail-on} override it. */
    protected Status failureThreshold() {
        return Status.FAIL;
    }

    /** Progress for people watching a long step; silent under {@code --quiet} and {@code --json}. */
    protected final void progress(String message) {
        if (!output.quiet && !output.json) {
            spec.commandLine().getErr().println(message);
        }
    }

    /** A warning people must not miss: shown even under {@code --quiet} and {@code --json}, on stderr. */
    protected final void warn(String message) {
        spec.commandLine().getErr().println("WARNING: " + message);
    }

    /**
     * Lets a command answer without running its step, e.g. {@code --dry-run} printing what it
     * would do: an exit code ends the command there; empty runs the step.
     */
    protected OptionalInt answerWithoutRunning() {
        return OptionalInt.empty();
    }

    /**
     * The datasets the step reads (files or directories of partitions): the report may not be
     * written inside one, or it would become part of the data.
     */
    protected List<String> datasets() {
        return List.of();
    }

    @Override
    public final Integer call() {
        OptionalInt answer = answerWithoutRunning();
        if (answer.isPresent()) {
            return answer.getAsInt();
        }
        if (output.reportDir != null) {
            refuseReportOverInputs();
            // A run that ends in bad input or a crash must not leave the previous run's verdict
            // for the next step (register --gate-report) to trust.
            ReportWriter.discard(output.reportDir, reportName());
        }
        R result = runStep();
        if (output.reportDir != null) {
            ReportWriter.write(output.reportDir, reportName(), result, reportTitle(), reportPanels(result));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            out.print(Json.writeRedacted(result));
        } else if (!output.quiet) {
            ConsoleSummary.print(result, out);
        }
        out.flush();
        return result.status().isAtLeast(failureThreshold()) ? ExitCodes.FAILED : ExitCodes.PASSED;
    }

    /**
     * After a usage error (an unknown option, a value of the wrong type) the step never starts,
     * yet the previous run's verdict must not stay for the next step to trust either. The report
     * directory is the one parsed so far, or else the one named on the command line.
     */
    final void discardReportAfterUsageError(String[] args) {
        Path dir = output.reportDir;
        for (int i = 0; dir == null && i < args.length; i++) {
            if (args[i].equals("--report") && i + 1 < args.length) {
                dir = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--report=")) {
                dir = Path.of(args[i].substring("--report=".length()));
            }
        }
        if (dir != null && Files.isDirectory(dir)) {
            ReportWriter.discard(dir, reportName());
        }
    }

    /** Every option value that names an existing file is an input the report must not replace. */
    private void refuseReportOverInputs() {
        List<Path> outputs = new ArrayList<>(ReportWriter.files(output.reportDir, reportName()));
        outputs.add(output.reportDir.resolve(HtmlReport.STYLESHEET));
        for (OptionSpec option : spec.options()) {
            if (option.longestName().equals("--report")) {
                continue;
            }
            for (Path input : paths(option.getValue())) {
                boolean dataset = datasets().stream().map(Path::of).anyMatch(input::equals);
                for (Path report : outputs) {
                    if (dataset || Files.isRegularFile(input)) {
                        OutputPaths.refuseInput("--report", report, option.longestName(), input);
                    }
                }
            }
        }
    }

    private static List<Path> paths(Object value) {
        List<Path> paths = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            values.forEach(v -> paths.addAll(paths(v)));
        } else if (value instanceof Path path) {
            paths.add(path);
        } else if (value instanceof File file) {
            paths.add(file.toPath());
        } else if (value instanceof String text && !text.isBlank()) {
            try {
                paths.add(Path.of(text));
            } catch (InvalidPathException notAPath) {
                // A value such as a metric name or a URL, not a file.
            }
        }
        return paths;
    }
}
