package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code registerModel} / {@code mlops register} is asked to do. Paths are strings,
 * relative to {@code workspace}: Jenkins runs the step on the agent that holds the workspace.
 * Credentials are not part of it; they come from the environment when the step runs.
 *
 * @param registry {@code http(s)://...} (MLflow) or {@code file:DIR} (local registry)
 * @param model a local model file or directory, or a model URI
 * @param runId an existing MLflow run to register from (e.g. the training run), or null
 * @param tags the user's own tags; {@code mlops.*} is reserved for lineage
 * @param stage a deprecated MLflow stage, set only when asked
 * @param experiment the MLflow experiment for the run mlops creates; null means the model name
 * @param gateReport {@code gate.json} of the gate step, or null
 * @param dataReport {@code validation.json} or a profile JSON carrying {@code data_fingerprint}, or null
 * @param gitCommit the commit that built the model; null means {@code git rev-parse HEAD} in the workspace
 * @param buildUrl the CI build that registers ({@code BUILD_URL}), or null
 * @param timeout how long each registry call may take, retries of transient failures included
 */
public record RegisterConfig(String registry, String name, String model, String runId, List<String> aliases,
        Map<String, String> tags, String description, String stage, String experiment, String gateReport,
        String dataReport, String gitCommit, String buildUrl, String workspace, Duration timeout) implements Serializable {

    public RegisterConfig {
        Registration.requireName(name);
        if (model == null || model.isBlank()) {
            throw new BadInputException("--model is empty: give a model file or directory, or a model URI");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        aliases.forEach(Registration::requireAlias);
        tags = tags == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        for (String key : tags.keySet()) {
            if (key.isBlank()) {
                throw new BadInputException("--tag has an empty key: use --tag KEY=VALUE");
            }
            if (key.startsWith("mlops.")) {
                throw new BadInputException("--tag " + key + ": tags starting with 'mlops.' are reserved for lineage");
            }
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new BadInputException("--timeout must be longer than zero, not " + timeout);
        }
        workspace = workspace == null || workspace.isBlank() ? "." : workspace;
        runId = blankToNull(runId);
        gitCommit = blankToNull(gitCommit);
        buildUrl = blankToNull(buildUrl);
        description = blankToNull(description);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
