package io.jenkins.plugins.mlops.cli;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/** Where the registry is and how patiently to talk to it; shared by {@code register} and {@code models}. */
public final class RegistryOptions {
    @Option(names = "--registry", paramLabel = "URI", defaultValue = "${env:MLFLOW_TRACKING_URI:-file:.mlops/registry}",
            showDefaultValue = Visibility.ALWAYS,
            description = "http(s)://HOST:PORT of an MLflow tracking server, or file:DIR for the local registry;"
                + " MLFLOW_TRACKING_URI when set. Credentials come from MLFLOW_TRACKING_TOKEN or"
                + " MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD; MLFLOW_TRACKING_INSECURE_TLS=true skips TLS checks.")
    String registry;

    // The same duration syntax as every other time limit (smoke-train, train, gate): 120, 90s, 2m, PT2M.
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", showDefaultValue = Visibility.ALWAYS,
            converter = DurationConverter.class,
            description = "How long each registry call may take, retries of transient failures (no connection, HTTP 5xx, 429)"
                + " included, before exit 3: 120 (seconds), 90s, 5m.")
    Duration timeout;

    /** The timeout; zero is bad input, checked whether or not the registry is called this time. */
    Duration timeout() {
        if (timeout.isZero()) {
            throw new BadInputException("--timeout must be longer than zero");
        }
        return timeout;
    }

    ModelRegistry open(Consumer<String> progress) {
        return ModelRegistries.open(registry, RegistryCredentials.fromEnvironment(System.getenv()), timeout(), progress);
    }
}
