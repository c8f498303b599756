package io.jenkins.plugins.mlops.revision;

import static io.jenkins.plugins.mlops.params.ParameterType.BOOLEAN;
import static io.jenkins.plugins.mlops.params.ParameterType.DURATION;
import static io.jenkins.plugins.mlops.params.ParameterType.PATH;
import static io.jenkins.plugins.mlops.params.ParameterType.TEXT;
import static io.jenkins.plugins.mlops.params.ParameterType.WHOLE;

import io.fabric8.kubernetes.api.model.Quantity;
import io.jenkins.plugins.mlops.image.ImageReference;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.packaging.ModelUri;
import io.jenkins.plugins.mlops.params.FrontEnd;
import io.jenkins.plugins.mlops.params.Parameter;
import io.jenkins.plugins.mlops.params.ParameterBuilder;
import io.jenkins.plugins.mlops.params.ParameterCatalogue;
import io.jenkins.plugins.mlops.params.ParameterValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything {@code deployModel} ({@code mlops deploy}, the {@code deploy} stage) takes: the one
 * place for their names, defaults and help. The model registry and its credentials are each
 * front end's own, as for {@code packageModel}. Subset, host and resource names match
 * {@code canaryRollout}'s, so the values pass from one step to the next unchanged.
 */
public record DeployParameters(String model, String image, String mode, String namespace, String app,
        String candidateSubset, String virtualService, String host, String destinationRule, String inferenceService,
        String storageUri, int port, int replicas, String cpu, String memory, Duration readyTimeout, boolean rollback,
        String kubeconfig, String context, Duration timeout) implements Serializable {

    public static final String ISTIO = "istio";
    public static final String KSERVE = "kserve";
    /** A Kubernetes name (RFC 1123 label), which labels, Deployments and Services all accept. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public static final ParameterCatalogue CATALOGUE = new ParameterCatalogue("deployModel", List.of(
            Parameter.of("model", TEXT, null, "The registered model version to deploy: models:/NAME/VERSION or"
                    + " models:/NAME@ALIAS (required); its image must be the one mlops package wrote on it.")
                    .labelled("URI"),
            Parameter.of("image", TEXT, null, "The image by digest, REGISTRY/REPOSITORY@sha256:... (default: the image"
                    + " the model version names); refused unless the version names that digest.").labelled("IMAGE"),
            Parameter.choice("mode", ISTIO, "istio (a Deployment and Service, a DestinationRule subset and a VirtualService"
                    + " route at weight 0) or kserve (the InferenceService's new predictor at canaryTrafficPercent 0).",
                    ISTIO, KSERVE),
            Parameter.of("namespace", TEXT, null, "The namespace (default: the kubeconfig context's)."),
            Parameter.of("app", TEXT, null, "The app label the stable model's pods carry too (default: the model's name)."),
            Parameter.of("candidateSubset", TEXT, null, "istio: the version label and DestinationRule subset of the"
                    + " candidate (default: v and the model version, e.g. v3); its Deployment and Service are APP-SUBSET."),
            Parameter.of("virtualService", TEXT, null, "istio: the VirtualService whose routes get the candidate at weight 0"
                    + " (required in istio mode)."),
            Parameter.of("host", TEXT, null, "istio: the routes' destination host (default: the VirtualService's name)."),
            Parameter.of("destinationRule", TEXT, null, "istio: the DestinationRule that gets the subset (default: the"
                    + " VirtualService's name)."),
            Parameter.of("inferenceService", TEXT, null, "kserve: the InferenceService whose predictor becomes the"
                    + " candidate (required in kserve mode)."),
            Parameter.of("storageUri", TEXT, null, "kserve: serve the model from this storage URI with modelFormat mlflow"
                    + " instead of the image (KServe's image-free path)."),
            Parameter.of("port", WHOLE, "8080", "The port the scoring server listens on in the image."),
            Parameter.of("replicas", WHOLE, "1", "istio: the candidate's pods."),
            Parameter.of("cpu", TEXT, null, "The CPU each pod requests, e.g. 500m."),
            Parameter.of("memory", TEXT, null, "The memory each pod requests, e.g. 1Gi."),
            Parameter.of("readyTimeout", DURATION, "5m", "How long the candidate may take to be ready; then what this"
                    + " deploy applied is removed and the step fails naming the pods' reason."),
            Parameter.of("rollback", BOOLEAN, "false", "Remove the candidate instead: its route first (so no traffic"
                    + " goes to a vanishing subset), then its subset, Service and Deployment (istio), or its predictor's"
                    + " canary (kserve)."),
            // In Jenkins too: a file credential's path (withCredentials) is how a build reaches a cluster it is not in.
            Parameter.of("kubeconfig", PATH, null, "Kubeconfig to use, relative to the workspace (default: KUBECONFIG,"
                    + " ~/.kube/config, or the in-cluster service account)."),
            Parameter.of("context", TEXT, null, "Kubeconfig context (default: its current context)."),
            Parameter.of("timeout", DURATION, "120s", "How long each model registry call may take.")
                    .only(FrontEnd.YAML, FrontEnd.JENKINS)));

    public static ParameterBuilder<DeployParameters> builder() {
        return new ParameterBuilder<>(CATALOGUE, DeployParameters::of);
    }

    public DeployParameters {
        ModelUri uri = ModelUri.parse(model);
        if (!uri.registered()) {
            throw new BadInputException("model: '" + model + "' is not a registered model version: deploy takes"
                    + " models:/NAME/VERSION or models:/NAME@ALIAS, whose version names the image");
        }
        if (image != null) {
            ImageReference ref = ImageReference.parse(image, "image");
            if (ref.digest() == null) {
                throw new BadInputException("image: '" + image + "' names no digest: deploy takes an image by digest"
                        + " (REPOSITORY@sha256:...), the name that cannot move");
            }
        }
        if (ISTIO.equals(mode)) {
            require(virtualService, "virtualService", "istio mode routes the candidate through a VirtualService");
            if (storageUri != null) {
                throw new BadInputException("storageUri: only kserve mode serves from a storage URI; istio runs the image");
            }
        } else if (KSERVE.equals(mode)) {
            require(inferenceService, "inferenceService", "kserve mode writes the InferenceService's predictor");
        } else {
            throw new BadInputException("mode: '" + mode + "' is not istio or kserve");
        }
        name(app, "app");
        name(candidateSubset, "candidateSubset");
        if (port < 1 || port > 65535) {
            throw new BadInputException("port: " + port + " is not a TCP port (1-65535)");
        }
        if (replicas < 1) {
            throw new BadInputException("replicas: " + replicas + " is fewer than one pod");
        }
        quantity(cpu, "cpu");
        quantity(memory, "memory");
        if (readyTimeout.isZero() || readyTimeout.isNegative()) {
            throw new BadInputException("readyTimeout: must be longer than zero");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new BadInputException("timeout: must be longer than zero");
        }
    }

    /** The model URI, parsed. */
    public ModelUri modelUri() {
        return ModelUri.parse(model);
    }

    private static void require(String value, String name, String why) {
        if (value == null || value.isBlank()) {
            throw new BadInputException(name + ": required: " + why);
        }
    }

    private static void name(String value, String what) {
        if (value != null && !NAME.matcher(value).matches()) {
            throw new BadInputException(what + ": '" + value + "' is not a Kubernetes name (lower-case letters, digits"
                    + " and '-', at most 63, starting and ending with a letter or digit)");
        }
    }

    private static void quantity(String value, String what) {
        if (value == null) {
            return;
        }
        try {
            Quantity.getAmountInBytes(new Quantity(value));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + ": '" + value + "' is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)");
        }
    }

    private static DeployParameters of(ParameterValues v) {
        return new DeployParameters(v.text("model"), v.text("image"), v.text("mode"), v.text("namespace"), v.text("app"),
                v.text("candidateSubset"), v.text("virtualService"), v.text("host"), v.text("destinationRule"),
                v.text("inferenceService"), v.text("storageUri"), Math.toIntExact(v.whole("port")),
                Math.toIntExact(v.whole("replicas")), v.text("cpu"), v.text("memory"), v.duration("readyTimeout"),
                Boolean.TRUE.equals(v.bool("rollback")), v.path("kubeconfig"), v.text("context"), v.duration("timeout"));
    }
}
