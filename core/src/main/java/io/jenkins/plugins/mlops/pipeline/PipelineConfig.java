package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops.yaml}: the pipeline of one model. Each stage's keys are the options of its
 * command, spelled the same ({@code fail-on}, {@code expect-output}); a stage that is absent is
 * not run. Paths are relative to the file's directory, where the commands run too.
 *
 * @param name the registered model's name
 * @param registry {@code file:DIR} (local registry) or the MLflow tracking server, as {@code --registry}
 * @param champion the alias of the production model: the gate's baseline, moved to the new version
 *     when every stage passed
 * @param serve the command that serves a model on {@code {port}} ({@code {model}}: its directory or
 *     URI), for the shadow and canary stages, e.g. MLflow's scoring server
 * @param ci the project's own checks (lint, format, types, unit tests), run first
 * @param packaging the {@code package} stage (a Java name cannot be {@code package}): the registered version as an image
 * @param serveStop run after a model server's process stops, with serve's placeholders, e.g. {@code podman rm -f {name}}:
 *     what the process left behind (a container) goes too
 * @param ingest the warehouse's window into the data file the other stages read, run before them
 * @param deploy the {@code deploy} stage: that image onto Kubernetes at zero traffic
 */
public record PipelineConfig(String name, String registry, String champion, List<String> serve, ValidateStage validate,
        SmokeTrainStage smokeTrain, TrainStage train, GateStage gate, RegisterStage register, ShadowStage shadow,
        CanaryStage canary, CiStage ci, @JsonProperty("package") PackageStage packaging, List<String> serveStop,
        IngestStage ingest, DeployStage deploy) implements Serializable {

    public static final String DEFAULT_REGISTRY = "file:.mlops/registry";
    public static final String DEFAULT_CHAMPION = "champion";

    public PipelineConfig {
        name = Keys.required(name, "name");
        registry = Keys.orDefault(registry, DEFAULT_REGISTRY);
        champion = Keys.orDefault(champion, DEFAULT_CHAMPION);
        serve = serve == null ? null : Keys.command(serve, "serve");
        serveStop = serveStop == null ? null : Keys.command(serveStop, "serve-stop");
        if (ci == null && ingest == null && validate == null && smokeTrain == null && train == null && gate == null
                && register == null) {
            throw Keys.invalid("stages", "no stage given: add ci, ingest, validate, smoke-train, train, gate or register");
        }
        if (gate != null && train == null && gate.text("candidate") == null) {
            throw Keys.invalid("gate.candidate", "without a train stage the gate needs the candidate's predictions");
        }
        if ((shadow != null && shadow.shadow() == null || canary != null && canary.servesBoth())
                && (train == null || gate == null || serve == null)) {
            throw Keys.invalid("serve", "shadow and canary serve the champion and the candidate themselves: they need the"
                    + " train and gate stages and serve (or give their URLs)");
        }
        if (packaging != null && register == null && packaging.model() == null) {
            throw Keys.invalid("package.model", "without a register stage say which model to package");
        }
        if (deploy != null && register == null && deploy.model() == null) {
            throw Keys.invalid("deploy.model", "without a register stage say which model version to deploy");
        }
        if (register != null && train == null && register.model() == null) {
            throw Keys.invalid("register.model", "without a train stage say which model to register");
        }
    }

    /** The same pipeline with another train stage. */
    public PipelineConfig withTrain(TrainStage changed) {
        return new PipelineConfig(name, registry, champion, serve, validate, smokeTrain, changed, gate, register, shadow,
                canary, ci, packaging, serveStop, ingest, deploy);
    }

    /** The same pipeline serving its models with another command, and {@code stop} after each. */
    public PipelineConfig withServe(List<String> command, List<String> stop) {
        return new PipelineConfig(name, registry, champion, command, validate, smokeTrain, train, gate, register, shadow,
                canary, ci, packaging, stop, ingest, deploy);
    }

    /** The same pipeline with another package stage. */
    public PipelineConfig withPackaging(PackageStage changed) {
        return new PipelineConfig(name, registry, champion, serve, validate, smokeTrain, train, gate, register, shadow,
                canary, ci, changed, serveStop, ingest, deploy);
    }
}
