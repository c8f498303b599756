package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of {@code registerModel} ({@code register.json}): the envelope, then the version
 * as the registry holds it ({@code name}, {@code version}, {@code aliases}, {@code source},
 * {@code tags}). {@code version} is null when nothing was registered (the gate rejected the model).
 *
 * @param registry where the version lives, never with credentials
 * @param created false when this build had already registered the same model
 * @param modelFiles files copied or uploaded (0 for a model URI, or an existing version)
 */
public record RegisterResult(String schema, String step, Status status, Instant started, double durationS,
        String summary, List<Check> checks, String registry, String name, Integer version, List<String> aliases,
        String source, String runId, Map<String, String> tags, boolean created, int modelFiles, long modelBytes)
        implements StepResult {

    public static final String SCHEMA = "mlops.register/v1";
    public static final String STEP = "registerModel";

    public RegisterResult {
        checks = List.copyOf(checks);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        tags = tags == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }
}
