package io.jenkins.plugins.mlops.packaging;

import java.nio.file.Path;

/**
 * The model's files on this machine, and where they came from.
 *
 * @param directory holds {@code MLmodel}
 * @param name the registered model, or null for a run or a directory
 * @param version its version, or null
 * @param storageUri where a server that fetches models itself (KServe) finds the files:
 *     the version's or run's artifact location, or the directory's {@code file:} URI
 */
public record ResolvedModel(Path directory, String name, Integer version, String storageUri) {}
