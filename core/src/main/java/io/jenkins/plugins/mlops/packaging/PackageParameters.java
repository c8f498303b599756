package io.jenkins.plugins.mlops.packaging;

import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.jenkins.plugins.mlops.image.ImageReference;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code packageModel} ({@code mlops package}, the {@code package} stage) takes: the
 * one place for their names, defaults and help. The model registry and both registries'
 * credentials are not among them: each front end has its own (environment, Jenkins credentials).
 */
public record PackageParameters(String model, String image, String base, String python, String wheelCache, int port,
        String inferenceService, Duration timeout) implements Serializable {

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("packageModel", List.of(
            Parameter.of("model", TEXT, null, "The model: models:/NAME@ALIAS, models:/NAME/VERSION, runs:/RUN/PATH, or a"
                    + " directory with an MLmodel file (required).").labelled("URI|DIR"),
            Parameter.of("image", TEXT, null, "The image to push, with its registry and tag, e.g."
                    + " registry.example.com/team/churn:build-42; loopback registries are spoken to over plain HTTP."
                    + " Leave it out for the image-free KServe path (inferenceService).").labelled("IMAGE"),
            Parameter.of("base", TEXT, null, "The base image with python3, e.g. registry.example.com/python-base:3.11"
                    + " (required with image).").labelled("IMAGE"),
            Parameter.of("python", TEXT, "python3", "The Python on this machine that resolves the requirements (pip) and"
                    + " downloads models from MLflow (mlflow)."),
            Parameter.of("wheelCache", PATH, ".mlops/wheels", "Where downloaded wheels are kept for the next build."),
            Parameter.of("port", WHOLE, "8080", "The port the scoring server listens on in the image (UVICORN_PORT"
                    + " overrides it when the container runs)."),
            Parameter.of("inferenceService", PATH, null, "Also write a KServe InferenceService that serves the model"
                    + " from its storage URI with modelFormat mlflow (no image needed) to this file."),
            Parameter.of("timeout", DURATION, "120s", "How long each registry call may take.")
                    .only(FrontEnd.YAML, FrontEnd.JENKINS)));

    public static ParameterBuilder<PackageParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, PackageParameters::of);
    }

    public PackageParameters {
        ModelUri.parse(model);
        if (image == null && inferenceService == null) {
            throw new BadInputException("give image (and base) to build an image, or inferenceService for KServe's"
                    + " image-free path, or both");
        }
        if (image != null) {
            ImageReference target = ImageReference.parse(image, "image");
            if (target.digest() != null) {
                throw new BadInputException("image: '" + image + "' names a digest; name a tag to push to (the digest is"
                        + " the result)");
            }
            if (base == null) {
                throw new BadInputException("base: required with image: name the base image with python3");
            }
            ImageReference.parse(base, "base");
        }
        if (port < 1 || port > 65535) {
            throw new BadInputException("port: " + port + " is not a TCP port (1-65535)");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInputException("timeout: must be longer than zero");
        }
    }

    private static PackageParameters of(ParameterValues v) {
        return new PackageParameters(v.text("model"), v.text("image"), v.text("base"), v.text("python"), v.path("wheelCache"),
                Math.toIntExact(v.whole("port")), v.path("inferenceService"), v.duration("timeout"));
    }
}
