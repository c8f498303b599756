package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.deploy.log.LogCredentials;
import io.jenkins.plugins.mlops.gate.MetricComparison;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the stages of one run share: where things are, and what earlier stages left for later
 * ones (the trained model, the reports lineage is read from, the registered version).
 */
final class RunState {
    final PipelineConfig config;
    final Path project;
    final Path runDir;
    final Consumer<String> console;
    final RegistryCredentials credentials;

    /** The champion's model for {@code serve} ({@code {model}}), when a version held the alias; else null. */
    String championLocation;
    /** The champion's image ({@code {image}} for serve): its version's {@code mlops.image} tag, or null. */
    String championImage;
    /** The candidate's image, pushed by the package stage, or null. */
    String candidateImage;
    final Deployment deployment = new Deployment();
    Path validationReport;
    Path gateReport;
    boolean driftDetected;
    Integer registeredVersion;
    /** The gate's primary metric on this run's rows; its baseline is the champion's when championVersion is set. */
    MetricComparison primary;
    int holdOutRows;
    /** The champion's version when the gate compared with it; null for the first model. */
    Integer championVersion;

    RunState(PipelineConfig config, Path project, Path runDir, Consumer<String> console, RegistryCredentials credentials) {
        this.config = config;
        this.project = project;
        this.runDir = runDir;
        this.console = console;
        this.credentials = credentials;
    }

    /** The prediction log's user and password, from MLOPS_LOG_USER and MLOPS_LOG_PASSWORD. */
    java.util.Properties logCredentials() {
        return LogCredentials.writer(System.getenv());
    }

    /** The metric user's, from MLOPS_METRIC_USER and MLOPS_METRIC_PASSWORD, else the writer's. */
    java.util.Properties metricCredentials() {
        return LogCredentials.metrics(System.getenv());
    }

    /** The registry URI, a relative {@code file:} directory resolved against the project. */
    String registry() {
        return Registries.resolve(config.registry(), project);
    }

    /** A path from {@code mlops.yaml}, with {@code {run}} replaced, relative to the project. */
    Path path(String value) {
        return project.resolve(expand(value)).normalize();
    }

    /** A path as a step's config takes it, or null. */
    String pathOrNull(String value) {
        return value == null ? null : path(value).toString();
    }

    /** Replaces {@code {run}}; the steps' own placeholders ({@code {data}}, {@code {out}}) stay. */
    String expand(String value) {
        return value.replace("{run}", runDir.toString());
    }

    String expand(String value, Map<String, String> more) {
        String result = expand(value);
        for (Map.Entry<String, String> entry : more.entrySet()) {
            result = result.replace("{" + entry.getKey() + "}", entry.getValue());
        }
        return result;
    }

    /** The trained model's path, from the train stage's {@code model}. */
    Path trainedModel() {
        return config.train() == null ? null : path(config.train().model());
    }
}
