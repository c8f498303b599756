package io.jenkins.plugins.mlops.ci;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;
import java.util.List;

/**
 * How one ci command went.
 *
 * @param command as run, {@code {junit}} replaced and secrets masked
 * @param exitCode its exit status (128 + N when killed by signal N)
 * @param timedOut whether it was stopped at the time limit
 * @param junit its JUnit file's name, beside the step's report
 * @param junitFromCommand whether the command wrote that file; else mlops made it from the exit status and output
 * @param tests what the JUnit file counts
 * @param message one sentence on the verdict
 * @param logExcerpt the command's last lines
 */
public record CommandOutcome(String name, List<String> command, Status status, int exitCode, boolean timedOut,
        double durationS, String junit, boolean junitFromCommand, JunitSummary tests, String message,
        List<String> logExcerpt) implements Serializable {

    public CommandOutcome {
        command = List.copyOf(command);
        logExcerpt = List.copyOf(logExcerpt);
    }
}
