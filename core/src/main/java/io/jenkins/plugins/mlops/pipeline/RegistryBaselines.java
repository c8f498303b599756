package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.gate.RecordedBaseline;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.ModelNotFoundException;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The gate's {@code baselineModel}: the metrics recorded on the registry version that holds an
 * alias (its run's metrics and its gate lineage). The gate stays registry-free; this composes both
 * for the CLI and the Jenkins step.
 */
public final class RegistryBaselines {
    private RegistryBaselines() {}

    /** @param registry opened only when a baseline model is asked for */
    public static Function<String, RecordedBaseline> in(Supplier<ModelRegistry> registry, Consumer<String> progress) {
        return model -> read(model, registry.get(), progress);
    }

    private static RecordedBaseline read(String model, ModelRegistry models, Consumer<String> progress) {
        String spec = model.startsWith("models:/") ? model.substring("models:/".length()) : model;
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new BadInputException("--baseline-model: expected NAME@ALIAS (e.g. churn@champion), got '" + model + "'");
        }
        String name = spec.substring(0, at);
        String alias = spec.substring(at + 1);
        ModelVersion version;
        try {
            version = models.getByAlias(name, alias);
        } catch (ModelNotFoundException e) {
            throw new BadInputException("--baseline-model: " + e.getMessage(), e);
        }
        progress.accept("baseline: " + name + " version " + version.version() + " (@" + alias + ") in " + models.location());
        return RecordedBaseline.fromNamed(models.recordedMetrics(version),
                "models:/" + name + "@" + alias + " (version " + version.version() + ", " + models.location() + ")");
    }
}
