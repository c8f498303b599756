package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.image.ImageRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops package}'s exit codes and messages for what a user gets wrong (2) and for a registry
 * that refuses or is not there (3), with the report of an earlier run discarded and nothing pushed.
 * The image itself is built and run in core's PackageStepTest.
 */
class PackageCommandTest {
    @TempDir
    Path dir;

    @Test
    void badImageNamesModelsAndMissingBasesAreBadInput() throws IOException {
        Path model = model();
        assertExit(2, "image: 'churn:1' is not an image name: name the registry host first", "--model", model.toString(),
                "--image", "churn:1", "--base", "127.0.0.1:5000/base:1");
        assertExit(2, "base: required with image", "--model", model.toString(), "--image", "127.0.0.1:5000/churn:1");
        assertExit(2, "give image (and base)", "--model", model.toString());
        assertExit(2, "model: no-such-dir is neither a directory nor a models:/ or runs:/ URI", "--model", "no-such-dir",
                "--image", "127.0.0.1:5000/churn:1", "--base", "127.0.0.1:5000/base:1");
        assertExit(2, "is not an MLflow model", "--model", dir.toString(), "--image", "127.0.0.1:5000/churn:1", "--base",
                "127.0.0.1:5000/base:1");
        assertExit(2, "is not a registered model URI", "--model", "models:/churn", "--image", "127.0.0.1:5000/churn:1",
                "--base", "127.0.0.1:5000/base:1");
        assertExit(2, "port: 70000 is not a TCP port", "--model", model.toString(), "--inference-service", "isvc.yaml",
                "--port", "70000");
    }

    @Test
    void aRegistryThatRefusesOrIsNotThereIsExit3AndGetsNothing() throws IOException {
        Path model = model();
        try (ImageRegistry registry = ImageRegistry.start(dir.resolve("registry"), "builder", "a-password-for-the-test")) {
            // Without MLOPS_IMAGE_REGISTRY_USERNAME/PASSWORD the command pushes anonymously: refused before anything is sent.
            Files.writeString(dir.resolve("package.json"), "{\"from\": \"an earlier run\"}");
            assertExit(3, "image registry " + registry.host() + " refused without credentials (set MLOPS_IMAGE_REGISTRY_USERNAME",
                    "--model", model.toString(), "--image", registry.host() + "/churn:1", "--base", registry.host() + "/base:1",
                    "--report", dir.toString());
            assertThat(dir.resolve("package.json")).as("an earlier verdict is not left for the next step").doesNotExist();
            assertThat(registry.tags("churn")).isEmpty();
        }
        String nowhere = "127.0.0.1:" + TestProcesses.freePort();
        assertExit(3, "cannot reach image registry " + nowhere + ": connection refused", "--model", model.toString(),
                "--image", nowhere + "/churn:1", "--base", nowhere + "/base:1");
    }

    private void assertExit(int code, String message, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "package";
        System.arraycopy(options, 0, args, 1, options.length);
        InProcess run = InProcess.mlops(args);
        assertThat(run.code()).as(run.err()).isEqualTo(code);
        assertThat(run.err()).contains(message);
    }

    /** Enough of an MLflow model for everything that is refused before its requirements are resolved. */
    private Path model() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        Files.writeString(model.resolve("requirements.txt"), "mlflow==3.17.2\n");
        return model;
    }
}
