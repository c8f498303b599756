package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    /**
     * Lets a command answer without running its step, e.g. {@code --dry-run} printing what it
     * would do: an exit code ends the command there; empty runs the step.
     */
    protected OptionalInt answerWithoutRunning() {
        return OptionalInt.empty();
    }

    @Override
    public final Integer call() {
        OptionalInt answer = answerWithoutRunning();
        if (answer.isPresent()) {
            return answer.getAsInt();
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
}
