package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One request to register a model version, as a registry adapter receives it: lineage already
 * gathered into {@code tags} and {@code metrics}.
 *
 * @param runId the MLflow run to attach to (e.g. the training run), or null to create one
 * @param aliases aliases that point at the version afterwards
 * @param metrics logged on the run, so MLflow's UI compares versions by them
 * @param stage a deprecated MLflow stage to set, or null (aliases replace stages)
 * @param experiment the MLflow experiment of a run mlops creates; null means the model's name
 * @param idempotencyKey registering the same key again returns the existing version
 */
public record Registration(String name, ModelSource source, String runId, List<String> aliases,
        Map<String, String> tags, Map<String, Double> metrics, String description, String stage,
        String experiment, String idempotencyKey) implements Serializable {

    /** MLflow's alias rule: letters, digits, '-' and '_'; "latest" and "v<N>" are reserved. */
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v\\d+");

    public Registration {
        requireName(name);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        aliases.forEach(Registration::requireAlias);
        tags = tags == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        metrics = metrics == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        experiment = experiment == null || experiment.isBlank() ? name : experiment;
        stage = stage == null || stage.isBlank() ? null : requireStage(stage);
    }

    /** The tag that makes {@link ModelRegistry#register} idempotent. */
    public static final String IDEMPOTENCY_TAG = "mlops.idempotency_key";

    /** The version's tags including the idempotency key. */
    public Map<String, String> versionTags() {
        Map<String, String> all = new TreeMap<>(tags);
        all.put(IDEMPOTENCY_TAG, idempotencyKey);
        return all;
    }

    static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("--name is empty: give the registered model's name");
        }
        if (name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
            throw new BadInputException("model name '" + name.strip() + "' must be at most 256 printable characters");
        }
    }

    private static String requireStage(String stage) {
        for (String known : List.of("None", "Staging", "Production", "Archived")) {
            if (known.equalsIgnoreCase(stage)) {
                return known;
            }
        }
        throw new BadInputException("stage '" + stage + "' is not one of None, Staging, Production, Archived");
    }

    static void requireAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches() || RESERVED_ALIAS.matcher(alias).matches()) {
            throw new BadInputException("alias '" + alias + "' is not valid: use letters, digits, '-' and '_';"
                    + " 'latest' and 'v<number>' are reserved by MLflow");
        }
    }
}
