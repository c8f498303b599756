package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.registry.ModelRegistries;
import java.nio.file.Path;

/** Where {@code registry} of {@code mlops.yaml} points, as the steps take it. */
public final class Registries {
    private Registries() {}

    /** A relative {@code file:DIR} is relative to the project, like every path in {@code mlops.yaml}. */
    public static String resolve(String registry, Path project) {
        return ModelRegistries.resolve(registry, project);
    }
}
