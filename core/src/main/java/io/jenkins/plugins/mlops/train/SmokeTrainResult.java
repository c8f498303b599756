package io.jenkins.plugins.mlops.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.mlops.process.MemoryLimitMechanism;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code smokeTrain} ({@code smoke.json}, schema {@value #SCHEMA}).
 *
 * @param failure the class of failure, or {@code null} when the script passed
 * @param failureMessage one sentence on the failure, or {@code null}
 * @param exitCode the script's exit status (128 + N when killed by signal N)
 * @param signal the signal that killed the script, or {@code null}
 * @param runDurationS how long the script itself ran
 * @param timeoutS the time limit
 * @param peakMemoryBytes the largest resident memory of the script's process tree seen
 * @param memoryLimitBytes the memory limit asked for
 * @param memoryLimitMechanism how that limit was enforced
 * @param logExcerpt the log lines that show the failure (or the last lines of a passing run)
 * @param logLines lines the script printed in all
 * @param command the command as run, placeholders substituted
 * @param epochs epochs asked for
 * @param sample the sample the script trained on
 * @param perturbations how the script fared on each perturbed copy of the sample, in the order asked
 */
@JsonPropertyOrder({"schema", "step", "status", "started", "duration_s", "summary", "checks"})
public record SmokeTrainResult(String schema, String step, Status status, Instant started, double durationS,
        String summary, List<Check> checks, FailureKind failure, String failureMessage, int exitCode, String signal,
        double runDurationS, double timeoutS, long peakMemoryBytes, long memoryLimitBytes,
        MemoryLimitMechanism memoryLimitMechanism, List<String> logExcerpt, long logLines, List<String> command,
        int epochs, DataSample sample, List<PerturbationOutcome> perturbations) implements StepResult {

    public static final String SCHEMA = "mlops.smoke/v1";
    public static final String STEP = "smokeTrain";

    public SmokeTrainResult {
        checks = List.copyOf(checks);
        logExcerpt = List.copyOf(logExcerpt);
        command = List.copyOf(command);
        perturbations = perturbations == null ? List.of() : List.copyOf(perturbations);
    }

}
