package io.jenkins.plugins.mlops.packaging;

import java.util.Locale;

/**
 * KServe's image-free way to serve an MLflow model: an InferenceService whose predictor names the
 * model's storage URI and {@code modelFormat: mlflow}; KServe's MLflow runtime fetches the files
 * and installs their requirements itself.
 */
final class InferenceServiceManifest {
    private InferenceServiceManifest() {}

    static String yaml(String modelName, String storageUri) {
        return "apiVersion: serving.kserve.io/v1beta1\n"
                + "kind: InferenceService\n"
                + "metadata:\n"
                + "  name: " + serviceName(modelName) + "\n"
                + "spec:\n"
                + "  predictor:\n"
                + "    model:\n"
                + "      modelFormat:\n"
                + "        name: mlflow\n"
                + "      protocolVersion: v2\n"
                + "      storageUri: \"" + storageUri.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
    }

    /** A DNS-1123 label, as Kubernetes names must be. */
    static String serviceName(String modelName) {
        String name = (modelName == null ? "model" : modelName).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "model-" + name;
        }
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
    }
}
