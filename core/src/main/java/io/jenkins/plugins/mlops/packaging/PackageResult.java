package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code packageModel} ({@code package.json}): the envelope, then the image pushed
 * (by digest: the name that cannot move), its base, size and layers, the pinned requirements,
 * the model it serves and the tag that records the image on the model version.
 *
 * @param image {@code REGISTRY/REPOSITORY@sha256:...}, or null on the image-free path
 * @param tagged the image reference as tagged ({@code REGISTRY/REPOSITORY:TAG}), or null
 * @param digest the manifest's digest, or null
 * @param base the base image, pinned to its digest
 * @param sizeBytes the compressed size of config and layers
 * @param pythonVersion the base image's Python
 * @param requirements the installed distributions, {@code name==version}
 * @param modelName the registered model, or null
 * @param modelVersion its version, or null
 * @param versionTag the tag written on the version ({@code mlops.image=IMAGE}), or null when the model is no version
 * @param storageUri where KServe fetches the model from
 * @param inferenceService the InferenceService written for KServe's image-free path, or null
 */
public record PackageResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String model, String image, String tagged, String digest, String base, long sizeBytes,
        int layers, String pythonVersion, List<String> requirements, String modelName, Integer modelVersion,
        String versionTag, String storageUri, String inferenceService) implements StepResult {

    public static final String SCHEMA = "mlops.package/v1";
    public static final String STEP = "packageModel";

    public PackageResult {
        checks = List.copyOf(checks);
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
    }
}
