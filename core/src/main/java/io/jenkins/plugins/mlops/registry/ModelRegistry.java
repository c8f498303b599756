package io.jenkins.plugins.mlops.registry;

import java.util.List;
import java.util.Map;

/**
 * The port every model registry implements: registered models hold numbered versions, versions
 * carry tags, and aliases (e.g. {@code staging}, {@code champion}) point at one version each.
 * Missing models, versions or aliases throw {@link ModelNotFoundException}; an alias that points
 * at a version whose model is gone throws {@link UnloadableVersionException}; a registry that
 * cannot be reached or refuses after retries throws {@code InfrastructureException}. Version
 * numbers are never reused, not even after a version is deleted.
 */
public interface ModelRegistry {

    /**
     * Registers a new version, or returns the version already registered under the same
     * {@link Registration#idempotencyKey()}; either way the requested aliases point at it afterwards.
     */
    Registered register(Registration registration);

    ModelVersion get(String name, int version);

    ModelVersion getByAlias(String name, String alias);

    /**
     * Checks that the version's model files are still where its source says, before anything
     * loads them; throws {@link UnloadableVersionException} when they are gone. A source the
     * registry cannot look into (e.g. {@code s3://...} recorded as it is) passes.
     */
    void requireFiles(ModelVersion version);

    /** Points {@code alias} at {@code version}, moving it away from any other version of the model. */
    ModelVersion setAlias(String name, String alias, int version);

    /**
     * Sets one tag on a version (e.g. the digest of the image that {@code mlops package} built
     * from it), replacing its value if the tag is there.
     */
    ModelVersion setTag(String name, int version, String key, String value);

    /** Every version of the model, oldest first. */
    List<ModelVersion> list(String name);

    /**
     * The metrics recorded for a version, by name: the gate metrics of its lineage
     * ({@code mlops.gate.*} tags) and, in MLflow, the metrics of its run (as {@code mlflow.evaluate}
     * or {@code mlops register} logged them). A later gate compares a candidate with these when no
     * baseline predictions exist.
     */
    Map<String, Double> recordedMetrics(ModelVersion version);

    /** Where the registry lives, safe to print: never carries credentials. */
    String location();
}
