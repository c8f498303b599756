package io.jenkins.plugins.mlops.ci;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of the {@code ci} step ({@code ci.json}, schema {@value #SCHEMA}): one check per
 * command, and each command's outcome with what its JUnit file counts.
 */
@JsonPropertyOrder({"schema", "step", "status", "started", "duration_s", "summary", "checks"})
public record CiResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, List<CommandOutcome> commands) implements StepResult {

    public static final String SCHEMA = "mlops.ci/v1";
    public static final String STEP = "ci";

    public CiResult {
        checks = List.copyOf(checks);
        commands = List.copyOf(commands);
    }
}
