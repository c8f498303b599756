package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One version of a registered model, as both registries report it and as {@code mlops register}
 * and {@code mlops models get} print it.
 *
 * @param source where the model's files are (MLflow: {@code runs:/...} or a storage URI; local:
 *     a {@code file:} URI inside the registry directory)
 * @param runId the MLflow run that carries the version's lineage and metrics, or null
 * @param stage the deprecated MLflow stage, null unless one was set
 */
@JsonPropertyOrder({"name", "version", "aliases", "source", "run_id", "tags", "description", "stage", "created"})
public record ModelVersion(String name, int version, List<String> aliases, String source, String runId,
        Map<String, String> tags, String description, String stage, Instant created) implements Serializable {

    public ModelVersion {
        Objects.requireNonNull(name, "name");
        aliases = aliases == null ? List.of() : aliases.stream().sorted().toList();
        tags = tags == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public ModelVersion withAliases(List<String> newAliases) {
        return new ModelVersion(name, version, newAliases, source, runId, tags, description, stage, created);
    }
}
